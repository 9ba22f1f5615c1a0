// Copyright 2026 The mco Authors.
//
// Once: `done_` for the fast path; `running_` and the waiters under the
// wait list's lock. The runner clears `running_` and wakes every waiter
// when its `f` ends: they find `done_` set, or (if `f` threw) race to run
// their own.

#include "mco/sync/once.h"

#include <mutex>

#include "stdlib/sync/wait_list_impl.h"

namespace mco::sync {

bool Once::call_slow(absl::FunctionRef<void()> f, int64_t deadline) {
  internal::WaitListState& ws = internal::state_of(waiters_);
  for (;;) {
    ws.lock.lock();
    if (done_.load(std::memory_order_relaxed)) {
      ws.lock.unlock();
      return true;
    }
    if (!running_) break;
    const rt::WakeReason r =
        ws.queue.wait(ws.lock, rt::WaitReason::kOther, deadline);
    if (r == rt::WakeReason::kNotified) continue;
    internal::throw_if_cancelled(r);
    return false;
  }
  running_ = true;
  ws.lock.unlock();

  // Ends the run, successful or not, and wakes the waiters.
  auto finish = [&](bool ok) {
    std::lock_guard<rt::SpinLock> g(ws.lock);
    running_ = false;
    if (ok) done_.store(true, std::memory_order_release);
    ws.queue.notify_all();
  };
  try {
    f();
  } catch (...) {
    finish(false);
    throw;
  }
  finish(true);
  return true;
}

}  // namespace mco::sync
