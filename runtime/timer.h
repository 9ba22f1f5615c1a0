// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: timer.h
// -----------------------------------------------------------------------------
//
// Deadlines of parked coroutines, as libuv timers on the loop of the worker
// the coroutine parked on.
//
// A `TimerNode` ends one park episode with `kTimedOut` when its deadline
// passes. libuv timers count whole milliseconds on a cached loop clock, so
// the callback re-checks the monotonic clock and re-arms for the remainder
// if it fired early: a deadline never ends a wait before it has passed.
//
// Ownership: a node has two owners, the loop (until its handle is closed)
// and the waiting coroutine (until `disarm_timer`). Only the owning worker's
// thread touches the libuv handle; `disarm_timer` from another thread posts
// the node to the owner through its async handle.

#ifndef MCO_RUNTIME_TIMER_H_
#define MCO_RUNTIME_TIMER_H_

#include <memory>

#include "absl/functional/any_invocable.h"
#include "runtime/clock.h"
#include "runtime/park.h"

namespace mco::rt {

struct Coroutine;
struct TimerNode;
struct Worker;

// Arms a timer on the calling worker's loop that ends `co`'s episode `token`
// at `deadline`. Must be called on a worker thread.
TimerNode* arm_timer(Coroutine* co, Parker::Token token, Nanos deadline);

// The waiting side is done with `node` (whatever ended the episode). Safe
// from any thread.
void disarm_timer(TimerNode* node);

// Runs on a worker's thread from its async callback: processes disarms
// posted by other threads.
void drain_remote_disarms(Worker* w);

// Closes every timer still on `w`'s loop (at shutdown).
void close_all_timers(Worker* w);

// TimerTask
//
// A one-shot callback at a deadline, for timers that are not a parked
// coroutine's deadline (mco/time's Timer, Ticker, after). The callback runs
// on a worker's thread between coroutines, so it must not block: it
// typically try-sends on a channel or readies a coroutine. Scheduling and
// cancelling never block and work from any thread while the scheduler runs;
// the timer lives on the loop of the calling worker (or of a worker chosen
// round robin, from a plain thread).
class TimerTask {
 public:
  TimerTask() = default;  // empty: nothing scheduled

  // TimerTask::schedule()
  //
  // Runs `fn` once at `deadline` (never earlier). Returns an empty task if
  // the scheduler is not running.
  static TimerTask schedule(Nanos deadline, absl::AnyInvocable<void()> fn);

  // TimerTask::cancel()
  //
  // Prevents the callback if it has not started; true if this call did.
  bool cancel();

  [[nodiscard]] bool fired() const;
  [[nodiscard]] bool empty() const { return impl_ == nullptr; }

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mco::rt

#endif  // MCO_RUNTIME_TIMER_H_
