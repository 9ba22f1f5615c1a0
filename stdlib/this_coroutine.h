// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: this_coroutine.h
// -----------------------------------------------------------------------------
//
// The calling coroutine: who it is, yielding, sleeping.
//
// Like `std::this_thread`, but for coroutines. On a plain thread (not a
// coroutine) `id()` is 0, `name()` is empty, `yield_now()` yields the thread
// and `sleep()` blocks the thread.
//
//   mco::sleep(std::chrono::milliseconds(10));   // parks; the worker runs
//   others mco::yield_now();                            // lets others run
//   first printf("%llu %s\n", mco::this_coroutine::id(),
//          mco::this_coroutine::name().c_str());
//
// `sleep` and `yield_now` are cancellation points: in a cancelled coroutine
// they throw `mco::Cancelled` (see "mco/cancel.h"). Sleep deadlines come from
// libuv timers on the worker's loop; a sleep never returns early.

#ifndef MCO_STDLIB_THIS_COROUTINE_H_
#define MCO_STDLIB_THIS_COROUTINE_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace mco {

namespace this_coroutine {

// The current coroutine's id (unique in the process, from 1), or 0 on a plain
// thread.
[[nodiscard]] uint64_t id();

// The current coroutine's name ("" if unnamed or on a plain thread).
[[nodiscard]] const std::string& name();

// True when called from a coroutine.
[[nodiscard]] bool in_coroutine();

// The index of the worker thread running the caller, or -1 on a plain
// thread. A coroutine may move between workers at any blocking call.
[[nodiscard]] int worker_index();

}  // namespace this_coroutine

// yield_now()
//
// Puts the current coroutine at the back of its worker's run queue.
void yield_now();

// sleep_until_ns()
//
// Sleeps until the steady-clock time `deadline_ns` (nanoseconds since the
// steady clock's epoch).
void sleep_until_ns(int64_t deadline_ns);

// sleep()
//
// Sleeps for at least `d`. A zero or negative `d` is a cancellation point
// that returns at once.
template <typename Rep, typename Period>
void sleep(std::chrono::duration<Rep, Period> d) {
  auto now = std::chrono::steady_clock::now();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d);
  if (ns > std::chrono::steady_clock::time_point::max() - now) {
    sleep_until_ns(INT64_MAX);
    return;
  }
  sleep_until_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(
                     (now + ns).time_since_epoch())
                     .count());
}

// sleep_until()
//
// Sleeps until the steady-clock time point `t`.
template <typename Duration>
void sleep_until(
    std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
  sleep_until_ns(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch())
          .count());
}

}  // namespace mco

#endif  // MCO_STDLIB_THIS_COROUTINE_H_
