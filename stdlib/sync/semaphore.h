// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: semaphore.h
// -----------------------------------------------------------------------------
//
// A weighted semaphore: golang.org/x/sync/semaphore's `Weighted`.
//
// A `Semaphore` of size `n` hands out up to `n` units; `acquire(k)` takes
// `k` of them, waiting until they are free, and `release(k)` gives them
// back. Typical use bounds concurrency:
//
//   mco::sync::Semaphore sem(4);           // at most 4 fetches at a time
//   for (auto& url : urls) {
//     sem.acquire(1);
//     mco::go([&sem, url] {
//       fetch(url);
//       sem.release(1);
//     });
//   }
//   sem.acquire(4);                        // wait for all of them
//
// Contract:
//  - FIFO: waiters are served in arrival order, and a waiter is not passed
//    by later, smaller requests, so a large request is not starved (it may
//    hold up smaller ones queued behind it, as in Go). An `acquire` that
//    arrives while others wait queues even if units are free.
//  - `acquire(k)` with `k` larger than the size waits until cancelled or
//    (the timed variants) its deadline, as Go's waits until its context is
//    done. `k` = 0 succeeds at once unless others are queued.
//  - `acquire` throws `mco::Cancelled` if the calling coroutine is cancelled
//    while it waits; `acquire_for` / `acquire_until` give up at their
//    deadline (false). A waiter that gives up lets those behind it in if
//    they now fit. `try_acquire` never waits.
//  - `release(k)` of more than is held throws `std::logic_error`
//    ("semaphore: released more than held") and changes nothing; so does a
//    negative `k` anywhere.
//
// Memory ordering: `release` synchronises with the `acquire`s it lets
// proceed.

#ifndef MCO_STDLIB_SYNC_SEMAPHORE_H_
#define MCO_STDLIB_SYNC_SEMAPHORE_H_

#include <chrono>
#include <cstdint>

#include "mco/sync/wait_list.h"

namespace mco::sync {

// Semaphore
//
// A weighted, FIFO, cancellable counting semaphore.
class Semaphore {
 public:
  // Semaphore(size)
  //
  // A semaphore of `size` units, all free. Throws `std::invalid_argument`
  // if `size` is negative.
  explicit Semaphore(int64_t size);
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Semaphore::acquire()
  //
  // Takes `n` units, waiting for them. Throws `mco::Cancelled` on
  // cancellation while waiting.
  void acquire(int64_t n = 1) {
    (void)acquire_until_ns(n, internal::kNoDeadline);
  }

  // Semaphore::try_acquire()
  //
  // Takes `n` units if they are free and nobody is waiting; true if it did.
  [[nodiscard]] bool try_acquire(int64_t n = 1);

  // Semaphore::acquire_for() / acquire_until()
  //
  // Takes `n` units, waiting at most `d` / until `t`; true if it did.
  template <typename Rep, typename Period>
  [[nodiscard]] bool acquire_for(int64_t n,
                                 std::chrono::duration<Rep, Period> d) {
    return acquire_until_ns(n, internal::deadline_after(d));
  }
  template <typename Clock, typename Duration>
  [[nodiscard]] bool acquire_until(int64_t n,
                                   std::chrono::time_point<Clock, Duration> t) {
    return acquire_until_ns(n, internal::to_deadline(t));
  }

  // Semaphore::release()
  //
  // Gives back `n` units and lets in the waiters that now fit, in order.
  void release(int64_t n = 1);

  // Semaphore::size() / held()
  //
  // The size, and the units held now (stale at once).
  [[nodiscard]] int64_t size() const { return size_; }
  [[nodiscard]] int64_t held() const;

  // Go's names.
  [[nodiscard]] bool TryAcquire(int64_t n) { return try_acquire(n); }
  void Release(int64_t n) { release(n); }

 private:
  bool acquire_until_ns(int64_t n, int64_t deadline);

  const int64_t size_;
  int64_t held_ = 0;  // guarded by waiters_' lock
  mutable internal::WaitList waiters_;
};

}  // namespace mco::sync

#endif  // MCO_STDLIB_SYNC_SEMAPHORE_H_
