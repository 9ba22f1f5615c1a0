// Copyright 2026 The mco Authors.
//
// OnceState: a three-state word (empty, busy, ready) and a wait queue.
//
// Invariants, with the spin lock held: the word changes empty -> busy (one
// claimer), busy -> ready or busy -> empty (that claimer's `finish`), and
// nowhere else; waiters are queued only while the word is busy. `finish`
// changes the word and wakes every waiter under the lock, so a waiter cannot
// miss it. Woken waiters re-check the word: after a failed initialisation
// the first to re-take the lock claims the cell, the others wait again.

#include "mco/util/once_cell.h"

#include <mutex>
#include <new>
#include <type_traits>

#include "mco/cancel.h"
#include "runtime/clock.h"
#include "runtime/park.h"
#include "runtime/spinlock.h"
#include "runtime/wait_queue.h"

namespace mco::util::internal {
namespace {

struct Waiters {
  rt::SpinLock lock;
  rt::WaitQueue queue;
};

}  // namespace

static_assert(sizeof(Waiters) <= 3 * sizeof(void*) &&
              alignof(Waiters) <= alignof(void*));
static_assert(std::is_trivially_destructible_v<rt::SpinLock>);

// `Waiters` is trivially destructible in practice (a flag and two pointers)
// and the queue is empty whenever no call is in progress, so OnceState needs
// no destructor.
OnceState::OnceState() { ::new (static_cast<void*>(waiters_)) Waiters(); }

OnceState::Claim OnceState::claim(int64_t deadline_ns) {
  Waiters& w = *std::launder(reinterpret_cast<Waiters*>(waiters_));
  w.lock.lock();
  for (;;) {
    const uint8_t s = state_.load(std::memory_order_acquire);
    if (s == kReady) {
      w.lock.unlock();
      return Claim::kReady;
    }
    if (s == kEmpty) {
      state_.store(kBusy, std::memory_order_relaxed);
      w.lock.unlock();
      return Claim::kClaimed;
    }
    const rt::WakeReason r =
        w.queue.wait(w.lock, rt::WaitReason::kOther, deadline_ns);
    if (r == rt::WakeReason::kCancelled) throw Cancelled();
    if (r == rt::WakeReason::kTimedOut) {
      // The initialisation may have ended just as the deadline passed.
      if (state_.load(std::memory_order_acquire) == kReady) {
        return Claim::kReady;
      }
      return Claim::kTimedOut;
    }
    w.lock.lock();
  }
}

void OnceState::finish(bool stored) {
  Waiters& w = *std::launder(reinterpret_cast<Waiters*>(waiters_));
  std::lock_guard<rt::SpinLock> guard(w.lock);
  state_.store(stored ? kReady : kEmpty, std::memory_order_release);
  w.queue.notify_all();
}

int64_t deadline_after_ns(std::chrono::nanoseconds d) {
  return rt::deadline_after(d.count());
}

int64_t to_deadline_ns(std::chrono::steady_clock::time_point t) {
  return rt::to_deadline(t);
}

}  // namespace mco::util::internal
