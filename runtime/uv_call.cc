// Copyright 2026 The mco Authors.
//
// The design is in uv_call.h. References: the caller holds one until it has
// the result or abandons; the loop holds one from the moment the request is
// issued (or the post that issues it is accepted) until its callback ran.

#include "runtime/uv_call.h"

#include <atomic>
#include <cstring>
#include <mutex>
#include <utility>

#include "runtime/check.h"
#include "runtime/coroutine.h"
#include "runtime/scheduler.h"
#include "runtime/spinlock.h"
#include "runtime/worker.h"

namespace mco::rt {

struct UvCall {
  UvCall() {
    std::memset(static_cast<void*>(&req), 0, sizeof(req));
    req.req.data = this;
  }

  UvReq req;
  UvStartFn start;
  UvAbandonFn on_abandon;
  std::atomic<int> refs{1};

  enum class State : uint8_t { kPending, kDone, kAbandoned };
  SpinLock mu;
  State state = State::kPending;  // under mu
  Parker* parker = nullptr;       // set before the request is issued
  Parker::Token token = 0;
  int64_t result = 0;  // written before DONE
};

namespace {

void cleanup_request(UvReq& req) {
  switch (req.req.type) {
    case UV_FS:
      uv_fs_req_cleanup(&req.fs);
      break;
    case UV_GETADDRINFO:
      uv_freeaddrinfo(req.getaddrinfo.addrinfo);
      req.getaddrinfo.addrinfo = nullptr;
      break;
    default:
      break;
  }
}

void release(UvCall* call) {
  if (call->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    cleanup_request(call->req);
    delete call;
  }
}

// On the loop's thread: the request completed with `result`.
void complete(UvCall* call, int64_t result) {
  bool abandoned = false;
  {
    std::lock_guard<SpinLock> lock(call->mu);
    if (call->state == UvCall::State::kAbandoned) {
      abandoned = true;
    } else {
      call->result = result;
      call->state = UvCall::State::kDone;
      call->parker->unpark(call->token);
    }
  }
  if (abandoned && call->on_abandon) call->on_abandon(call->req, result);
  release(call);
}

void on_fs(uv_fs_t* req) {
  complete(static_cast<UvCall*>(req->data), req->result);
}

void on_getaddrinfo(uv_getaddrinfo_t* req, int status, struct addrinfo*) {
  complete(static_cast<UvCall*>(req->data), status);
}

void on_getnameinfo(uv_getnameinfo_t* req, int status, const char*,
                    const char*) {
  complete(static_cast<UvCall*>(req->data), status);
}

// On `w`'s thread: issues the request; a request that could not be issued
// completes at once with the error.
void issue(UvCall* call, Worker* w) {
  UvIssue is;
  is.loop = &w->loop;
  is.req = &call->req;
  is.fs_cb = on_fs;
  is.getaddrinfo_cb = on_getaddrinfo;
  is.getnameinfo_cb = on_getnameinfo;
  const int rc = call->start(is);
  call->req.req.data = call;  // in case a libuv init touched it
  if (rc < 0) complete(call, rc);
}

// A loop for synchronous requests: libuv wants one, though it never runs
// (some requests count themselves on it). One per thread, created on first
// use and closed when the thread exits.
uv_loop_t* sync_loop() {
  struct Holder {
    Holder() { ok = uv_loop_init(&loop) == 0; }
    ~Holder() {
      if (ok) uv_loop_close(&loop);
    }
    uv_loop_t loop;
    bool ok = false;
  };
  thread_local Holder holder;
  MCO_CHECK(holder.ok);
  return &holder.loop;
}

// Runs the request on the calling thread; returns its result.
int64_t run_sync(UvCall* call) {
  UvIssue is;
  is.loop = sync_loop();
  is.req = &call->req;
  const int rc = call->start(is);
  int64_t result = rc;
  if (rc >= 0 && call->req.req.type == UV_FS) result = call->req.fs.result;
  call->result = result;
  call->state = UvCall::State::kDone;
  return result;
}

}  // namespace

UvResult::UvResult(UvResult&& other) noexcept
    : call_(std::exchange(other.call_, nullptr)),
      reason_(other.reason_),
      result_(other.result_) {}

UvResult& UvResult::operator=(UvResult&& other) noexcept {
  if (this != &other) {
    if (call_ != nullptr) release(call_);
    call_ = std::exchange(other.call_, nullptr);
    reason_ = other.reason_;
    result_ = other.result_;
  }
  return *this;
}

UvResult::~UvResult() {
  if (call_ != nullptr) release(call_);
}

UvReq& UvResult::req() const {
  MCO_CHECK(call_ != nullptr);
  return call_->req;
}

UvResult uv_call(UvStartFn start, UvAbandonFn on_abandon, Nanos deadline,
                 bool cancellable) {
  auto* call = new UvCall;
  call->start = std::move(start);
  call->on_abandon = std::move(on_abandon);

  // A worker thread outside a coroutine runs inside its own loop: waiting
  // for that loop would never end, so it runs the request synchronously.
  Worker* w = nullptr;
  if (running() && (this_worker() == nullptr || current() != nullptr)) {
    w = some_worker();
  }
  if (w == nullptr) {
    return UvResult(call, WakeReason::kNotified, run_sync(call));
  }

  if (cancellable && cancel_pending(current())) {
    release(call);
    return UvResult(nullptr, WakeReason::kCancelled, 0);
  }
  if (deadline != kNoDeadline && deadline <= now_nanos()) {
    release(call);
    return UvResult(nullptr, WakeReason::kTimedOut, 0);
  }

  Parker& p = current_parker();
  const Parker::Token token = p.prepare(cancellable);
  call->parker = &p;
  call->token = token;
  call->refs.store(2, std::memory_order_relaxed);
  if (this_worker() == w) {
    issue(call, w);
  } else if (!post_to_worker(w, [call, w] { issue(call, w); })) {
    // The scheduler is stopping: the post was dropped, nothing was issued.
    call->refs.store(1, std::memory_order_relaxed);
    p.unpark(token);  // ends the episode
    return UvResult(call, WakeReason::kNotified, run_sync(call));
  }

  WakeReason reason = p.park(token, WaitReason::kIo, deadline);
  {
    std::lock_guard<SpinLock> lock(call->mu);
    if (call->state == UvCall::State::kDone) {
      reason = WakeReason::kNotified;
    } else {
      call->state = UvCall::State::kAbandoned;
    }
  }
  if (reason != WakeReason::kNotified) {
    release(call);
    return UvResult(nullptr, reason, 0);
  }
  return UvResult(call, WakeReason::kNotified, call->result);
}

}  // namespace mco::rt
