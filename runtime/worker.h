// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: worker.h
// -----------------------------------------------------------------------------
//
// A worker thread's state (internal to scheduler.cc and timer.cc).

#ifndef MCO_RUNTIME_WORKER_H_
#define MCO_RUNTIME_WORKER_H_

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "runtime/clock.h"
#include "runtime/coroutine.h"
#include "runtime/park.h"
#include "runtime/run_queue.h"
#include "runtime/spinlock.h"

namespace mco::rt {

// A parked coroutine's deadline in its worker's heap (timer.h).
struct DeadlineEntry {
  Nanos when = 0;
  Coroutine* co = nullptr;  // referenced while in the heap
  Parker::Token token = 0;
};

struct Worker {
  int index = 0;
  std::thread thread;

  // The event loop: timers now, I/O later. Touched only by this thread,
  // except `async`, which any thread may signal.
  uv_loop_t loop;
  uv_async_t async;
  // Watches the network poller's epoll descriptor (runtime/netpoll.h).
  uv_poll_t netpoll_watch;

  // Local run queue (run_queue.h).
  RunQueue runq;

  // Scheduler context and the coroutine running now.
  void* sched_sp = nullptr;
  // The scheduler context's stack and TSan fiber (sanitizer builds only).
  const void* sched_stack_bottom = nullptr;
  size_t sched_stack_size = 0;
  void* tsan_sched_fiber = nullptr;
  std::atomic<Coroutine*> running{nullptr};  // written by this thread only
  // This thread's C++ exception-handling globals (scheduler.cc), looked up
  // once: each coroutine switch saves and restores them.
  EhState* eh = nullptr;
  std::atomic<uint64_t> tick{0};  // coroutine picks; this thread writes
  // While set, ready() queues at the tail instead of the `next` slot.
  bool wake_in_order = false;
  // Parked coroutines counted by note_external_wait(); this thread writes.
  std::atomic<int64_t> external_waits{0};
  uint64_t rng = 0;

  // Deadlines of coroutines parked here (timer.h): a min-heap on `when`,
  // this thread only, and the loop timer armed for `armed_at`.
  std::vector<DeadlineEntry> deadlines;
  uv_timer_t deadline_timer;
  Nanos armed_at = kNoDeadline;
  // Entries whose episode ended early; any thread adds, the owner resets.
  std::atomic<size_t> stale_deadlines{0};
  // deadlines.size(), readable from any thread (statistics).
  std::atomic<size_t> deadline_count{0};

  // Work posted by other threads, run on this worker's thread between
  // coroutines (timer starts and cancels, ...).
  SpinLock remote_mu;
  std::vector<absl::AnyInvocable<void()>> remote_ops;

  // Alternate signal stack for the stack-overflow handler.
  void* altstack = nullptr;
};

// The calling thread's worker, or nullptr.
Worker* this_worker();

// The calling thread's worker, or (from a plain thread) one chosen round
// robin; nullptr if the scheduler is not running.
Worker* some_worker();

// Runs `fn` soon on `w`'s thread, between coroutines. `fn` must not block.
// Returns false (and drops `fn`) if the scheduler is shutting down.
bool post_to_worker(Worker* w, absl::AnyInvocable<void()> fn);

// Runs the work other threads posted to `w` (on `w`'s thread).
void run_remote_ops(Worker* w);

}  // namespace mco::rt

#endif  // MCO_RUNTIME_WORKER_H_
