// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: wait_list.h
// -----------------------------------------------------------------------------
//
// Internal to mco/sync: the one door from the sync types to the runtime.
//
// Every type in mco/sync waits through a `WaitList`: a spin lock and a FIFO
// of parked waiters (the runtime's `rt::SpinLock` and `rt::WaitQueue`, see
// runtime/wait_queue.h). The storage is opaque here so that modules, which
// compile against mco/sync's headers but not the runtime's, can hold sync
// objects; the code behind it (wait_list_impl.h, in the `code` target) is
// linked once into mco-run or the program.
//
// Also: conversions from std::chrono to the runtime's deadlines
// (nanoseconds on the steady clock; `kNoDeadline`: none).

#ifndef MCO_STDLIB_SYNC_WAIT_LIST_H_
#define MCO_STDLIB_SYNC_WAIT_LIST_H_

#include <chrono>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace mco::sync::internal {

// No deadline (the runtime's `rt::kNoDeadline`).
inline constexpr int64_t kNoDeadline = std::numeric_limits<int64_t>::max();

// WaitList
//
// Opaque storage for an `rt::SpinLock` and an `rt::WaitQueue`, constructed
// in place by the out-of-line constructor.
class WaitList {
 public:
  WaitList();
  WaitList(const WaitList&) = delete;
  WaitList& operator=(const WaitList&) = delete;

 private:
  friend struct WaitListAccess;
  alignas(void*) unsigned char storage_[3 * sizeof(void*)];
};

// deadline_after()
//
// The deadline `d` from now, saturating (negative: already expired).
template <typename Rep, typename Period>
int64_t deadline_after(std::chrono::duration<Rep, Period> d) {
  using LongNanos = std::chrono::duration<long double, std::nano>;
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  const long double ns = std::chrono::duration_cast<LongNanos>(d).count();
  if (ns <= 0) return now;
  if (ns >= static_cast<long double>(kNoDeadline - now)) return kNoDeadline;
  return now + static_cast<int64_t>(ns);
}

// to_deadline()
//
// A time point of any clock as a deadline on the steady clock (other clocks
// are converted by their distance from now, as the standard library does).
template <typename Clock, typename Duration>
int64_t to_deadline(std::chrono::time_point<Clock, Duration> t) {
  if constexpr (std::is_same_v<Clock, std::chrono::steady_clock>) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               t.time_since_epoch())
        .count();
  } else {
    return deadline_after(t - Clock::now());
  }
}

}  // namespace mco::sync::internal

#endif  // MCO_STDLIB_SYNC_WAIT_LIST_H_
