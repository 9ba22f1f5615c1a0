// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: offload.h
// -----------------------------------------------------------------------------
//
// Running blocking code from a coroutine without blocking a worker: the
// call is handed to a thread of its own, as Go hands a goroutine's blocking
// system call to another thread, and the coroutine parks until it returns.
//
//   // A C library call that blocks (a database client, a legacy API, ...).
//   // Captured by value: if the coroutine is cancelled, the call runs on.
//   Row row = mco::offload::block_on(
//       [conn, sql] { return db_query(conn, sql); });
//
//   // With a deadline: the coroutine stops waiting, the call runs on.
//   absl::StatusOr<Row> r = mco::offload::block_on_for(
//       [conn, sql] { return db_query(conn, sql); }, 2 * mco::time::Second);
//
// Contract:
//  - `block_on(fn)` runs `fn()` on a thread of the offload pool and returns
//    its result (or nothing, for `void`); an exception `fn` throws is
//    rethrown to the caller. `fn` has been destroyed, on the pool thread,
//    when `block_on` returns.
//  - The pool is mco's own, not libuv's thread pool (which file operations
//    and name lookups share: blocking user code must not starve them). It
//    creates threads on demand, up to `max_threads()` (default 256), so that
//    every call has a thread at once while fewer are running; beyond that,
//    calls queue in FIFO order. A thread idle for `idle_timeout()` (default
//    10 s) exits. Idle threads sleep on a condition variable: nothing spins.
//  - On a plain thread (or a worker thread outside a coroutine) `block_on`
//    simply calls `fn()` on the caller's thread.
//  - Cancellation: a coroutine cancelled while it waits throws
//    `mco::Cancelled` at once; `fn` runs on to its end on the pool thread
//    and its result (or exception) is dropped. So `fn` must not refer to the
//    caller's locals if the caller may be cancelled or time out: capture by
//    value, or use `block_on` only where cancellation is deferred
//    (`mco::DeferCancel`).
//  - `block_on_for(fn, d)` / `block_on_until(fn, t)` also stop waiting at the
//    deadline, returning kDeadlineExceeded ("offload: deadline exceeded"):
//    `absl::StatusOr<T>`, or `absl::Status` for `void`. On a plain thread
//    they call `fn()` and never time out.
//  - `fn` must return by value (not a reference).
//
// Memory ordering: everything `fn` did happens-before `block_on` returns
// its result.

#ifndef MCO_STDLIB_OFFLOAD_OFFLOAD_H_
#define MCO_STDLIB_OFFLOAD_OFFLOAD_H_

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/cancel.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::offload {

// set_max_threads() / max_threads()
//
// The most threads the pool runs at once (>= 1; default 256). Lowering it
// lets surplus threads finish their call and exit.
void set_max_threads(int n);
[[nodiscard]] int max_threads();

// set_idle_timeout() / idle_timeout()
//
// How long a pool thread waits for work before it exits (default 10 s).
void set_idle_timeout(time::Duration d);
[[nodiscard]] time::Duration idle_timeout();

// Stats
//
// A snapshot of the pool.
struct Stats {
  int threads = 0;  // alive, busy or idle
  int idle = 0;     // waiting for work
  int queued = 0;   // calls waiting for a thread
};
[[nodiscard]] Stats stats();

namespace internal {

// True if the caller is a coroutine (which hands calls to the pool);
// otherwise a call runs on the caller's thread.
[[nodiscard]] bool on_coroutine();

// Runs `task` on the pool and parks until it has run; false if
// `deadline_ns` (steady clock; INT64_MAX: none) passed first. Throws
// `Cancelled` if the caller is cancelled first. `task` must not throw.
bool run(absl::AnyInvocable<void()> task, int64_t deadline_ns);

// The outcome of a call, shared by the caller and the pool thread.
template <typename T>
struct Slot {
  std::optional<T> value;
  std::exception_ptr error;
};
template <>
struct Slot<void> {
  std::exception_ptr error;
};

template <typename F>
using ResultOf = std::invoke_result_t<std::decay_t<F>&>;

// Hands `fn` to the pool; the slot holds its outcome once `run` returned
// true.
template <typename F>
std::pair<bool, std::shared_ptr<Slot<ResultOf<F>>>> hand_off(
    F&& fn, int64_t deadline_ns) {
  using T = ResultOf<F>;
  static_assert(!std::is_reference_v<T>,
                "mco::offload: the function must return by value");
  auto slot = std::make_shared<Slot<T>>();
  bool done = run(
      [fn = std::forward<F>(fn), slot]() mutable {
        try {
          if constexpr (std::is_void_v<T>) {
            fn();
          } else {
            slot->value.emplace(fn());
          }
        } catch (...) {
          slot->error = std::current_exception();
        }
      },
      deadline_ns);
  return {done, std::move(slot)};
}

// The error of a call whose deadline passed.
absl::Status deadline_exceeded();

}  // namespace internal

// block_on()
//
// Runs `fn()` on the offload pool and parks until it returns (see the file
// comment); returns what `fn` returned.
template <typename F>
internal::ResultOf<F> block_on(F&& fn) {
  using T = internal::ResultOf<F>;
  if (!internal::on_coroutine()) return fn();
  auto [done, slot] = internal::hand_off(std::forward<F>(fn), INT64_MAX);
  (void)done;  // always true without a deadline
  if (slot->error) std::rethrow_exception(slot->error);
  if constexpr (!std::is_void_v<T>) return std::move(*slot->value);
}

// block_on_until()
//
// Like `block_on`, but stops waiting at `deadline` (kDeadlineExceeded).
template <typename F, typename T = internal::ResultOf<F>,
          typename R = std::conditional_t<std::is_void_v<T>, absl::Status,
                                          absl::StatusOr<T>>>
R block_on_until(F&& fn, time::Instant deadline) {
  if (!internal::on_coroutine()) {
    if constexpr (std::is_void_v<T>) {
      fn();
      return absl::OkStatus();
    } else {
      return fn();
    }
  }
  auto [done, slot] = internal::hand_off(std::forward<F>(fn), deadline.nanos());
  if (!done) return internal::deadline_exceeded();
  if (slot->error) std::rethrow_exception(slot->error);
  if constexpr (std::is_void_v<T>) {
    return absl::OkStatus();
  } else {
    return std::move(*slot->value);
  }
}

// block_on_for()
//
// `block_on_until(fn, now + timeout)`.
template <typename F>
auto block_on_for(F&& fn, time::Duration timeout) {
  return block_on_until(std::forward<F>(fn), time::Instant::now() + timeout);
}

}  // namespace mco::offload

#endif  // MCO_STDLIB_OFFLOAD_OFFLOAD_H_
