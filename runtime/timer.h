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

}  // namespace mco::rt

#endif  // MCO_RUNTIME_TIMER_H_
