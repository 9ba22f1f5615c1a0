// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: wait_group.h
// -----------------------------------------------------------------------------
//
// Waiting for a collection of coroutines to finish: Go's `sync.WaitGroup`.
//
// The counter starts at zero; `add(n)` raises it, `done()` lowers it by one,
// and `wait()` waits until it is zero:
//
//   mco::sync::WaitGroup wg;
//   for (auto& url : urls) {
//     wg.add(1);
//     mco::go([&wg, url] {
//       fetch(url);
//       wg.done();
//     });
//   }
//   wg.wait();
//
// Contract:
//  - `add` and `done` never block and take no lock unless the counter
//    reaches zero with waiters queued. `wait()` returns at once if the
//    counter is zero; otherwise it parks a coroutine / blocks a thread until
//    the counter reaches zero. It throws `mco::Cancelled` if the calling
//    coroutine is cancelled while waiting; `wait_for` / `wait_until` give up
//    at their deadline (false).
//  - Reusable: once the counter has reached zero and the waiters are
//    released, `add` may start a new round. As in Go, positive `add`s that
//    start a round should happen before the `wait` they are meant for.
//  - A counter that would go negative throws `std::logic_error`
//    ("sync: negative WaitGroup counter") and is left unchanged.
//
// Memory ordering: everything written before a `done()` (or `add`) that
// brings the counter to zero is visible after the `wait()` it releases.

#ifndef MCO_STDLIB_SYNC_WAIT_GROUP_H_
#define MCO_STDLIB_SYNC_WAIT_GROUP_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "mco/sync/wait_list.h"

namespace mco::sync {

// WaitGroup
//
// Go's `sync.WaitGroup`, with timed and cancellable waits.
class WaitGroup {
 public:
  WaitGroup() = default;
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;

  // WaitGroup::add()
  //
  // Adds `delta` (which may be negative) to the counter; releases the
  // waiters if it reaches zero. Throws `std::logic_error` if it would go
  // negative.
  void add(int64_t delta);

  // WaitGroup::done()
  //
  // `add(-1)`.
  void done() { add(-1); }

  // WaitGroup::wait()
  //
  // Waits until the counter is zero. Throws `mco::Cancelled` on
  // cancellation while waiting.
  void wait() { (void)wait_until_ns(internal::kNoDeadline); }

  // WaitGroup::wait_for() / wait_until()
  //
  // Waits at most `d` / until `t`; true if the counter reached zero.
  template <typename Rep, typename Period>
  [[nodiscard]] bool wait_for(std::chrono::duration<Rep, Period> d) {
    return wait_until_ns(internal::deadline_after(d));
  }
  template <typename Clock, typename Duration>
  [[nodiscard]] bool wait_until(std::chrono::time_point<Clock, Duration> t) {
    return wait_until_ns(internal::to_deadline(t));
  }

  // WaitGroup::count()
  //
  // The counter now (for tests and diagnostics; stale at once).
  [[nodiscard]] int64_t count() const {
    return state_.load(std::memory_order_relaxed) >> kCountShift;
  }

  // Go's names.
  void Add(int64_t delta) { add(delta); }
  void Done() { done(); }
  void Wait() { wait(); }

 private:
  // state_: counter << kCountShift | kWaiters. kWaiters is set (under the
  // wait list's lock) by a waiter about to queue, and cleared by the `add`
  // that releases the queue, under the same lock.
  static constexpr int kCountShift = 1;
  static constexpr int64_t kWaiters = 1;

  bool wait_until_ns(int64_t deadline);
  void release_waiters(int64_t delta);

  std::atomic<int64_t> state_{0};
  internal::WaitList waiters_;
};

}  // namespace mco::sync

#endif  // MCO_STDLIB_SYNC_WAIT_GROUP_H_
