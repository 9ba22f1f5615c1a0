// Copyright 2026 The mco Authors.
//
// RWMutex: all state under the wait list's spin lock; one FIFO queue of
// readers and writers (a writer's Waiter::payload is &kWriterTag). A waiter is
// admitted by whoever releases: the releaser updates readers_/writer_ for it
// before waking it, so a woken waiter already holds the lock.
//
// Invariant (under the lock): the front waiter cannot be admitted now
// (otherwise it would have been); a waiter is admitted only from the front.

#include "mco/sync/rw_mutex.h"

#include <mutex>
#include <stdexcept>

#include "stdlib/sync/wait_list_impl.h"

namespace mco::sync {
namespace {

// Marks a queued writer (its payload); readers have none.
char kWriterTag;

// Admits waiters from the front while they fit. Call under the lock.
void admit(rt::WaitQueue& q, int64_t& readers, bool& writer) {
  while (rt::Waiter* w = q.front()) {
    if (w->payload == &kWriterTag) {
      if (writer || readers > 0) return;
      q.pop_front();
      writer = true;
      if (w->wake()) return;
      writer = false;  // its wait had ended; try the next
    } else {
      if (writer) return;
      q.pop_front();
      ++readers;
      if (!w->wake()) --readers;
    }
  }
}

}  // namespace

bool RWMutex::try_acquire(bool write) {
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  if (writer_ || !ws.queue.empty()) return false;
  if (write) {
    if (readers_ > 0) return false;
    writer_ = true;
  } else {
    ++readers_;
  }
  return true;
}

bool RWMutex::acquire(bool write, int64_t deadline) {
  internal::WaitListState& ws = internal::state_of(waiters_);
  ws.lock.lock();
  if (!writer_ && ws.queue.empty() && (!write || readers_ == 0)) {
    if (write) {
      writer_ = true;
    } else {
      ++readers_;
    }
    ws.lock.unlock();
    return true;
  }
  const rt::WakeReason r =
      ws.queue.wait(ws.lock, rt::WaitReason::kMutex, deadline,
                    /*cancellable=*/true, write ? &kWriterTag : nullptr);
  if (r == rt::WakeReason::kNotified) return true;
  {
    // `wait` withdrew us; we may have been blocking those behind us.
    std::lock_guard<rt::SpinLock> g(ws.lock);
    admit(ws.queue, readers_, writer_);
  }
  internal::throw_if_cancelled(r);
  return false;
}

void RWMutex::unlock() {
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  if (!writer_) throw std::logic_error("sync: Unlock of unlocked RWMutex");
  writer_ = false;
  admit(ws.queue, readers_, writer_);
}

void RWMutex::unlock_shared() {
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  if (readers_ == 0) {
    throw std::logic_error("sync: RUnlock of unlocked RWMutex");
  }
  --readers_;
  admit(ws.queue, readers_, writer_);
}

}  // namespace mco::sync
