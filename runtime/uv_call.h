// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: uv_call.h
// -----------------------------------------------------------------------------
//
// Running one libuv request (a file operation, a name lookup) on a worker's
// loop while the caller parks: how mco does blocking work that libuv can do
// on its thread pool, without blocking a worker.
//
// Model
//
// A call is a heap-allocated, reference-counted record holding the libuv
// request. The caller arms a park episode, has the request issued on a
// worker's loop (its own worker's at once, if it is a coroutine; a worker
// chosen round robin through `post_to_worker`, if it is a plain thread) and
// parks. The request's callback runs on that worker's thread: it records the
// result and unparks the caller.
//
//   UvResult r = uv_call(
//       [path = std::string(path)](const UvIssue& is) {
//         return uv_fs_open(is.loop, &is.req->fs, path.c_str(), O_RDONLY, 0,
//                           is.fs_cb);
//       },
//       [](UvReq&, int64_t fd) { if (fd >= 0) ::close(fd); },  // abandoned
//       deadline);
//   if (!r.done()) ...        // r.reason(): kCancelled or kTimedOut
//   else if (r.result() < 0)  // a libuv error, e.g. UV_ENOENT
//   else use(r.result());     // the descriptor
//
// Abandoning: the wait may end first, by the caller's cancellation (a
// cancellable call of a coroutine) or by the deadline. The call is then
// abandoned: the caller returns at once and the request runs on. Its callback
// finds the call abandoned, runs the `on_abandon` function to undo what the
// request did (close a descriptor an open returned, ...), cleans the request
// up and frees the call. So the start function must own everything the
// request uses until it completes (a path, a buffer, a descriptor's
// reference), usually by capturing it: the start function lives as long as
// the call. If the request completed but lost the race to wake the caller,
// the call is not abandoned: the caller gets the result.
//
// State: PENDING -> DONE (the callback recorded the result) or PENDING ->
// ABANDONED (the caller gave up), decided under the call's lock; the
// callback unparks the caller under that lock, and the caller takes it once
// after waking, so the caller's parker is alive whenever it is unparked.
//
// Synchronous mode: when the scheduler is not running, or the caller is a
// worker thread outside any coroutine (a loop callback, which must not wait
// for its own loop), the start function is called on the caller's thread
// with null callbacks, which makes libuv run the request synchronously;
// `loop` is then a private loop of the calling thread that is never run.
// Nothing is abandoned in that mode (no deadline, no cancellation).
//
// The call's lock is never held while libuv runs, and nothing here blocks a
// worker: a start function and an abandon function run on a worker's thread
// and must not block or throw.

#ifndef MCO_RUNTIME_UV_CALL_H_
#define MCO_RUNTIME_UV_CALL_H_

#include <uv.h>

#include <cstdint>

#include "absl/functional/any_invocable.h"
#include "runtime/clock.h"
#include "runtime/park.h"

namespace mco::rt {

// UvReq
//
// The request a call runs: exactly one member is used, by the start
// function. `req.data` belongs to the call: do not change it.
union UvReq {
  uv_req_t req;  // the common head: `type`, `data`
  uv_fs_t fs;
  uv_getaddrinfo_t getaddrinfo;
  uv_getnameinfo_t getnameinfo;
};

// UvIssue
//
// What a start function issues its request with: the loop, the request, and
// the callback to pass to libuv for the request's type (all null in
// synchronous mode).
struct UvIssue {
  uv_loop_t* loop = nullptr;
  UvReq* req = nullptr;
  uv_fs_cb fs_cb = nullptr;
  uv_getaddrinfo_cb getaddrinfo_cb = nullptr;
  uv_getnameinfo_cb getnameinfo_cb = nullptr;

  [[nodiscard]] bool sync() const { return fs_cb == nullptr; }
};

// Issues the request; returns what the libuv function returned (0 when an
// asynchronous request was issued; a negative libuv error if none was).
using UvStartFn = absl::AnyInvocable<int(const UvIssue& issue)>;

// Undoes an abandoned request's effect, given its result (see the file
// comment). Runs on the loop's thread, before the request is cleaned up.
using UvAbandonFn = absl::AnyInvocable<void(UvReq& req, int64_t result)>;

struct UvCall;  // uv_call.cc

// UvResult
//
// The outcome of `uv_call`. If `done()`, it owns the completed request until
// it is destroyed (which cleans the request up: `uv_fs_req_cleanup`,
// `uv_freeaddrinfo`). Move-only.
class UvResult {
 public:
  UvResult() = default;
  UvResult(UvResult&& other) noexcept;
  UvResult& operator=(UvResult&& other) noexcept;
  UvResult(const UvResult&) = delete;
  UvResult& operator=(const UvResult&) = delete;
  ~UvResult();

  // UvResult::done()
  //
  // True if the request completed (whatever its result).
  [[nodiscard]] bool done() const { return reason_ == WakeReason::kNotified; }

  // UvResult::reason()
  //
  // kNotified (done), kCancelled or kTimedOut (abandoned).
  [[nodiscard]] WakeReason reason() const { return reason_; }

  // UvResult::result()
  //
  // The request's result when done: `req.fs.result` for file requests, the
  // status for the others; a negative value is a libuv error (`UV_E*`), also
  // when the start function could not issue the request.
  [[nodiscard]] int64_t result() const { return result_; }

  // UvResult::req()
  //
  // The completed request (only when done), e.g. `req().fs.statbuf`.
  [[nodiscard]] UvReq& req() const;

 private:
  friend UvResult uv_call(UvStartFn, UvAbandonFn, Nanos, bool);
  UvResult(UvCall* call, WakeReason reason, int64_t result)
      : call_(call), reason_(reason), result_(result) {}

  UvCall* call_ = nullptr;
  WakeReason reason_ = WakeReason::kNotified;
  int64_t result_ = 0;
};

// uv_call()
//
// Runs one request (see the file comment) and waits until it completes,
// `deadline` passes (`kNoDeadline`: none) or, if `cancellable` and the caller
// is a coroutine, the caller's cancellation is requested. A deadline already
// passed or a cancellation already pending ends the call before it is issued.
// Parks a coroutine, blocks a plain thread.
UvResult uv_call(UvStartFn start, UvAbandonFn on_abandon,
                 Nanos deadline = kNoDeadline, bool cancellable = true);

}  // namespace mco::rt

#endif  // MCO_RUNTIME_UV_CALL_H_
