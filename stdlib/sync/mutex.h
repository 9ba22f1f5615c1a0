// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: mutex.h
// -----------------------------------------------------------------------------
//
// A mutual exclusion lock for coroutines and threads: Go's `sync.Mutex`.
//
// `lock()` parks a coroutine that has to wait (its worker runs other
// coroutines meanwhile) and blocks a plain thread; coroutines and threads may
// contend for the same mutex. `Mutex` is Lockable and TimedLockable, so
// `std::lock_guard`, `std::unique_lock` and `std::scoped_lock` work:
//
//   mco::sync::Mutex mu;
//   int hits ABSL_GUARDED_BY(mu) = 0;
//
//   mco::go([&] {
//     std::lock_guard<mco::sync::Mutex> l(mu);
//     ++hits;
//   });
//   if (mu.try_lock_for(std::chrono::milliseconds(5))) { ...; mu.unlock(); }
//
// Contract:
//  - The uncontended `lock()` and `unlock()` are one atomic compare-and-swap
//    each; waiters park in FIFO order and never spin a core (a few hundred
//    pause instructions before parking at most).
//  - Fairness, as in Go: normally a woken waiter competes with newly arriving
//    lockers, which usually win (they are already running); this keeps
//    throughput high. A waiter that has waited more than 1 ms switches the
//    mutex to *starvation mode*: `unlock()` then hands ownership directly to
//    the front waiter and arriving lockers queue behind it. The mutex leaves
//    starvation mode when the waiter it hands off to is the last one or
//    waited less than 1 ms.
//  - Cancellation: `lock()` is a cancellation point *when it has to wait*:
//    if the calling coroutine is cancelled while waiting (or is already
//    cancelled when it would start to wait), it withdraws from the queue and
//    throws `mco::Cancelled` without holding the lock. (Go's `Lock` cannot be
//    interrupted; mco's rule is that every blocking call can.) An uncontended
//    `lock()` succeeds even in a cancelled coroutine. Inside a
//    `mco::DeferCancel` region `lock()` is not interrupted.
//  - Misuse throws `std::logic_error` ("sync: unlock of unlocked mutex"), as
//    Go panics; the mutex is unchanged. The mutex is not recursive and not
//    owned: any coroutine or thread may unlock it (as in Go).
//
// Memory ordering: `unlock()` synchronises with the `lock()` (or successful
// `try_lock*()`) that next acquires the mutex, so everything written before
// `unlock()` is visible after that acquisition.

#ifndef MCO_STDLIB_SYNC_MUTEX_H_
#define MCO_STDLIB_SYNC_MUTEX_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "mco/sync/wait_list.h"

namespace mco::sync {

// Mutex
//
// Go's `sync.Mutex`, with timed and cancellable acquisition.
class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  // Mutex::lock()
  //
  // Acquires the mutex, waiting as long as it takes. Throws `mco::Cancelled`
  // (without the lock) if the calling coroutine is cancelled while waiting.
  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    int32_t expected = 0;
    if (state_.compare_exchange_strong(expected, kLocked,
                                       std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
      return;
    }
    lock_slow(internal::kNoDeadline);
  }

  // Mutex::try_lock()
  //
  // Acquires the mutex if that needs no waiting; true if it did. Fails while
  // the mutex is in starvation mode (waiters are owed it).
  [[nodiscard]] bool try_lock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    int32_t s = state_.load(std::memory_order_relaxed);
    if ((s & (kLocked | kStarving)) != 0) return false;
    return state_.compare_exchange_strong(
        s, s | kLocked, std::memory_order_acquire, std::memory_order_relaxed);
  }

  // Mutex::try_lock_for()
  //
  // Acquires the mutex, waiting at most `d`; true if it did. Throws
  // `mco::Cancelled` (without the lock) on cancellation while waiting.
  template <typename Rep, typename Period>
  [[nodiscard]] bool try_lock_for(std::chrono::duration<Rep, Period> d)
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    if (try_lock()) return true;
    return lock_slow(internal::deadline_after(d));
  }

  // Mutex::try_lock_until()
  //
  // Acquires the mutex, waiting until `t` at most; true if it did. Throws
  // `mco::Cancelled` (without the lock) on cancellation while waiting.
  template <typename Clock, typename Duration>
  [[nodiscard]] bool try_lock_until(std::chrono::time_point<Clock, Duration> t)
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    if (try_lock()) return true;
    return lock_slow(internal::to_deadline(t));
  }

  // Mutex::unlock()
  //
  // Releases the mutex; in starvation mode hands it to the front waiter.
  // Throws `std::logic_error` if the mutex is not locked.
  void unlock() ABSL_UNLOCK_FUNCTION() {
    int32_t expected = kLocked;
    if (state_.compare_exchange_strong(expected, 0, std::memory_order_release,
                                       std::memory_order_relaxed)) {
      return;
    }
    unlock_slow();
  }

  // Go's names.
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() { unlock(); }
  [[nodiscard]] bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    return try_lock();
  }

 private:
  // state_ bits. kWaiters: the queue may be non-empty (set under the list's
  // lock by a waiter about to queue), so that `unlock()` takes the slow
  // path. kWoken: a waiter was woken to compete and has not yet run, so
  // `unlock()` need not wake another. kStarving: starvation mode; the mutex
  // then stays locked from one owner to the next. Only kLocked changes
  // outside the list's lock (the fast paths).
  static constexpr int32_t kLocked = 1;
  static constexpr int32_t kStarving = 2;
  static constexpr int32_t kWaiters = 4;
  static constexpr int32_t kWoken = 8;

  // Spins briefly, then queues until `deadline`; true if acquired, false if
  // timed out. Throws `Cancelled`.
  bool lock_slow(int64_t deadline);
  void unlock_slow();

  std::atomic<int32_t> state_{0};
  internal::WaitList waiters_;
};

}  // namespace mco::sync

#endif  // MCO_STDLIB_SYNC_MUTEX_H_
