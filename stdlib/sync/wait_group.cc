// Copyright 2026 The mco Authors.
//
// WaitGroup: the counter and a "waiters queued" bit in one atomic word.
// `add` is a CAS loop unless it takes the counter to zero with the bit set;
// then it does that step under the wait list's lock, where waiters set the
// bit and queue, so it releases exactly the waiters of the round that
// ended.

#include "mco/sync/wait_group.h"

#include <mutex>
#include <stdexcept>

#include "stdlib/sync/wait_list_impl.h"

namespace mco::sync {
namespace {

[[noreturn]] void throw_negative() {
  throw std::logic_error("sync: negative WaitGroup counter");
}

}  // namespace

void WaitGroup::add(int64_t delta) {
  int64_t s = state_.load(std::memory_order_relaxed);
  for (;;) {
    const int64_t count = (s >> kCountShift) + delta;
    if (count < 0) throw_negative();
    if (count == 0 && (s & kWaiters) != 0) break;  // release, under the lock
    const int64_t next = (count << kCountShift) | (s & kWaiters);
    if (state_.compare_exchange_weak(s, next, std::memory_order_acq_rel,
                                     std::memory_order_relaxed)) {
      return;
    }
  }
  release_waiters(delta);
}

void WaitGroup::release_waiters(int64_t delta) {
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  int64_t s = state_.load(std::memory_order_relaxed);
  for (;;) {
    const int64_t count = (s >> kCountShift) + delta;
    if (count < 0) throw_negative();
    const int64_t next =
        count == 0 ? 0 : ((count << kCountShift) | (s & kWaiters));
    if (state_.compare_exchange_weak(s, next, std::memory_order_acq_rel,
                                     std::memory_order_relaxed)) {
      if (count == 0) ws.queue.notify_all();
      return;
    }
  }
}

bool WaitGroup::wait_until_ns(int64_t deadline) {
  if ((state_.load(std::memory_order_acquire) >> kCountShift) == 0) {
    return true;
  }
  internal::WaitListState& ws = internal::state_of(waiters_);
  ws.lock.lock();
  int64_t s = state_.load(std::memory_order_acquire);
  for (;;) {
    if ((s >> kCountShift) == 0) {
      ws.lock.unlock();
      return true;
    }
    if ((s & kWaiters) != 0 ||
        state_.compare_exchange_weak(s, s | kWaiters, std::memory_order_acquire,
                                     std::memory_order_acquire)) {
      break;
    }
  }
  const rt::WakeReason r =
      ws.queue.wait(ws.lock, rt::WaitReason::kOther, deadline);
  if (r == rt::WakeReason::kNotified) {
    // The releaser woke us under the lock and may still be waking others
    // or unlocking. Once we return, our caller may destroy the WaitGroup
    // (Go allows it), so wait until the releaser has let go of it: its
    // unlock is its last touch.
    ws.lock.lock();
    ws.lock.unlock();
    return true;
  }
  // Withdrawn. A stale kWaiters bit only sends the next release through
  // the lock.
  internal::throw_if_cancelled(r);
  return false;
}

}  // namespace mco::sync
