// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: park.h
// -----------------------------------------------------------------------------
//
// The one way anything in mco waits, and the one way it is woken.
//
// Model
//
// Every waiter owns a `Parker`: each coroutine has one, and each plain thread
// has one (`current_parker()` returns the caller's). A wait is one *episode*:
//
//   Parker& p = current_parker();
//   Parker::Token t = p.prepare(/*cancellable=*/true);   // 1. arm
//   publish(&p, t);               // 2. put (parker, token) where a waker finds
//                                 //    it, e.g. a wait list, under its lock
//   WakeReason r = p.park(t, WaitReason::kChanRecv, deadline);   // 3. wait
//   if (r != WakeReason::kNotified) withdraw(&p, t);  // 4. under the lock
//
// and a waker calls `p.unpark(t)`. Exactly one of the possible wakers of an
// episode wins (a notifier, the deadline's timer, a cancellation request);
// `unpark` returns true only for the winner, so a notifier that loses can
// hand its notification to another waiter. `park` returns which one won.
//
// A waker may run before the waiter has left its stack: the episode's state
// word goes ARMED -> WOKEN, and the scheduler, once the coroutine is off its
// stack, moves it ARMED -> PARKED or, seeing WOKEN, makes it runnable again at
// once. A waker that finds PARKED moves it to WOKEN and calls `ready`. So no
// commit callback is needed and no wake-up is lost.
//
// Liveness: a waker must know the parker is alive while it calls `unpark`:
// it either calls it under the lock the waiter takes to withdraw (step 4), or
// holds a reference to the coroutine.
//
// A coroutine parks by switching to its worker's scheduler; a plain thread
// blocks on a condition variable. Deadlines on coroutines are entries in the
// worker's deadline heap (timer.h).

#ifndef MCO_RUNTIME_PARK_H_
#define MCO_RUNTIME_PARK_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "runtime/clock.h"

namespace mco::rt {

struct Coroutine;

// Why a coroutine waits; the coroutine dump prints it.
enum class WaitReason : uint8_t {
  kNone = 0,
  kYield,
  kSleep,
  kJoin,
  kPark,
  kChanSend,
  kChanRecv,
  kSelect,
  kMutex,
  kCond,
  kSemaphore,
  kIo,
  kOffload,
  kOther,
};
const char* wait_reason_name(WaitReason reason);

// True if a wait for `reason` is ended by something outside the coroutines
// (a deadline, I/O, another thread): the deadlock detector does not count
// such a coroutine as stuck.
bool woken_from_outside(WaitReason reason);

// Who ended an episode.
enum class WakeReason : uint8_t {
  kNotified = 0,
  kTimedOut = 1,
  kCancelled = 2,
};

class Parker {
 public:
  using Token = uint64_t;

  // A coroutine's parker (co != nullptr) or a thread's (co == nullptr).
  explicit Parker(Coroutine* co)
      : co_(co), thread_(co == nullptr ? new ThreadWait : nullptr) {}
  ~Parker() { delete thread_; }
  Parker(const Parker&) = delete;
  Parker& operator=(const Parker&) = delete;

  // Parker::prepare()
  //
  // Starts an episode and returns its token. If `cancellable`, a cancellation
  // request of the coroutine ends it with `kCancelled` (a request already
  // pending ends it at once, unless cancellation is deferred).
  Token prepare(bool cancellable);

  // Parker::park()
  //
  // Waits until the episode `token` is ended by `unpark` or by `deadline`
  // (`kNoDeadline`: none). Must be called by the parker's owner, once per
  // episode, after `prepare`. Returns at once if the episode already ended.
  WakeReason park(Token token, WaitReason why, Nanos deadline);

  // Parker::unpark()
  //
  // Ends episode `token` with `reason` if it is still armed; returns true if
  // this call ended it. Safe from any thread.
  bool unpark(Token token, WakeReason reason = WakeReason::kNotified);

  // Ends the current episode with kCancelled if it is cancellable (used by
  // cancellation requests). Returns true if it ended it.
  bool unpark_if_cancellable();

  // Called by the scheduler once the parked coroutine is off its stack:
  // ARMED -> PARKED. Returns false if the episode already ended, in which case
  // the coroutine must be made runnable again.
  bool commit_parked();

  // True while episode `token` has not ended (armed or parked).
  [[nodiscard]] bool episode_pending(Token token) const {
    const uint64_t w = word_.load(std::memory_order_acquire);
    const uint64_t st = state_of(w);
    return gen_of(w) == token && (st == kArmed || st == kParked);
  }

  // True while the owner is parked (off its stack, waiting to be woken).
  [[nodiscard]] bool parked() const {
    return state_of(word_.load(std::memory_order_acquire)) == kParked;
  }

  [[nodiscard]] Coroutine* coroutine() const { return co_; }

 private:
  // State word: bits 0-1 state, bits 2-3 WakeReason, bit 4 cancellable,
  // bits 5.. episode number.
  static constexpr uint64_t kIdle = 0, kArmed = 1, kParked = 2, kWoken = 3;
  static constexpr uint64_t kStateMask = 3;
  static constexpr uint64_t kCancellableBit = 16;
  static constexpr int kGenShift = 5;

  static uint64_t gen_of(uint64_t w) { return w >> kGenShift; }
  static uint64_t state_of(uint64_t w) { return w & kStateMask; }
  static WakeReason reason_of(uint64_t w) {
    return static_cast<WakeReason>((w >> 2) & 3);
  }
  bool try_end(uint64_t expected_gen, WakeReason reason, bool need_cancellable);
  WakeReason park_thread(Token token, Nanos deadline);

  // How a plain thread waits (coroutines switch instead, so they carry none).
  struct ThreadWait {
    std::mutex mu;
    std::condition_variable cv;
  };

  std::atomic<uint64_t> word_{0};
  Coroutine* const co_;
  ThreadWait* const thread_;  // plain threads only
};

// Returns the calling coroutine's parker, or the calling thread's.
Parker& current_parker();

}  // namespace mco::rt

#endif  // MCO_RUNTIME_PARK_H_
