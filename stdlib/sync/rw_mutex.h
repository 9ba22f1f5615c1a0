// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: rw_mutex.h
// -----------------------------------------------------------------------------
//
// A reader/writer lock for coroutines and threads: Go's `sync.RWMutex`.
//
// Any number of readers or one writer hold it at a time. Waiters are served
// in arrival order: a reader that arrives while a writer waits queues behind
// the writer, so a stream of readers cannot starve a writer (as in Go), and
// the readers queued behind one writer all enter together when it leaves.
// `RWMutex` is Lockable, TimedLockable, SharedLockable and
// SharedTimedLockable, so `std::unique_lock` and `std::shared_lock` work:
//
//   mco::sync::RWMutex mu;
//   std::map<std::string, int> table ABSL_GUARDED_BY(mu);
//
//   int lookup(const std::string& k) {
//     std::shared_lock<mco::sync::RWMutex> l(mu);
//     auto it = table.find(k);
//     return it == table.end() ? 0 : it->second;
//   }
//
// Contract:
//  - Waiting parks a coroutine and blocks a plain thread; `lock()` and
//    `lock_shared()` throw `mco::Cancelled` (without the lock) if the calling
//    coroutine is cancelled while it waits; the timed variants give up at
//    their deadline. Either way the waiter withdraws cleanly and waiters
//    queued behind it are let in if they now can be.
//  - Not recursive: a reader that calls `lock_shared()` again while a writer
//    waits deadlocks, as in Go.
//  - Misuse throws `std::logic_error` and leaves the lock unchanged:
//    "sync: Unlock of unlocked RWMutex", "sync: RUnlock of unlocked RWMutex".
//
// Memory ordering: `unlock()` synchronises with every later acquisition;
// `unlock_shared()` synchronises with the next `lock()`.

#ifndef MCO_STDLIB_SYNC_RW_MUTEX_H_
#define MCO_STDLIB_SYNC_RW_MUTEX_H_

#include <chrono>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "mco/sync/wait_list.h"

namespace mco::sync {

// RWMutex
//
// Go's `sync.RWMutex`, FIFO between readers and writers, with timed and
// cancellable acquisition.
class ABSL_LOCKABLE RWMutex {
 public:
  RWMutex() = default;
  RWMutex(const RWMutex&) = delete;
  RWMutex& operator=(const RWMutex&) = delete;

  // RWMutex::lock()
  //
  // Acquires the lock for writing. Throws `mco::Cancelled` on cancellation
  // while waiting.
  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    (void)acquire(/*write=*/true, internal::kNoDeadline);
  }

  // RWMutex::try_lock()
  //
  // Acquires the lock for writing if that needs no waiting.
  [[nodiscard]] bool try_lock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    return try_acquire(/*write=*/true);
  }

  // RWMutex::try_lock_for() / try_lock_until()
  //
  // Acquires the lock for writing, waiting at most `d` / until `t`; true if
  // it did. Throw `mco::Cancelled` on cancellation while waiting.
  template <typename Rep, typename Period>
  [[nodiscard]] bool try_lock_for(std::chrono::duration<Rep, Period> d)
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    return acquire(/*write=*/true, internal::deadline_after(d));
  }
  template <typename Clock, typename Duration>
  [[nodiscard]] bool try_lock_until(std::chrono::time_point<Clock, Duration> t)
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    return acquire(/*write=*/true, internal::to_deadline(t));
  }

  // RWMutex::unlock()
  //
  // Releases the write lock. Throws `std::logic_error` if not write-locked.
  void unlock() ABSL_UNLOCK_FUNCTION();

  // RWMutex::lock_shared()
  //
  // Acquires the lock for reading. Throws `mco::Cancelled` on cancellation
  // while waiting.
  void lock_shared() ABSL_SHARED_LOCK_FUNCTION() {
    (void)acquire(/*write=*/false, internal::kNoDeadline);
  }

  // RWMutex::try_lock_shared()
  //
  // Acquires the lock for reading if that needs no waiting.
  [[nodiscard]] bool try_lock_shared() ABSL_SHARED_TRYLOCK_FUNCTION(true) {
    return try_acquire(/*write=*/false);
  }

  // RWMutex::try_lock_shared_for() / try_lock_shared_until()
  //
  // Acquires the lock for reading, waiting at most `d` / until `t`.
  template <typename Rep, typename Period>
  [[nodiscard]] bool try_lock_shared_for(std::chrono::duration<Rep, Period> d)
      ABSL_SHARED_TRYLOCK_FUNCTION(true) {
    return acquire(/*write=*/false, internal::deadline_after(d));
  }
  template <typename Clock, typename Duration>
  [[nodiscard]] bool try_lock_shared_until(
      std::chrono::time_point<Clock, Duration> t)
      ABSL_SHARED_TRYLOCK_FUNCTION(true) {
    return acquire(/*write=*/false, internal::to_deadline(t));
  }

  // RWMutex::unlock_shared()
  //
  // Releases one read lock. Throws `std::logic_error` if not read-locked.
  void unlock_shared() ABSL_UNLOCK_FUNCTION();

  // Go's names.
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() { unlock(); }
  void RLock() ABSL_SHARED_LOCK_FUNCTION() { lock_shared(); }
  void RUnlock() ABSL_UNLOCK_FUNCTION() { unlock_shared(); }

 private:
  bool acquire(bool write, int64_t deadline);
  bool try_acquire(bool write);

  // Guarded by waiters_' lock. readers_: read locks held; writer_: the
  // write lock is held.
  int64_t readers_ = 0;
  bool writer_ = false;
  internal::WaitList waiters_;
};

}  // namespace mco::sync

#endif  // MCO_STDLIB_SYNC_RW_MUTEX_H_
