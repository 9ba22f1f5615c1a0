// Copyright 2026 The mco Authors.
//
// Fuzzes `mco::parse_byte_size` (stdlib/runtime.h; behind mco-run's
// --stack-size) with arbitrary text.
//
// Invariants checked beyond "no crash, no sanitizer report":
//  - It agrees with a reference written in 128-bit arithmetic: decimal
//    digits, then one of "", b, k, kb, kib, m, mb, mib, g, gb, gib in any
//    case; accepted exactly when the value fits a size_t.
//  - An accepted size prints as digits that parse back to the same size.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "mco/runtime.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

// The reference: false if `text` is not a byte size that fits a size_t.
bool reference(const std::string& text, size_t* out) {
  size_t i = 0;
  unsigned __int128 value = 0;
  constexpr unsigned __int128 kLimit = std::numeric_limits<size_t>::max();
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
    if (value > kLimit) return false;
    ++i;
  }
  if (i == 0) return false;
  std::string suffix;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    suffix += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  unsigned __int128 unit;
  if (suffix.empty() || suffix == "b") {
    unit = 1;
  } else if (suffix == "k" || suffix == "kb" || suffix == "kib") {
    unit = 1 << 10;
  } else if (suffix == "m" || suffix == "mb" || suffix == "mib") {
    unit = 1 << 20;
  } else if (suffix == "g" || suffix == "gb" || suffix == "gib") {
    unit = 1 << 30;
  } else {
    return false;
  }
  if (value * unit > kLimit) return false;
  *out = static_cast<size_t>(value * unit);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  size_t got = 0;
  size_t want = 0;
  const bool ok = mco::parse_byte_size(text, &got);
  FUZZ_CHECK(ok == reference(text, &want));
  if (!ok) return 0;
  FUZZ_CHECK(got == want);
  size_t again = 0;
  FUZZ_CHECK(mco::parse_byte_size(std::to_string(got), &again));
  FUZZ_CHECK(again == got);
  return 0;
}
