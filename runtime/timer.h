// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: timer.h
// -----------------------------------------------------------------------------
//
// Deadlines of parked coroutines, and one-shot timer callbacks.
//
// Deadlines (after Go's per-P timer heaps): each worker keeps a min-heap of
// (deadline, coroutine, episode) entries for the coroutines that parked on it
// with a deadline, and one libuv timer armed for the earliest. Arming is a
// heap push: no allocation, no libuv handle, no lock (only the owner thread
// touches its heap). When a deadline passes the worker pops the entry and
// ends the episode with `kTimedOut`; if something else ended the episode
// first, that unpark simply loses. A coroutine woken early leaves its entry
// behind, possibly on another worker: the entry is "stale", counted with
// `note_stale_deadline`, and the owner drops stale entries in one pass when
// they are more than half of its heap, so a heap never grows beyond twice its
// live entries. An entry holds a reference to its coroutine.
//
// libuv timers count whole milliseconds on a cached loop clock; the heap
// compares with the monotonic clock in nanoseconds, so a deadline never ends
// a wait before it has passed. Busy workers also check the heap between
// coroutines (scheduler.cc), so deadlines fire while a worker never idles.

#ifndef MCO_RUNTIME_TIMER_H_
#define MCO_RUNTIME_TIMER_H_

#include <memory>

#include "absl/functional/any_invocable.h"
#include "runtime/clock.h"
#include "runtime/park.h"

namespace mco::rt {

struct Coroutine;
struct Worker;

// Arms a deadline on the calling worker that ends `co`'s episode `token` with
// `kTimedOut` at `deadline`. Must be called on a worker thread. Returns the
// worker whose heap holds the entry.
Worker* arm_deadline(Coroutine* co, Parker::Token token, Nanos deadline);

// The episode armed on `owner` ended by something other than its deadline:
// its entry is now stale (a hint for compaction). Safe from any thread.
void note_stale_deadline(Worker* owner);

// Ends every episode whose deadline has passed (owner thread only). Cheap
// when none has: one clock read.
void run_due_deadlines(Worker* w);

// Sets up and tears down `w`'s deadline heap and its loop timer; `close_all`
// runs on `w`'s thread at shutdown and also closes every TimerTask.
void init_deadlines(Worker* w);
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
