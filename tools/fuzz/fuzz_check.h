// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: fuzz_check.h
// -----------------------------------------------------------------------------
//
// `FUZZ_CHECK(cond)`: the fuzz targets' one way to state an invariant. When
// `cond` is false it prints one line naming the condition and the place,
// then aborts, which libFuzzer reports as a crash and saves the input.
//
//   FUZZ_CHECK(parsed.ok() == reference.ok());

#ifndef MCO_TOOLS_FUZZ_FUZZ_CHECK_H_
#define MCO_TOOLS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

namespace mco_fuzz {

[[noreturn]] inline void check_failed(const char* cond, const char* file,
                                      int line) {
  std::fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, cond);
  std::abort();
}

}  // namespace mco_fuzz

#define FUZZ_CHECK(cond) \
  ((cond) ? (void)0 : ::mco_fuzz::check_failed(#cond, __FILE__, __LINE__))

#endif  // MCO_TOOLS_FUZZ_FUZZ_CHECK_H_
