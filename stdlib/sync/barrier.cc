// Copyright 2026 The mco Authors.
//
// Barrier: arrivals, the generation number and the waiters under the wait
// list's lock. The last party of a generation bumps the generation and
// wakes everyone; a party that gives up re-takes the lock and withdraws its
// arrival unless the generation has moved on meanwhile.

#include "mco/sync/barrier.h"

#include <mutex>
#include <stdexcept>

#include "stdlib/sync/wait_list_impl.h"

namespace mco::sync {

Barrier::Barrier(int64_t n) : parties_(n) {
  if (n < 1) throw std::invalid_argument("barrier: needs at least one party");
}

bool Barrier::arrive_and_wait() {
  return arrive_and_wait_until_ns(internal::kNoDeadline) == kLast;
}

Barrier::Outcome Barrier::arrive_and_wait_until_ns(int64_t deadline) {
  internal::WaitListState& ws = internal::state_of(waiters_);
  ws.lock.lock();
  const uint64_t gen = generation_;
  if (++arrived_ == parties_) {
    arrived_ = 0;
    ++generation_;
    ws.queue.notify_all();
    ws.lock.unlock();
    return kLast;
  }
  const rt::WakeReason r =
      ws.queue.wait(ws.lock, rt::WaitReason::kOther, deadline);
  if (r == rt::WakeReason::kNotified) return kPassed;
  {
    std::lock_guard<rt::SpinLock> g(ws.lock);
    if (generation_ != gen) return kPassed;  // completed as we gave up
    --arrived_;
  }
  internal::throw_if_cancelled(r);
  return kTimedOut;
}

uint64_t Barrier::generation() const {
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  return generation_;
}

}  // namespace mco::sync
