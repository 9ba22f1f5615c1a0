// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: int_arg.h
// -----------------------------------------------------------------------------
//
// The samples' one way to read a numeric argument: a plain decimal integer
// within a range, or a default when the argument is absent. A bad value gets
// one clear line on stderr ("sieve: N must be a number from 1 to 10000, not
// 'x'") and the sample exits with code 2.

#ifndef MCO_SAMPLES_COMMON_INT_ARG_H_
#define MCO_SAMPLES_COMMON_INT_ARG_H_

#include <cstddef>
#include <cstdio>
#include <string>

#include "mco/module.h"

namespace mco_samples {

// Sets *out to args[index] parsed as an integer in [lo, hi], or to
// `fallback` if there is no such argument. Returns false (after printing one
// line naming `program` and `what`) if the argument is not such a number.
inline bool int_arg(const mco::Args& args, size_t index, const char* program,
                    const char* what, int lo, int hi, int fallback, int* out) {
  if (index >= args.size()) {
    *out = fallback;
    return true;
  }
  const std::string& text = args[index];
  bool ok = !text.empty() && text.size() <= 9;  // fits an int
  long value = 0;
  for (size_t i = 0; ok && i < text.size(); ++i) {
    const char c = text[i];
    ok = c >= '0' && c <= '9';
    value = value * 10 + (c - '0');
  }
  if (!ok || value < lo || value > hi) {
    std::fprintf(stderr, "%s: %s must be a number from %d to %d, not '%s'\n",
                 program, what, lo, hi, text.c_str());
    return false;
  }
  *out = static_cast<int>(value);
  return true;
}

}  // namespace mco_samples

#endif  // MCO_SAMPLES_COMMON_INT_ARG_H_
