// Copyright 2026 The mco Authors.
//
// Mutex's slow paths. The fast paths (one CAS each) are inline in mutex.h.
//
// Invariants (all under the wait list's lock, except that the fast paths
// and the spinning phase set kLocked on an unlocked mutex with a CAS, and an
// unlock that finds a woken waiter on its way clears kLocked with a CAS):
//  - A queued waiter implies kWaiters (kWaiters may outlive the queue).
//  - kStarving implies kLocked, except for the instant between a handoff
//    finding no waiter and the release that follows under the same lock.
//  - In starvation mode `unlock()` never clears kLocked while it hands the
//    mutex to a waiter: ownership passes through `Handoff::handed`.

#include "mco/sync/mutex.h"

#include <mutex>
#include <stdexcept>

#include "stdlib/sync/wait_list_impl.h"

namespace mco::sync {
namespace {

// A waiter that has waited longer than this puts the mutex into starvation
// mode (Go's starvationThresholdNs).
constexpr rt::Nanos kStarvationThreshold = 1'000'000;

// Spinning before parking: a few rounds of pause instructions, only while
// the mutex is held and not owed to a waiter.
constexpr int kSpinRounds = 4;
constexpr int kPausesPerRound = 30;

// A waiter's payload: set by `unlock()` when it hands the mutex over.
struct Handoff {
  bool handed = false;
  rt::Nanos start = 0;  // when the waiter started waiting (all rounds)
};

inline void cpu_relax() {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

}  // namespace

bool Mutex::lock_slow(int64_t deadline) {
  for (int round = 0; round < kSpinRounds; ++round) {
    int32_t s = state_.load(std::memory_order_relaxed);
    if ((s & kStarving) != 0) break;
    if ((s & kLocked) == 0) {
      if (state_.compare_exchange_weak(s, s | kLocked,
                                       std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
        return true;
      }
      continue;
    }
    for (int i = 0; i < kPausesPerRound; ++i) cpu_relax();
  }

  internal::WaitListState& ws = internal::state_of(waiters_);
  Handoff handoff;
  handoff.start = rt::now_nanos();
  bool woken = false;  // woken to compete at least once: requeue at the front
  for (;;) {
    ws.lock.lock();
    int32_t s = state_.load(std::memory_order_relaxed);
    bool acquired = false;
    for (;;) {
      int32_t next;
      if ((s & kLocked) == 0) {
        next = s | kLocked;
      } else {
        next = s | kWaiters;
        if (woken && rt::now_nanos() - handoff.start > kStarvationThreshold) {
          next |= kStarving;
        }
      }
      if (woken) next &= ~kWoken;
      if (state_.compare_exchange_weak(s, next, std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
        acquired = (s & kLocked) == 0;
        break;
      }
    }
    if (acquired) {
      ws.lock.unlock();
      return true;
    }
    const rt::WakeReason r =
        ws.queue.wait(ws.lock, rt::WaitReason::kMutex, deadline,
                      /*cancellable=*/true, &handoff, /*lifo=*/woken);
    if (r == rt::WakeReason::kNotified) {
      if (handoff.handed) return true;  // starvation mode: the mutex is ours
      woken = true;
      continue;
    }
    // Timed out or cancelled: `wait` withdrew us. Drop stale flags.
    {
      std::lock_guard<rt::SpinLock> g(ws.lock);
      if (ws.queue.empty()) {
        state_.fetch_and(~(kWaiters | kStarving), std::memory_order_relaxed);
      }
    }
    internal::throw_if_cancelled(r);
    return false;
  }
}

void Mutex::unlock_slow() {
  // Normal mode with a woken waiter on its way (Go's early return): it will
  // compete for the mutex, so there is nobody to wake. Only kLocked changes,
  // which the fast paths may do without the list's lock.
  int32_t cur = state_.load(std::memory_order_relaxed);
  while ((cur & (kLocked | kStarving | kWoken)) == (kLocked | kWoken)) {
    if (state_.compare_exchange_weak(cur, cur & ~kLocked,
                                     std::memory_order_release,
                                     std::memory_order_relaxed)) {
      return;
    }
  }
  internal::WaitListState& ws = internal::state_of(waiters_);
  std::lock_guard<rt::SpinLock> g(ws.lock);
  int32_t s = state_.load(std::memory_order_relaxed);
  if ((s & kLocked) == 0) {
    throw std::logic_error("sync: unlock of unlocked mutex");
  }
  if ((s & kStarving) != 0) {
    // Hand the mutex to the front waiter whose wait is still open.
    while (rt::Waiter* w = ws.queue.pop_front()) {
      auto* h = static_cast<Handoff*>(w->payload);
      h->handed = true;
      const bool last = ws.queue.empty();
      const bool short_wait = rt::now_nanos() - h->start < kStarvationThreshold;
      if (w->wake()) {
        int32_t clear = 0;
        if (last || short_wait) clear |= kStarving;
        if (last) clear |= kWaiters;
        // Stays locked: the woken waiter owns it. Its park synchronises
        // with this wake, so the release below is for the other bits only.
        state_.fetch_and(~clear, std::memory_order_release);
        return;
      }
      h->handed = false;  // it timed out or was cancelled; try the next
    }
    state_.fetch_and(~(kLocked | kStarving | kWaiters),
                     std::memory_order_release);
    return;
  }
  // Normal mode: release, and wake the front waiter to compete for the
  // mutex unless a woken one has not run yet.
  bool woke = false;
  if ((s & kWoken) == 0) {
    woke = ws.queue.notify_one() != nullptr;
  }
  int32_t next;
  do {
    next = s & ~kLocked;
    if (woke) next |= kWoken;
    if (ws.queue.empty()) next &= ~kWaiters;
  } while (!state_.compare_exchange_weak(s, next, std::memory_order_release,
                                         std::memory_order_relaxed));
}

}  // namespace mco::sync
