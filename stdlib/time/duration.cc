// Copyright 2026 The mco Authors.

#include "mco/time/duration.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"

namespace mco::time {
namespace {

// Writes the fraction of v / 10^prec into buf ending at w (right to left),
// leaving out trailing zeros and the dot if the fraction is zero. Returns the
// new write position; *quotient receives v / 10^prec.
int format_fraction(char* buf, int w, uint64_t v, int prec,
                    uint64_t* quotient) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    const int digit = static_cast<int>(v % 10);
    print = print || digit != 0;
    if (print) buf[--w] = static_cast<char>('0' + digit);
    v /= 10;
  }
  if (print) buf[--w] = '.';
  *quotient = v;
  return w;
}

int format_int(char* buf, int w, uint64_t v) {
  if (v == 0) {
    buf[--w] = '0';
    return w;
  }
  while (v > 0) {
    buf[--w] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return w;
}

struct Unit {
  std::string_view name;
  uint64_t nanos;
};

constexpr Unit kUnits[] = {
    {"ns", 1},           {"us", 1000},
    {"\xC2\xB5s", 1000},  // U+00B5 micro sign
    {"\xCE\xBCs", 1000},  // U+03BC Greek small letter mu
    {"ms", 1000000},     {"s", 1000000000},
    {"m", 60000000000},  {"h", 3600000000000},
};

absl::Status invalid(std::string_view text) {
  return absl::InvalidArgumentError("time: invalid duration \"" +
                                    std::string(text) + "\"");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string Duration::string() const {
  // Largest: "-2562047h47m16.854775808s" (25 bytes).
  char buf[32];
  int w = sizeof(buf);
  const bool neg = ns_ < 0;
  uint64_t u = neg ? uint64_t{0} - static_cast<uint64_t>(ns_)
                   : static_cast<uint64_t>(ns_);
  if (u < 1000000000) {
    if (u == 0) return "0s";
    int prec = 0;
    buf[--w] = 's';
    if (u < 1000) {
      buf[--w] = 'n';
    } else if (u < 1000000) {
      prec = 3;
      buf[--w] = '\xB5';  // "µ" in UTF-8 is C2 B5, written right to left
      buf[--w] = '\xC2';
    } else {
      prec = 6;
      buf[--w] = 'm';
    }
    w = format_fraction(buf, w, u, prec, &u);
    w = format_int(buf, w, u);
  } else {
    buf[--w] = 's';
    w = format_fraction(buf, w, u, 9, &u);
    w = format_int(buf, w, u % 60);  // seconds
    u /= 60;
    if (u > 0) {
      buf[--w] = 'm';
      w = format_int(buf, w, u % 60);
      u /= 60;
      if (u > 0) {
        buf[--w] = 'h';
        w = format_int(buf, w, u);
      }
    }
  }
  if (neg) buf[--w] = '-';
  return std::string(buf + w, sizeof(buf) - w);
}

absl::StatusOr<Duration> Duration::parse(std::string_view text) {
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration();
  if (s.empty()) return invalid(text);
  constexpr uint64_t kMax = uint64_t{1} << 63;  // |min int64|
  uint64_t total = 0;
  while (!s.empty()) {
    if (!(is_digit(s[0]) || s[0] == '.')) return invalid(text);
    // Integer part.
    uint64_t v = 0;
    size_t i = 0;
    bool overflow = false;
    while (i < s.size() && is_digit(s[i])) {
      const uint64_t digit = static_cast<uint64_t>(s[i] - '0');
      if (v > (kMax - digit) / 10) {
        overflow = true;
      } else {
        v = v * 10 + digit;
      }
      ++i;
    }
    const bool had_int = i > 0;
    if (overflow) return invalid(text);
    // Fraction.
    uint64_t frac = 0;
    double scale = 1;
    bool had_frac = false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && is_digit(s[i])) {
        had_frac = true;
        if (frac <= (kMax - 9) / 10) {  // ignore digits beyond precision
          frac = frac * 10 + static_cast<uint64_t>(s[i] - '0');
          scale *= 10;
        }
        ++i;
      }
    }
    if (!had_int && !had_frac) return invalid(text);
    s.remove_prefix(i);
    // Unit.
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !is_digit(s[u])) ++u;
    if (u == 0) return invalid(text);  // missing unit
    const std::string_view unit_name = s.substr(0, u);
    s.remove_prefix(u);
    const Unit* unit = nullptr;
    for (const Unit& cand : kUnits) {
      if (cand.name == unit_name) unit = &cand;
    }
    if (unit == nullptr) {
      return absl::InvalidArgumentError(
          "time: unknown unit \"" + std::string(unit_name) +
          "\" in duration \"" + std::string(text) + "\"");
    }
    if (v > kMax / unit->nanos) return invalid(text);
    v *= unit->nanos;
    if (frac > 0) {
      v += static_cast<uint64_t>(static_cast<double>(frac) *
                                 (static_cast<double>(unit->nanos) / scale));
      if (v > kMax) return invalid(text);
    }
    // Checked before adding: 2^63 + 2^63 would wrap to 0 (Go 1.19 has this
    // bug: "9223372036854775808ns9223372036854775808ns5s" parses as 5s).
    if (v > kMax - total) return invalid(text);
    total += v;
  }
  if (!neg && total > kMax - 1) return invalid(text);
  const int64_t ns = neg ? static_cast<int64_t>(uint64_t{0} - total)
                         : static_cast<int64_t>(total);
  return Duration(ns);
}

Duration Duration::truncate(Duration m) const {
  if (m.ns_ <= 0) return *this;
  return Duration(ns_ - ns_ % m.ns_);
}

Duration Duration::round(Duration m) const {
  if (m.ns_ <= 0) return *this;
  int64_t r = ns_ % m.ns_;
  if (ns_ < 0) {
    r = -r;
    if (r + r < m.ns_) return Duration(ns_ + r);
    const int64_t d = ns_ - m.ns_ + r;
    if (d < ns_) return Duration(d);
    return Duration(std::numeric_limits<int64_t>::min());
  }
  if (r + r < m.ns_) return Duration(ns_ - r);
  const int64_t d = ns_ + m.ns_ - r;
  if (d > ns_) return Duration(d);
  return Duration(std::numeric_limits<int64_t>::max());
}

}  // namespace mco::time
