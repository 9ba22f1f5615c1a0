// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: scheduler.h
// -----------------------------------------------------------------------------
//
// The M:N scheduler: N worker threads run any number of coroutines.
//
// Model (after Go's G/M/P): a coroutine (G, `Coroutine`) runs on a worker
// (an M with its P folded in, `Worker`). Each worker has a local run queue
// and a libuv loop; there is one global run queue for coroutines made
// runnable by threads that are not workers.
//
// Finding work, in order: every 61st pick the global queue first (so it
// cannot starve); the local queue; a batch from the global queue; half of
// another worker's queue (work stealing); the worker's loop without blocking
// (expired timers make coroutines runnable). With nothing found, the worker
// announces itself idle, looks once more, and blocks in its libuv loop
// (epoll) until a timer expires or another thread wakes it through the
// loop's async handle. An idle process therefore uses no CPU.
//
// Waking: `ready(co)` puts a runnable coroutine on the current worker's
// queue (or the global queue from a foreign thread) and, if a worker is idle,
// wakes one so bursts spread over all workers. The idle announcement and the
// queue push are ordered (sequentially consistent) so no wake-up is lost:
// either the sleeper sees the work or the pusher sees the sleeper.
//
// Switching: a worker runs a coroutine with `mco_context_switch` from its
// scheduler context; the coroutine switches back with an action (yield,
// park, exit) that the scheduler completes off the coroutine's stack.
//
// Stack overflow: guarded stacks fault on their guard page and a SIGSEGV
// handler on an alternate signal stack names the coroutine; unguarded
// stacks are checked at every switch out. Both stop the process with one
// line: "mco: fatal: stack overflow in coroutine <id> '<name>' (stack size
// <bytes> bytes)".

#ifndef MCO_RUNTIME_SCHEDULER_H_
#define MCO_RUNTIME_SCHEDULER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "runtime/clock.h"
#include "runtime/coroutine.h"

namespace mco::rt {

// Starts `workers` worker threads (<= 0: hardware threads). `stack_size` is
// the default stack size (0: 6 MiB). Fatal if already running.
void boot(int workers, size_t stack_size);

// Stops the workers and joins them. Coroutines still parked stay parked
// forever (their records leak); callers cancel and drain them first.
void shutdown();

[[nodiscard]] bool running();
[[nodiscard]] int worker_count();
[[nodiscard]] size_t default_stack();

// Creates a coroutine running `body` and makes it runnable. Returns it with
// one reference for the caller. `stack_size` 0 means the default.
Coroutine* spawn(absl::AnyInvocable<void()> body, std::string name,
                 size_t stack_size);

// The one ready primitive: `co` (parked, now woken) becomes runnable.
void ready(Coroutine* co);

// The running coroutine, or nullptr on a plain thread.
Coroutine* current();

// The calling worker's index, or -1 on a thread that is not a worker.
int current_worker_index();

// Switches the current coroutine out with `action` (kYield, kPark). Returns
// when it is resumed, possibly on another worker.
void switch_out(SwitchAction action);

// Yields the current coroutine (no-op on a plain thread).
void yield();

// --- diagnostics (monitor.h, dump.h) ----------------------------------------

// Stop-the-world: every worker pauses between two coroutines, so no coroutine
// starts or resumes and the stacks of all that are not running hold still.
// A worker that is inside a coroutine pauses when the coroutine next switches
// out; after `patience` the stop gives up waiting for it and reports the
// coroutine it is running. One stop at a time. Called from a coroutine, the
// caller's worker is reported as running the caller.
struct StoppedWorld {
  // Per worker index: the coroutine it was still running, or nullptr if it
  // paused.
  std::vector<Coroutine*> running;
};
StoppedWorld stop_the_world(Nanos patience);
void start_the_world();

// A snapshot for the deadlock detector, taken from any thread.
struct Quiescence {
  bool all_idle = false;       // every worker asleep and nothing queued
  bool work_queued = false;    // a run queue holds a coroutine
  uint64_t picks = 0;          // coroutine picks so far, over all workers
  int64_t external_waits = 0;  // parked coroutines an outside event will wake
};
Quiescence quiescence();

// Called (on a worker) whenever the last busy worker goes idle.
void set_all_idle_hook(void (*hook)());

// Counts a parked coroutine that something outside the coroutines will wake
// (park.cc: a deadline, I/O, offload, a Waker): +1 before parking, -1 after.
void note_external_wait(int delta);

// Counters for tests.
struct SchedulerStats {
  uint64_t steals = 0;   // coroutines moved by work stealing
  uint64_t wakeups = 0;  // idle workers woken
  // Entries in the workers' deadline heaps (timer.h), stale ones included.
  uint64_t deadline_entries = 0;
};
SchedulerStats scheduler_stats();

}  // namespace mco::rt

#endif  // MCO_RUNTIME_SCHEDULER_H_
