// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: barrier.h
// -----------------------------------------------------------------------------
//
// A reusable barrier for a fixed number of parties (coroutines or threads).
//
// Each party calls `arrive_and_wait()`; the calls wait until all `n` have
// arrived, then all return and the barrier is ready for the next
// *generation*:
//
//   mco::sync::Barrier step(kWorkers);
//   for (int w = 0; w < kWorkers; ++w) {
//     mco::go([&, w] {
//       for (int round = 0; round < kRounds; ++round) {
//         compute(w, round);
//         step.arrive_and_wait();   // everyone finished `round`
//       }
//     });
//   }
//
// Contract:
//  - `arrive_and_wait()` returns true in exactly one party per generation
//    (the last to arrive, which does not wait), false in the others — like
//    `PTHREAD_BARRIER_SERIAL_THREAD`.
//  - A waiting party that is cancelled (throws `mco::Cancelled`) or whose
//    `arrive_and_wait_for` / `_until` deadline passes (returns false)
//    withdraws its arrival, so the generation then needs one more party.
//    If the generation completed just as it gave up, it counts as having
//    passed (the timed call returns true; a cancelled one returns normally
//    and the request stays pending for the next cancellation point).
//
// Memory ordering: everything each party wrote before arriving is visible
// to every party after the generation completes.

#ifndef MCO_STDLIB_SYNC_BARRIER_H_
#define MCO_STDLIB_SYNC_BARRIER_H_

#include <chrono>
#include <cstdint>

#include "mco/sync/wait_list.h"

namespace mco::sync {

// Barrier
//
// A cyclic barrier for `n` parties.
class Barrier {
 public:
  // Barrier(n)
  //
  // A barrier for `n` parties. Throws `std::invalid_argument` unless
  // `n` >= 1.
  explicit Barrier(int64_t n);
  Barrier(const Barrier&) = delete;
  Barrier& operator=(const Barrier&) = delete;

  // Barrier::arrive_and_wait()
  //
  // Arrives and waits for the generation to complete; true in its last
  // party. Throws `mco::Cancelled` on cancellation while waiting.
  bool arrive_and_wait();

  // Barrier::arrive_and_wait_for() / arrive_and_wait_until()
  //
  // Arrives and waits at most `d` / until `t`; true if the generation
  // completed, false if the call gave up (and withdrew its arrival).
  template <typename Rep, typename Period>
  [[nodiscard]] bool arrive_and_wait_for(std::chrono::duration<Rep, Period> d) {
    return arrive_and_wait_until_ns(internal::deadline_after(d)) != kTimedOut;
  }
  template <typename Clock, typename Duration>
  [[nodiscard]] bool arrive_and_wait_until(
      std::chrono::time_point<Clock, Duration> t) {
    return arrive_and_wait_until_ns(internal::to_deadline(t)) != kTimedOut;
  }

  // Barrier::parties()
  [[nodiscard]] int64_t parties() const { return parties_; }

  // Barrier::generation()
  //
  // How many generations have completed (stale at once).
  [[nodiscard]] uint64_t generation() const;

 private:
  enum Outcome { kPassed, kLast, kTimedOut };
  Outcome arrive_and_wait_until_ns(int64_t deadline);

  const int64_t parties_;
  int64_t arrived_ = 0;      // guarded by waiters_' lock
  uint64_t generation_ = 0;  // guarded by waiters_' lock
  mutable internal::WaitList waiters_;
};

}  // namespace mco::sync

#endif  // MCO_STDLIB_SYNC_BARRIER_H_
