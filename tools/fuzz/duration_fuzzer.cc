// Copyright 2026 The mco Authors.
//
// Fuzzes `mco::time::Duration::parse` and `Duration::string`
// (stdlib/time/duration.h) with arbitrary text.
//
// Invariants checked beyond "no crash, no sanitizer report":
//  - A rejected input gets InvalidArgument.
//  - An accepted input's value is the sum, in 128-bit arithmetic, of its
//    terms ("1h", "2.5m", ...) parsed one by one, with the input's sign; so a
//    sum that leaves the int64 range cannot come back as a wrapped value.
//  - Written twice over ("1h1m" -> "1h1m1h1m"), it means twice the value, or
//    is rejected exactly when that is beyond the int64 range.
//  - Formatting round-trips: `parse(d.string()) == d`, both for every parsed
//    duration and for any int64 taken from the input's first eight bytes.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "mco/time/duration.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

using mco::time::Duration;

bool is_number_char(char c) { return (c >= '0' && c <= '9') || c == '.'; }

void check_round_trip(Duration d) {
  const std::string text = d.string();
  FUZZ_CHECK(!text.empty() && text.size() <= 25);
  const auto again = Duration::parse(text);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == d);
}

// `text` was accepted as `d`: each of its terms, parsed alone, must add up
// to `d`.
void check_terms(std::string_view text, Duration d) {
  std::string_view s = text;
  const bool neg = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s == "0") {
    FUZZ_CHECK(d.nanoseconds() == 0);
    return;
  }
  __int128 sum = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && is_number_char(s[i])) ++i;
    while (i < s.size() && !is_number_char(s[i])) ++i;
    // Parsed negated, so that a lone 2^63 ns term is in range.
    const auto term = Duration::parse("-" + std::string(s.substr(0, i)));
    FUZZ_CHECK(term.ok());
    sum -= term->nanoseconds();
    s.remove_prefix(i);
  }
  if (neg) sum = -sum;
  FUZZ_CHECK(sum == d.nanoseconds());
}

// `text` was accepted as `d`: the text written twice over (sign once) must
// mean 2d, or be rejected exactly when 2d is beyond the int64 range.
void check_doubled(std::string_view text, Duration d) {
  std::string_view s = text;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s == "0") return;  // "0" is the one term without a unit
  const auto doubled = Duration::parse(std::string(text) + std::string(s));
  const __int128 want = static_cast<__int128>(d.nanoseconds()) * 2;
  const bool fits = want >= std::numeric_limits<int64_t>::min() &&
                    want <= std::numeric_limits<int64_t>::max();
  FUZZ_CHECK(doubled.ok() == fits);
  if (fits) FUZZ_CHECK(doubled->nanoseconds() == want);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = Duration::parse(text);
  if (parsed.ok()) {
    check_terms(text, *parsed);
    check_doubled(text, *parsed);
    check_round_trip(*parsed);
  } else {
    FUZZ_CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument);
  }
  if (size >= sizeof(int64_t)) {
    int64_t ns;
    std::memcpy(&ns, data, sizeof ns);
    check_round_trip(Duration(ns));
  }
  return 0;
}
