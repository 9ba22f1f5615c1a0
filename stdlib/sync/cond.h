// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: cond.h
// -----------------------------------------------------------------------------
//
// A condition variable for coroutines and threads: Go's `sync.Cond`, in the
// shape of `std::condition_variable_any`.
//
// `wait(lock)` atomically releases `lock` and waits until `signal()` /
// `broadcast()` (alias `notify_one()` / `notify_all()`) wakes it, then
// re-acquires `lock`. `lock` is any BasicLockable held by the caller —
// usually `std::unique_lock<mco::sync::Mutex>`:
//
//   mco::sync::Mutex mu;
//   mco::sync::Cond cv;
//   std::deque<Job> jobs ABSL_GUARDED_BY(mu);
//
//   std::unique_lock<mco::sync::Mutex> l(mu);
//   cv.wait(l, [&] { return !jobs.empty(); });
//
// Contract:
//  - No lost wake-ups: a waiter is queued before `lock` is released, so a
//    `signal()` made after that (with or without the lock) reaches it.
//    `signal()` wakes the longest-waiting waiter; with no waiter it does
//    nothing. Spurious wake-ups do not happen, but callers should still
//    wait in a loop on their condition (use the predicate overloads).
//  - Cancellation: if the calling coroutine is cancelled while waiting,
//    `wait` withdraws, re-acquires `lock` (not interruptibly) and throws
//    `mco::Cancelled` with `lock` held, as the standard's waits do for their
//    exceptions. A signal racing with the cancellation is passed on to
//    another waiter, never lost.
//  - The timed waits return `std::cv_status::timeout` (or the predicate's
//    value) at their deadline, with `lock` re-acquired.
//
// Memory ordering: what the signalling side wrote before `signal()` is
// visible to the waiter it wakes; normally both sides hold the same lock.

#ifndef MCO_STDLIB_SYNC_COND_H_
#define MCO_STDLIB_SYNC_COND_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <utility>

#include "mco/cancel.h"
#include "mco/sync/wait_list.h"

namespace mco::sync {

// Cond
//
// Go's `sync.Cond` for any lock.
class Cond {
 public:
  Cond() = default;
  Cond(const Cond&) = delete;
  Cond& operator=(const Cond&) = delete;

  // Cond::signal()
  //
  // Wakes the longest-waiting waiter, if any.
  void signal();

  // Cond::broadcast()
  //
  // Wakes every waiter.
  void broadcast();

  // std::condition_variable's names.
  void notify_one() { signal(); }
  void notify_all() { broadcast(); }

  // Cond::wait()
  //
  // Releases `lock`, waits for a signal, re-acquires `lock`. Throws
  // `mco::Cancelled` (with `lock` held) on cancellation.
  template <typename Lock>
  void wait(Lock& lock) {
    (void)wait_until_ns(lock, internal::kNoDeadline);
  }

  // Cond::wait(lock, pred)
  //
  // Waits until `pred()` holds (checked with `lock` held).
  template <typename Lock, typename Predicate>
  void wait(Lock& lock, Predicate pred) {
    while (!pred()) wait(lock);
  }

  // Cond::wait_until()
  //
  // Like `wait` but gives up at `t`: `std::cv_status::timeout` then.
  template <typename Lock, typename Clock, typename Duration>
  std::cv_status wait_until(Lock& lock,
                            std::chrono::time_point<Clock, Duration> t) {
    return wait_until_ns(lock, internal::to_deadline(t));
  }

  // Cond::wait_until(lock, t, pred)
  //
  // Waits until `pred()` holds or `t` passes; returns `pred()`.
  template <typename Lock, typename Clock, typename Duration,
            typename Predicate>
  bool wait_until(Lock& lock, std::chrono::time_point<Clock, Duration> t,
                  Predicate pred) {
    const int64_t deadline = internal::to_deadline(t);
    while (!pred()) {
      if (wait_until_ns(lock, deadline) == std::cv_status::timeout) {
        return pred();
      }
    }
    return true;
  }

  // Cond::wait_for()
  //
  // Like `wait` but gives up after `d`.
  template <typename Lock, typename Rep, typename Period>
  std::cv_status wait_for(Lock& lock, std::chrono::duration<Rep, Period> d) {
    return wait_until_ns(lock, internal::deadline_after(d));
  }

  // Cond::wait_for(lock, d, pred)
  //
  // Waits until `pred()` holds or `d` passes; returns `pred()`.
  template <typename Lock, typename Rep, typename Period, typename Predicate>
  bool wait_for(Lock& lock, std::chrono::duration<Rep, Period> d,
                Predicate pred) {
    const int64_t deadline = internal::deadline_after(d);
    while (!pred()) {
      if (wait_until_ns(lock, deadline) == std::cv_status::timeout) {
        return pred();
      }
    }
    return true;
  }

  // Go's names.
  void Signal() { signal(); }
  void Broadcast() { broadcast(); }

 private:
  // How a wait ended.
  enum class Outcome { kSignalled, kTimedOut, kCancelled };

  template <typename Lock>
  std::cv_status wait_until_ns(Lock& lock, int64_t deadline) {
    const Outcome o = wait_impl(
        [](void* l) { static_cast<Lock*>(l)->unlock(); }, &lock, deadline);
    {
      DeferCancel relock_is_not_interrupted;
      lock.lock();
    }
    if (o == Outcome::kCancelled) throw Cancelled();
    return o == Outcome::kTimedOut ? std::cv_status::timeout
                                   : std::cv_status::no_timeout;
  }

  // Queues the caller, calls `unlock(lock)`, parks until `deadline`.
  // Rethrows (after withdrawing) what `unlock` throws.
  Outcome wait_impl(void (*unlock)(void*), void* lock, int64_t deadline);

  internal::WaitList waiters_;
};

}  // namespace mco::sync

#endif  // MCO_STDLIB_SYNC_COND_H_
