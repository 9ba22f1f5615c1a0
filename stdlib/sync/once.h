// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: once.h
// -----------------------------------------------------------------------------
//
// Running an initialiser exactly once: Go's `sync.Once`.
//
//   mco::sync::Once once;
//   Config* config;
//
//   const Config& get_config() {
//     once.call([] { config = load_config(); });
//     return *config;
//   }
//
// Contract:
//  - Of all `call(f)`s on one `Once`, one runs its `f`; the others wait
//    (park a coroutine, block a thread) until that `f` has returned, and
//    after the first successful `f` every `call` returns at once without
//    calling its `f`.
//  - Unlike Go, a throwing `f` does not count: its exception propagates to
//    its caller, the `Once` is not done, and the next `call` — a later one
//    or one of those waiting — runs its own `f` (a retry).
//  - A caller waiting for another's `f` throws `mco::Cancelled` if it is
//    cancelled meanwhile; `call_for` / `call_until` give up waiting at their
//    deadline and return false without calling their `f`. A cancelled
//    coroutine whose turn it is runs `f` (running it does not wait).
//  - `f` must not call `call` on the same `Once` (it would wait for itself).
//
// Memory ordering: everything the successful `f` wrote is visible to every
// `call` that returns after it (and to `done()` returning true).

#ifndef MCO_STDLIB_SYNC_ONCE_H_
#define MCO_STDLIB_SYNC_ONCE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <utility>

#include "absl/functional/function_ref.h"
#include "mco/sync/wait_list.h"

namespace mco::sync {

// Once
//
// Go's `sync.Once`, retrying after a throwing initialiser.
class Once {
 public:
  Once() = default;
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;

  // Once::call()
  //
  // Runs `f()` unless a call has already succeeded; waits for a running
  // call. Rethrows what `f` throws. Throws `mco::Cancelled` on cancellation
  // while waiting.
  template <typename F>
  void call(F&& f) {
    if (done()) return;
    (void)call_slow(absl::FunctionRef<void()>(f), internal::kNoDeadline);
  }

  // Once::call_for() / call_until()
  //
  // Like `call`, but waits for another caller's `f` at most `d` / until `t`;
  // false if it gave up (then the `Once` is not done and `f` was not run).
  template <typename Rep, typename Period, typename F>
  [[nodiscard]] bool call_for(std::chrono::duration<Rep, Period> d, F&& f) {
    if (done()) return true;
    return call_slow(absl::FunctionRef<void()>(f), internal::deadline_after(d));
  }
  template <typename Clock, typename Duration, typename F>
  [[nodiscard]] bool call_until(std::chrono::time_point<Clock, Duration> t,
                                F&& f) {
    if (done()) return true;
    return call_slow(absl::FunctionRef<void()>(f), internal::to_deadline(t));
  }

  // Once::done()
  //
  // True once a call has succeeded.
  [[nodiscard]] bool done() const {
    return done_.load(std::memory_order_acquire);
  }

  // Go's name.
  template <typename F>
  void Do(F&& f) {
    call(std::forward<F>(f));
  }

 private:
  bool call_slow(absl::FunctionRef<void()> f, int64_t deadline);

  std::atomic<bool> done_{false};
  bool running_ = false;  // guarded by waiters_' lock
  internal::WaitList waiters_;
};

}  // namespace mco::sync

#endif  // MCO_STDLIB_SYNC_ONCE_H_
