// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: duration.h
// -----------------------------------------------------------------------------
//
// `Duration`: Go's `time.Duration`, an int64 count of nanoseconds (about
// ±292 years), with Go's text form.
//
//   using namespace mco::time;
//   Duration d = 1 * Hour + 2 * Minute + 3500 * Millisecond;
//   d.string();                              // "1h2m3.5s"
//   Duration::parse("250ms").value();        // 250 * Millisecond
//   Duration::parse("1.5h").value().minutes();   // 90
//   std::chrono::nanoseconds c = d;          // converts both ways
//
// Formatting follows Go exactly: "0s" for zero; below one second the largest
// unit among ns, µs (U+00B5), ms; from one second up "XhYmZ.FFFs" with
// leading zero units left out and trailing fraction zeros trimmed.
//
// Parsing follows Go's `time.ParseDuration`: an optional sign, then one or
// more decimal numbers each with a unit (ns, us, µs, μs, ms, s, m, h), e.g.
// "300ms", "-1.5h", "2h45m". "0" alone is allowed. Anything else, and values
// beyond the int64 range, is an `InvalidArgument` error naming the input.
//
// Arithmetic is int64 arithmetic on nanoseconds; unlike Go, overflow is
// undefined behaviour (C++ signed integers), so stay within ±292 years.

#ifndef MCO_STDLIB_TIME_DURATION_H_
#define MCO_STDLIB_TIME_DURATION_H_

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace mco::time {

class Duration {
 public:
  constexpr Duration() = default;
  constexpr explicit Duration(int64_t nanos) : ns_(nanos) {}
  template <typename Rep, typename Period>
  constexpr Duration(std::chrono::duration<Rep, Period> d)  // NOLINT: implicit
      : ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()) {}

  // Duration::parse()
  //
  // Parses Go's duration syntax (see the file comment).
  static absl::StatusOr<Duration> parse(std::string_view text);

  // Duration::string()
  //
  // Go's text form, e.g. "1h2m3.5s", "250ms", "0s".
  [[nodiscard]] std::string string() const;

  [[nodiscard]] constexpr int64_t nanoseconds() const { return ns_; }
  [[nodiscard]] constexpr int64_t microseconds() const { return ns_ / 1000; }
  [[nodiscard]] constexpr int64_t milliseconds() const { return ns_ / 1000000; }
  // Floating-point counts, like Go's Seconds(), Minutes(), Hours().
  [[nodiscard]] constexpr double seconds() const { return ns_ / 1e9; }
  [[nodiscard]] constexpr double minutes() const { return ns_ / 60e9; }
  [[nodiscard]] constexpr double hours() const { return ns_ / 3600e9; }

  // Duration::truncate() / round()
  //
  // Rounds toward zero / half away from zero to a multiple of `m`; `m` <= 0
  // returns the duration unchanged (as Go).
  [[nodiscard]] Duration truncate(Duration m) const;
  [[nodiscard]] Duration round(Duration m) const;

  [[nodiscard]] constexpr Duration abs() const {
    return Duration(ns_ < 0 ? -ns_ : ns_);
  }

  constexpr operator std::chrono::nanoseconds() const {  // NOLINT: implicit
    return std::chrono::nanoseconds(ns_);
  }

  constexpr Duration& operator+=(Duration o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr Duration& operator-=(Duration o) {
    ns_ -= o.ns_;
    return *this;
  }
  friend constexpr Duration operator+(Duration a, Duration b) {
    return Duration(a.ns_ + b.ns_);
  }
  friend constexpr Duration operator-(Duration a, Duration b) {
    return Duration(a.ns_ - b.ns_);
  }
  friend constexpr Duration operator-(Duration a) { return Duration(-a.ns_); }
  friend constexpr Duration operator*(int64_t k, Duration d) {
    return Duration(k * d.ns_);
  }
  friend constexpr Duration operator*(Duration d, int64_t k) {
    return Duration(k * d.ns_);
  }
  friend constexpr Duration operator/(Duration d, int64_t k) {
    return Duration(d.ns_ / k);
  }
  friend constexpr int64_t operator/(Duration a, Duration b) {
    return a.ns_ / b.ns_;
  }
  friend constexpr Duration operator%(Duration a, Duration b) {
    return Duration(a.ns_ % b.ns_);
  }
  friend constexpr bool operator==(Duration a, Duration b) {
    return a.ns_ == b.ns_;
  }
  friend constexpr bool operator!=(Duration a, Duration b) {
    return a.ns_ != b.ns_;
  }
  friend constexpr bool operator<(Duration a, Duration b) {
    return a.ns_ < b.ns_;
  }
  friend constexpr bool operator<=(Duration a, Duration b) {
    return a.ns_ <= b.ns_;
  }
  friend constexpr bool operator>(Duration a, Duration b) {
    return a.ns_ > b.ns_;
  }
  friend constexpr bool operator>=(Duration a, Duration b) {
    return a.ns_ >= b.ns_;
  }
  friend std::ostream& operator<<(std::ostream& os, Duration d) {
    return os << d.string();
  }

 private:
  int64_t ns_ = 0;
};

inline constexpr Duration Nanosecond{int64_t{1}};
inline constexpr Duration Microsecond{int64_t{1000}};
inline constexpr Duration Millisecond{int64_t{1000000}};
inline constexpr Duration Second{int64_t{1000000000}};
inline constexpr Duration Minute{int64_t{60000000000}};
inline constexpr Duration Hour{int64_t{3600000000000}};

}  // namespace mco::time

#endif  // MCO_STDLIB_TIME_DURATION_H_
