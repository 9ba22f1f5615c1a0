// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: instant.h
// -----------------------------------------------------------------------------
//
// Points in time: `Instant` on the monotonic clock (for measuring and for
// deadlines; never jumps), and `now()` on the wall clock (for showing).
// Plus `sleep`, taking a `Duration`.
//
//   using namespace mco::time;
//   Instant start = Instant::now();
//   sleep(10 * Millisecond);                 // parks a coroutine
//   Duration took = start.elapsed();         // >= 10ms
//   sleep_until(start + Second);
//   std::string stamp = format_rfc3339(now());
//
// `Instant` is the runtime's clock (`std::chrono::steady_clock`, nanoseconds),
// so an `Instant` is also a deadline for every `*_until` call of mco.

#ifndef MCO_STDLIB_TIME_INSTANT_H_
#define MCO_STDLIB_TIME_INSTANT_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "mco/this_coroutine.h"
#include "mco/time/duration.h"

namespace mco::time {

class Instant {
 public:
  using Clock = std::chrono::steady_clock;

  constexpr Instant() = default;
  constexpr explicit Instant(Clock::time_point t) : t_(t) {}

  // Instant::now()
  static Instant now() { return Instant(Clock::now()); }

  // Instant::since() / elapsed()
  //
  // `*this - earlier`, and `now() - *this`.
  [[nodiscard]] Duration since(Instant earlier) const {
    return Duration(t_ - earlier.t_);
  }
  [[nodiscard]] Duration elapsed() const { return now().since(*this); }

  [[nodiscard]] constexpr Clock::time_point time_point() const { return t_; }
  // Nanoseconds since the steady clock's epoch (the runtime's deadlines).
  [[nodiscard]] constexpr int64_t nanos() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               t_.time_since_epoch())
        .count();
  }

  friend Instant operator+(Instant t, Duration d) {
    return Instant(t.t_ + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::nanoseconds(d)));
  }
  friend Instant operator-(Instant t, Duration d) { return t + (-d); }
  friend Duration operator-(Instant a, Instant b) { return a.since(b); }
  friend bool operator==(Instant a, Instant b) { return a.t_ == b.t_; }
  friend bool operator!=(Instant a, Instant b) { return a.t_ != b.t_; }
  friend bool operator<(Instant a, Instant b) { return a.t_ < b.t_; }
  friend bool operator<=(Instant a, Instant b) { return a.t_ <= b.t_; }
  friend bool operator>(Instant a, Instant b) { return a.t_ > b.t_; }
  friend bool operator>=(Instant a, Instant b) { return a.t_ >= b.t_; }

 private:
  Clock::time_point t_{};
};

// now()
//
// The wall-clock time (may jump when the system clock is set).
inline absl::Time now() { return absl::Now(); }

// format_rfc3339()
//
// "2006-01-02T15:04:05.999999999Z07:00" in UTC, like Go's time.RFC3339Nano.
inline std::string format_rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

// sleep() / sleep_until()
//
// Park the calling coroutine (or block the calling thread) for `d` / until
// `t`. Cancellation points (throw mco::Cancelled in a cancelled coroutine).
inline void sleep(Duration d) { mco::sleep(std::chrono::nanoseconds(d)); }
inline void sleep_until(Instant t) { mco::sleep_until_ns(t.nanos()); }

}  // namespace mco::time

#endif  // MCO_STDLIB_TIME_INSTANT_H_
