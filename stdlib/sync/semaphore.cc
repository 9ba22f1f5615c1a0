// Copyright 2026 The mco Authors.
//
// Semaphore: `held_` and a FIFO of waiters (payload: the units wanted)
// under the wait list's lock. Units are granted by whoever frees them: the
// releaser adds a waiter's units to `held_` before waking it, so a woken
// waiter already holds them; if the wake fails (the waiter gave up), the
// units are taken back and the next waiter is tried.

#include "mco/sync/semaphore.h"

#include <mutex>
#include <stdexcept>

#include "stdlib/sync/wait_list_impl.h"

namespace mco::sync {
namespace {

void check_weight(int64_t n) {
  if (n < 0) throw std::logic_error("semaphore: negative weight");
}

// Grants units to waiters from the front while they fit. Under the lock.
void grant(rt::WaitQueue& q, int64_t size, int64_t& held) {
  while (rt::Waiter* w = q.front()) {
    const int64_t want = *static_cast<const int64_t*>(w->payload);
    if (size - held < want) return;  // FIFO: nobody passes the front
    q.pop_front();
    held += want;
    if (!w->wake()) held -= want;
  }
}

}  // namespace

Semaphore::Semaphore(int64_t size) : size_(size) {
  if (size < 0) throw std::invalid_argument("semaphore: negative size");
}

bool Semaphore::try_acquire(int64_t n) {
  check_weight(n);
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  if (size_ - held_ < n || !ws.queue.empty()) return false;
  held_ += n;
  return true;
}

bool Semaphore::acquire_until_ns(int64_t n, int64_t deadline) {
  check_weight(n);
  internal::WaitListState& ws = internal::state_of(waiters_);
  ws.lock.lock();
  if (size_ - held_ >= n && ws.queue.empty()) {
    held_ += n;
    ws.lock.unlock();
    return true;
  }
  int64_t want = n;
  const rt::WakeReason r =
      ws.queue.wait(ws.lock, rt::WaitReason::kSemaphore, deadline, true, &want);
  if (r == rt::WakeReason::kNotified) return true;
  {
    // `wait` withdrew us; those behind may fit now (Go's notifyWaiters).
    std::lock_guard<rt::SpinLock> g(ws.lock);
    grant(ws.queue, size_, held_);
  }
  internal::throw_if_cancelled(r);
  return false;
}

void Semaphore::release(int64_t n) {
  check_weight(n);
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  if (n > held_) throw std::logic_error("semaphore: released more than held");
  held_ -= n;
  grant(ws.queue, size_, held_);
}

int64_t Semaphore::held() const {
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  return held_;
}

}  // namespace mco::sync
