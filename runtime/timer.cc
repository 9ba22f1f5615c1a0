// Copyright 2026 The mco Authors.

#include "runtime/timer.h"

#include <uv.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "runtime/check.h"
#include "runtime/coroutine.h"
#include "runtime/monitor.h"
#include "runtime/worker.h"

namespace mco::rt {

// What a TimerTask's handle `data` points to, so shutdown can close it.
struct TimerBase {
  virtual ~TimerBase() = default;
  virtual void close_at_shutdown() = 0;
};

namespace {

uint64_t ms_until(Nanos deadline) {
  const Nanos rem = deadline - now_nanos();
  if (rem <= 0) return 0;
  return static_cast<uint64_t>((rem + 999999) / 1000000);
}

// --- the deadline heap
// --------------------------------------------------------
//
// A binary min-heap in a vector, ordered by `when`.

bool later(const DeadlineEntry& a, const DeadlineEntry& b) {
  return a.when > b.when;
}

void heap_push(std::vector<DeadlineEntry>& h, const DeadlineEntry& e) {
  h.push_back(e);
  std::push_heap(h.begin(), h.end(), later);
}

DeadlineEntry heap_pop(std::vector<DeadlineEntry>& h) {
  std::pop_heap(h.begin(), h.end(), later);
  DeadlineEntry e = h.back();
  h.pop_back();
  return e;
}

void on_deadline_timer(uv_timer_t* t);

// Arms the loop timer for `when` unless it is already armed as early.
void arm_loop_timer(Worker* w, Nanos when) {
  if (when >= w->armed_at) return;
  w->armed_at = when;
  uv_timer_start(&w->deadline_timer, on_deadline_timer, ms_until(when), 0);
}

void on_deadline_timer(uv_timer_t* t) {
  Worker* w = static_cast<Worker*>(t->data);
  w->armed_at = kNoDeadline;
  run_due_deadlines(w);
}

// Drops the entries whose episode has ended (their coroutine was woken some
// other way), when they are more than half of the heap.
void compact(Worker* w) {
  std::vector<DeadlineEntry>& h = w->deadlines;
  const size_t stale = w->stale_deadlines.load(std::memory_order_relaxed);
  if (stale < 64 || stale * 2 < h.size()) return;
  w->stale_deadlines.store(0, std::memory_order_relaxed);
  size_t kept = 0;
  for (DeadlineEntry& e : h) {
    if (e.co->parker.episode_pending(e.token)) {
      h[kept++] = e;
    } else {
      unref(e.co);
    }
  }
  h.resize(kept);
  std::make_heap(h.begin(), h.end(), later);
  w->deadline_count.store(h.size(), std::memory_order_relaxed);
}

}  // namespace

Worker* arm_deadline(Coroutine* co, Parker::Token token, Nanos deadline) {
  Worker* w = this_worker();
  MCO_CHECK(w != nullptr);
  compact(w);
  ref(co);
  heap_push(w->deadlines, DeadlineEntry{deadline, co, token});
  w->deadline_count.store(w->deadlines.size(), std::memory_order_relaxed);
  arm_loop_timer(w, deadline);
  return w;
}

void note_stale_deadline(Worker* owner) {
  owner->stale_deadlines.fetch_add(1, std::memory_order_relaxed);
}

void run_due_deadlines(Worker* w) {
  std::vector<DeadlineEntry>& h = w->deadlines;
  if (h.empty()) return;
  const Nanos now = now_nanos();
  // Coroutines whose deadlines passed together queue in deadline order
  // (ready() would otherwise put each in the `next` slot ahead of the one
  // before).
  w->wake_in_order = true;
  while (!h.empty() && h.front().when <= now) {
    const DeadlineEntry e = heap_pop(h);
    e.co->parker.unpark(e.token, WakeReason::kTimedOut);
    unref(e.co);
  }
  w->wake_in_order = false;
  w->deadline_count.store(h.size(), std::memory_order_relaxed);
  if (!h.empty()) arm_loop_timer(w, h.front().when);
}

void init_deadlines(Worker* w) {
  MCO_CHECK(uv_timer_init(&w->loop, &w->deadline_timer) == 0);
  w->deadline_timer.data = w;
}

void close_all_timers(Worker* w) {
  run_remote_ops(w);
  // Coroutines still parked stay parked (see scheduler.h's shutdown()); their
  // entries' references go.
  for (DeadlineEntry& e : w->deadlines) unref(e.co);
  w->deadlines.clear();
  w->deadline_count.store(0, std::memory_order_relaxed);
  uv_close(reinterpret_cast<uv_handle_t*>(&w->deadline_timer), nullptr);
  uv_walk(
      &w->loop,
      [](uv_handle_t* h, void*) {
        if (h->type != UV_TIMER || uv_is_closing(h)) return;
        static_cast<TimerBase*>(h->data)->close_at_shutdown();
      },
      nullptr);
}

// --- TimerTask ---------------------------------------------------------------

struct TimerTask::Impl final : TimerBase {
  // A task that will never fire stops counting as a wake source.
  void close_at_shutdown() override {
    int expected = kPending;
    if (state.compare_exchange_strong(expected, kCancelled,
                                      std::memory_order_acq_rel)) {
      add_wake_sources(-1);
    }
    close();
  }

  // Owner thread only.
  void start() {
    if (state.load(std::memory_order_acquire) != kPending) {
      release();
      return;
    }
    uv_timer_init(&owner->loop, &handle);
    handle.data = static_cast<TimerBase*>(this);
    started = true;
    uv_update_time(&owner->loop);
    uv_timer_start(&handle, on_task_fire, ms_until(deadline), 0);
  }

  // The loop lets go of the task. The callback goes first: what it captured
  // may own this task's handle (a never-stopped ticker's state does), and
  // that cycle would otherwise outlive the scheduler.
  void release() {
    fn = nullptr;
    self.reset();  // may delete this
  }

  void close() {
    if (!started) {
      release();
      return;
    }
    if (closed) return;
    closed = true;
    uv_timer_stop(&handle);
    uv_close(reinterpret_cast<uv_handle_t*>(&handle), [](uv_handle_t* h) {
      static_cast<Impl*>(static_cast<TimerBase*>(h->data))->release();
    });
  }

  static void on_task_fire(uv_timer_t* t) {
    auto* impl = static_cast<Impl*>(static_cast<TimerBase*>(t->data));
    if (now_nanos() < impl->deadline) {
      uv_timer_start(t, on_task_fire, ms_until(impl->deadline), 0);
      return;
    }
    int expected = kPending;
    std::shared_ptr<Impl> keep = impl->self;
    if (impl->state.compare_exchange_strong(expected, kFired,
                                            std::memory_order_acq_rel)) {
      impl->fn();
      add_wake_sources(-1);  // after fn made its coroutines runnable
    }
    impl->close();
  }

  static constexpr int kPending = 0, kFired = 1, kCancelled = 2;
  std::atomic<int> state{kPending};
  Worker* owner = nullptr;
  Nanos deadline = 0;
  absl::AnyInvocable<void()> fn;
  // Owner thread only.
  uv_timer_t handle;
  std::shared_ptr<Impl> self;  // the loop's reference while scheduled
  bool started = false;
  bool closed = false;
};

TimerTask TimerTask::schedule(Nanos deadline, absl::AnyInvocable<void()> fn) {
  Worker* w = some_worker();
  if (w == nullptr) return TimerTask();
  auto impl = std::make_shared<Impl>();
  impl->owner = w;
  impl->deadline = deadline;
  impl->fn = std::move(fn);
  impl->self = impl;
  // Pending, it may wake a coroutine (monitor.h) until it fires or is
  // cancelled.
  add_wake_sources(1);
  if (this_worker() == w) {
    impl->start();
  } else if (!post_to_worker(w, [impl] { impl->start(); })) {
    impl->self.reset();
    add_wake_sources(-1);
    return TimerTask();
  }
  TimerTask t;
  t.impl_ = std::move(impl);
  return t;
}

bool TimerTask::cancel() {
  if (impl_ == nullptr) return false;
  int expected = Impl::kPending;
  if (!impl_->state.compare_exchange_strong(expected, Impl::kCancelled,
                                            std::memory_order_acq_rel)) {
    return false;
  }
  add_wake_sources(-1);
  std::shared_ptr<Impl> impl = impl_;
  if (this_worker() == impl->owner) {
    impl->close();
  } else {
    post_to_worker(impl->owner, [impl] { impl->close(); });
  }
  return true;
}

bool TimerTask::fired() const {
  return impl_ != nullptr &&
         impl_->state.load(std::memory_order_acquire) == Impl::kFired;
}

}  // namespace mco::rt
