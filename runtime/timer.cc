// Copyright 2026 The mco Authors.

#include "runtime/timer.h"

#include <uv.h>

#include <mutex>
#include <utility>
#include <vector>

#include "runtime/check.h"
#include "runtime/coroutine.h"
#include "runtime/worker.h"

namespace mco::rt {

struct TimerNode {
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
  auto* n = static_cast<TimerNode*>(h->data);
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
  auto* n = static_cast<TimerNode*>(t->data);
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
  n->handle.data = n;
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

void drain_remote_disarms(Worker* w) {
  std::vector<TimerNode*> batch;
  {
    std::lock_guard<SpinLock> lock(w->remote_mu);
    batch.swap(w->remote_disarms);
  }
  for (TimerNode* n : batch) disarm_local(n);
}

void close_all_timers(Worker* w) {
  drain_remote_disarms(w);
  uv_walk(
      &w->loop,
      [](uv_handle_t* h, void*) {
        if (h->type != UV_TIMER || uv_is_closing(h)) return;
        auto* n = static_cast<TimerNode*>(h->data);
        if (!n->closed) {
          n->closed = true;
          uv_close(h, on_close);
        }
      },
      nullptr);
}

}  // namespace mco::rt
