// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: clock.h
// -----------------------------------------------------------------------------
//
// The runtime's one notion of time: nanoseconds on the monotonic clock
// (`std::chrono::steady_clock`). Deadlines are absolute `Nanos`;
// `kNoDeadline` means "wait forever".

#ifndef MCO_RUNTIME_CLOCK_H_
#define MCO_RUNTIME_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <limits>

namespace mco::rt {

using Nanos = int64_t;

inline constexpr Nanos kNoDeadline = std::numeric_limits<Nanos>::max();

// Monotonic now, in nanoseconds.
inline Nanos now_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// now + d, saturating at kNoDeadline (a negative d means "already expired").
inline Nanos deadline_after(Nanos d) {
  Nanos now = now_nanos();
  if (d > 0 && d >= kNoDeadline - now) return kNoDeadline;
  return now + d;
}

// Converts a steady_clock time point to a deadline.
template <typename Duration>
Nanos to_deadline(
    std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             t.time_since_epoch())
      .count();
}

// Converts any std::chrono duration to Nanos, saturating.
template <typename Rep, typename Period>
Nanos to_nanos(std::chrono::duration<Rep, Period> d) {
  using Max = std::chrono::duration<long double, std::nano>;
  Max m = std::chrono::duration_cast<Max>(d);
  if (m.count() >= static_cast<long double>(kNoDeadline)) return kNoDeadline;
  if (m.count() <= -static_cast<long double>(kNoDeadline)) return -kNoDeadline;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

}  // namespace mco::rt

#endif  // MCO_RUNTIME_CLOCK_H_
