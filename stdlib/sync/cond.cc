// Copyright 2026 The mco Authors.
//
// Cond: a FIFO of waiters under the wait list's spin lock. `wait_impl` is
// `rt::WaitQueue::wait` with one step added: the caller's lock is released
// after the waiter is queued and before it parks, which is what makes a
// signal that follows the release reach it.

#include "mco/sync/cond.h"

#include <exception>
#include <mutex>

#include "stdlib/sync/wait_list_impl.h"

namespace mco::sync {

void Cond::signal() {
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  ws.queue.notify_one();
}

void Cond::broadcast() {
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  ws.queue.notify_all();
}

Cond::Outcome Cond::wait_impl(void (*unlock)(void*), void* lock,
                              int64_t deadline) {
  internal::WaitListState& ws = internal::state_of(waiters_);
  rt::Parker& p = rt::current_parker();
  rt::Waiter w;
  w.parker = &p;
  w.token = p.prepare(/*cancellable=*/true);
  ws.lock.lock();
  ws.queue.push_back(&w);
  ws.lock.unlock();

  try {
    unlock(lock);
  } catch (...) {
    // Not held, say: withdraw, close the episode, pass on a signal we took.
    ws.lock.lock();
    ws.queue.remove(&w);
    const bool took_signal = !p.unpark(w.token, rt::WakeReason::kTimedOut);
    if (took_signal) ws.queue.notify_one();
    ws.lock.unlock();
    (void)p.park(w.token, rt::WaitReason::kCond, deadline);  // returns at once
    throw;
  }

  const rt::WakeReason r = p.park(w.token, rt::WaitReason::kCond, deadline);
  if (r == rt::WakeReason::kNotified) return Outcome::kSignalled;
  {
    std::lock_guard<rt::SpinLock> g(ws.lock);
    ws.queue.remove(&w);
  }
  return r == rt::WakeReason::kCancelled ? Outcome::kCancelled
                                         : Outcome::kTimedOut;
}

}  // namespace mco::sync
