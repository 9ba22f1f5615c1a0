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
#include <deque>
#include <thread>
#include <vector>

#include "runtime/coroutine.h"
#include "runtime/spinlock.h"

namespace mco::rt {

struct TimerNode;

struct Worker {
  int index = 0;
  std::thread thread;

  // The event loop: timers now, I/O later. Touched only by this thread,
  // except `async`, which any thread may signal.
  uv_loop_t loop;
  uv_async_t async;

  // Local run queue.
  SpinLock q_mu;
  std::deque<Coroutine*> runq;
  std::atomic<size_t> runq_size{0};

  // Scheduler context and the coroutine running now.
  void* sched_sp = nullptr;
  // The scheduler context's stack and TSan fiber (sanitizer builds only).
  const void* sched_stack_bottom = nullptr;
  size_t sched_stack_size = 0;
  void* tsan_sched_fiber = nullptr;
  Coroutine* running = nullptr;
  uint64_t tick = 0;
  uint64_t rng = 0;

  // Timer disarms posted by other threads.
  SpinLock remote_mu;
  std::vector<TimerNode*> remote_disarms;

  // Alternate signal stack for the stack-overflow handler.
  void* altstack = nullptr;
};

// The calling thread's worker, or nullptr.
Worker* this_worker();

}  // namespace mco::rt

#endif  // MCO_RUNTIME_WORKER_H_
