// Copyright 2026 The mco Authors.

#include "runtime/timer.h"

#include <uv.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "runtime/check.h"
#include "runtime/coroutine.h"
#include "runtime/worker.h"

namespace mco::rt {

// What a timer handle's `data` points to, so shutdown can close any timer.
struct TimerBase {
  virtual ~TimerBase() = default;
  virtual void close_at_shutdown() = 0;
};

struct TimerNode final : TimerBase {
  void close_at_shutdown() override;
  uv_timer_t handle;
  Worker* owner = nullptr;
  Coroutine* co = nullptr;  // referenced until the handle is closed
  Parker::Token token = 0;
  Nanos deadline = 0;
  int refs = 2;         // the loop's and the waiter's; owner thread only
  bool closed = false;  // owner thread only
};

namespace {

void drop(TimerNode* n) {
  if (--n->refs == 0) delete n;
}

void on_close(uv_handle_t* h) {
  auto* n = static_cast<TimerNode*>(static_cast<TimerBase*>(h->data));
  unref(n->co);
  n->co = nullptr;
  drop(n);
}

uint64_t ms_until(Nanos deadline) {
  const Nanos rem = deadline - now_nanos();
  if (rem <= 0) return 0;
  return static_cast<uint64_t>((rem + 999999) / 1000000);
}

void on_fire(uv_timer_t* t) {
  auto* n = static_cast<TimerNode*>(static_cast<TimerBase*>(t->data));
  if (now_nanos() < n->deadline) {  // libuv's millisecond clock ran ahead
    uv_timer_start(t, on_fire, ms_until(n->deadline), 0);
    return;
  }
  n->closed = true;
  n->co->parker.unpark(n->token, WakeReason::kTimedOut);
  uv_close(reinterpret_cast<uv_handle_t*>(t), on_close);
}

void disarm_local(TimerNode* n) {
  if (!n->closed) {
    n->closed = true;
    uv_timer_stop(&n->handle);
    uv_close(reinterpret_cast<uv_handle_t*>(&n->handle), on_close);
  }
  drop(n);
}

}  // namespace

TimerNode* arm_timer(Coroutine* co, Parker::Token token, Nanos deadline) {
  Worker* w = this_worker();
  MCO_CHECK(w != nullptr);
  auto* n = new TimerNode;
  n->owner = w;
  ref(co);
  n->co = co;
  n->token = token;
  n->deadline = deadline;
  uv_timer_init(&w->loop, &n->handle);
  n->handle.data = static_cast<TimerBase*>(n);
  uv_update_time(&w->loop);
  uv_timer_start(&n->handle, on_fire, ms_until(deadline), 0);
  return n;
}

void disarm_timer(TimerNode* node) {
  Worker* owner = node->owner;
  if (this_worker() == owner) {
    disarm_local(node);
    return;
  }
  {
    std::lock_guard<SpinLock> lock(owner->remote_mu);
    owner->remote_disarms.push_back(node);
  }
  uv_async_send(&owner->async);
}

void TimerNode::close_at_shutdown() {
  if (!closed) {
    closed = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&handle), on_close);
  }
}

void drain_remote_disarms(Worker* w) {
  std::vector<TimerNode*> batch;
  std::vector<absl::AnyInvocable<void()>> ops;
  {
    std::lock_guard<SpinLock> lock(w->remote_mu);
    batch.swap(w->remote_disarms);
    ops.swap(w->remote_ops);
  }
  for (TimerNode* n : batch) disarm_local(n);
  for (auto& op : ops) op();
}

void close_all_timers(Worker* w) {
  drain_remote_disarms(w);
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
  void close_at_shutdown() override { close(); }

  // Owner thread only.
  void start() {
    if (state.load(std::memory_order_acquire) != kPending) {
      self.reset();
      return;
    }
    uv_timer_init(&owner->loop, &handle);
    handle.data = static_cast<TimerBase*>(this);
    started = true;
    uv_update_time(&owner->loop);
    uv_timer_start(&handle, on_task_fire, ms_until(deadline), 0);
  }

  void close() {
    if (!started) {
      self.reset();
      return;
    }
    if (closed) return;
    closed = true;
    uv_timer_stop(&handle);
    uv_close(reinterpret_cast<uv_handle_t*>(&handle), [](uv_handle_t* h) {
      auto* impl = static_cast<Impl*>(static_cast<TimerBase*>(h->data));
      impl->fn = nullptr;
      impl->self.reset();  // may delete impl
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
  if (this_worker() == w) {
    impl->start();
  } else if (!post_to_worker(w, [impl] { impl->start(); })) {
    impl->self.reset();
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
