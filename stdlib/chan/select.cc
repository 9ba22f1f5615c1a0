// Copyright 2026 The mco Authors.
//
// select: the type-independent core behind mco/chan/select.h, after Go's
// runtime/select.go.
//
// 1. Poll the cases in a random order (all channel locks held, taken in
//    address order), completing the first that can proceed. Random order is
//    what makes a select fair when several cases are ready.
// 2. If none can and the select may block: arm one parker episode, queue a
//    waiter for every case (all sharing the episode, so exactly one waker
//    can win), release the locks and park.
// 3. Once woken (or timed out, or cancelled): re-take all locks, withdraw
//    every waiter still queued, and find the case whose waker won (its
//    `Sudog::fired`). A waker that lost moved its value back and cleared
//    `fired` under its channel's lock, which we now hold, so at most one case
//    is fired and its transfer is complete.

#include "mco/chan/select.h"

#include <algorithm>
#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "mco/cancel.h"
#include "runtime/check.h"
#include "runtime/clock.h"
#include "runtime/park.h"
#include "runtime/wait_queue.h"
#include "stdlib/chan/chan_internal.h"

namespace mco::detail {
namespace {

// A per-thread xorshift generator: select's poll order need not be
// cryptographic, only uniform and cheap.
uint64_t next_random() {
  thread_local uint64_t state = [] {
    uint64_t s = static_cast<uint64_t>(rt::now_nanos()) ^
                 reinterpret_cast<uintptr_t>(&state);
    return s == 0 ? 0x9E3779B97F4A7C15ull : s;
  }();
  uint64_t x = state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  state = x;
  return x;
}

// Uniform in [0, n) (Lemire's multiply-shift; the bias is negligible).
uint32_t random_below(uint32_t n) {
  return static_cast<uint32_t>(((next_random() >> 32) * n) >> 32);
}

// The channels of a select, sorted by address, locked and unlocked as a set
// (each channel once, however many cases name it).
class LockSet {
 public:
  LockSet(const SelectCase* cases, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (cases[i].chan != nullptr) chans_.push_back(cases[i].chan);
    }
    std::sort(chans_.begin(), chans_.end());
    chans_.erase(std::unique(chans_.begin(), chans_.end()), chans_.end());
  }
  void lock() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    for (ChanCore* c : chans_) c->mu.lock();
  }
  void unlock() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    for (ChanCore* c : chans_) c->mu.unlock();
  }

 private:
  absl::InlinedVector<ChanCore*, 8> chans_;
};

}  // namespace

SelectOutcome chan_select(SelectCase* cases, size_t n, bool block,
                          int64_t deadline) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  const bool wanted_block = block;
  block = still_blocking(block, deadline);
  if (block) check_cancel();

  // 1. Poll in random order (Fisher-Yates).
  absl::InlinedVector<uint32_t, 8> order(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t j = random_below(i + 1);
    order[i] = order[j];
    order[j] = i;
  }
  LockSet locks(cases, n);
  locks.lock();
  for (uint32_t i : order) {
    SelectCase& k = cases[i];
    ChanCore* c = k.chan;
    if (c == nullptr) continue;  // nil channels are never ready
    if (k.is_send) {
      if (c->closed.load(std::memory_order_relaxed)) {
        locks.unlock();
        throw ChanClosedError("send on closed channel");
      }
      if (send_locked(c, k.elem)) {
        locks.unlock();
        return {static_cast<int>(i), ChanStatus::kOk};
      }
    } else {
      const ChanStatus s = recv_locked(c, k.elem);
      if (s != ChanStatus::kTimeout) {
        locks.unlock();
        return {static_cast<int>(i), s};
      }
    }
  }
  if (!block) {
    locks.unlock();
    return {-1, expired(wanted_block)};
  }

  // 2. Queue one waiter per case, all in one episode, and park.
  rt::Parker& p = rt::current_parker();
  const rt::Parker::Token token = p.prepare(/*cancellable=*/true);
  absl::InlinedVector<rt::Waiter, 4> waiters(n);
  absl::InlinedVector<Sudog, 4> sudogs(n);
  for (size_t i = 0; i < n; ++i) {
    if (cases[i].chan == nullptr) continue;
    rt::Waiter& w = waiters[i];
    w.parker = &p;
    w.token = token;
    w.payload = &sudogs[i];
    w.index = static_cast<int64_t>(i);
    sudogs[i].elem = cases[i].elem;
    (cases[i].is_send ? cases[i].chan->sendq : cases[i].chan->recvq)
        .push_back(&w);
  }
  locks.unlock();
  const rt::WakeReason r = p.park(token, rt::WaitReason::kSelect, deadline);

  // 3. Withdraw from every queue and find the winner.
  locks.lock();
  int fired = -1;
  for (size_t i = 0; i < n; ++i) {
    if (cases[i].chan == nullptr) continue;
    (cases[i].is_send ? cases[i].chan->sendq : cases[i].chan->recvq)
        .remove(&waiters[i]);
    if (sudogs[i].fired) {
      MCO_CHECK(fired < 0);
      fired = static_cast<int>(i);
    }
  }
  locks.unlock();

  if (fired >= 0) {
    MCO_CHECK(r == rt::WakeReason::kNotified);
    const bool ok = sudogs[fired].success;
    if (cases[fired].is_send) {
      if (!ok) throw ChanClosedError("send on closed channel");
      return {fired, ChanStatus::kOk};
    }
    return {fired, ok ? ChanStatus::kOk : ChanStatus::kClosed};
  }
  MCO_CHECK(r != rt::WakeReason::kNotified);
  if (r == rt::WakeReason::kCancelled) throw Cancelled();
  return {-1, ChanStatus::kTimeout};
}

}  // namespace mco::detail
