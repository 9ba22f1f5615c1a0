// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: context.h
// -----------------------------------------------------------------------------
//
// Go's `context`: cancellation, deadlines and request-scoped values that flow
// down a tree of work.
//
//   auto [ctx, cancel] = mco::with_timeout(mco::Context::background(),
//                                          2 * mco::time::Second);
//   mco::go([ctx = ctx] {
//     for (;;) {
//       mco::select(mco::recv(ctx.done(), [](auto) {}),   // closed: stop
//                   mco::recv(jobs, [&](std::optional<Job> j) { run(*j); }));
//       if (!ctx.err().ok()) return;        // "context canceled" / "deadline"
//     }
//   });
//   cancel();                               // stops the tree, idempotent
//
// Contract (Go's):
//  - `Context::background()` is never cancelled, has no deadline and no
//    values; its `done()` is the nil channel (never ready in a select).
//  - `with_cancel(parent)` returns a child and a `CancelFunc`. The child is
//    cancelled when the function is called or when the parent is; a child
//    never cancels its parent. Cancelling closes `done()` (every receiver,
//    now and later, sees "closed") and sets `err()`: `absl::CancelledError`
//    ("context canceled"), or `absl::DeadlineExceededError` ("context
//    deadline exceeded") when a deadline passed. `err()` is OK until then.
//  - `with_deadline(parent, t)` / `with_timeout(parent, d)` also cancel at
//    `t` (now + d); a parent's earlier deadline wins. The deadline is a
//    libuv timer (see "mco/time/timer.h"); calling the CancelFunc releases
//    it early. They need a running scheduler (`std::logic_error` otherwise).
//  - `with_value(parent, key, v)`: `value(key)` finds the nearest value for
//    `key` up the chain. Keys are `ContextKey<T>` objects compared by
//    address, so packages cannot collide.
//  - Contexts are cheap immutable handles, safe to share between coroutines
//    and threads.
//
// Memory ordering: everything done before a cancel happens-before a receive
// on `done()` that sees it closed, and before `err()` returns non-OK.

#ifndef MCO_STDLIB_CONTEXT_CONTEXT_H_
#define MCO_STDLIB_CONTEXT_CONTEXT_H_

#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "mco/chan/chan.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco {

namespace detail {
struct ContextNode;
}  // namespace detail

class CancelFunc;

// ContextKey
//
// Identifies a context value of type T. Define one per purpose, with static
// storage duration: `static const mco::ContextKey<std::string> kRequestId;`.
template <typename T>
class ContextKey {
 public:
  constexpr ContextKey() = default;
  ContextKey(const ContextKey&) = delete;
  ContextKey& operator=(const ContextKey&) = delete;

 private:
  char unused_ = 0;
};

class Context {
 public:
  // Context::background()
  //
  // The root: never cancelled, no deadline, no values.
  static Context background();

  // Context::done()
  //
  // A channel closed when the context is cancelled; the nil channel for a
  // context that can never be cancelled.
  [[nodiscard]] Chan<std::monostate> done() const;

  // Context::err()
  //
  // OK while active; CancelledError or DeadlineExceededError afterwards.
  [[nodiscard]] absl::Status err() const;

  // Context::deadline()
  //
  // When the context will be cancelled by a deadline, if it has one.
  [[nodiscard]] std::optional<time::Instant> deadline() const;

  // Context::value()
  //
  // The nearest value stored for `key`, or nullptr.
  template <typename T>
  [[nodiscard]] const T* value(const ContextKey<T>& key) const {
    return static_cast<const T*>(find_value(&key));
  }

 private:
  friend class CancelFunc;
  friend std::pair<Context, CancelFunc> with_cancel(const Context&);
  friend std::pair<Context, CancelFunc> with_deadline(const Context&,
                                                      time::Instant);
  template <typename T>
  friend Context with_value(const Context&, const ContextKey<T>&, T);
  static Context with_value_erased(const Context& parent, const void* key,
                                   std::shared_ptr<const void> value);

  explicit Context(std::shared_ptr<detail::ContextNode> node)
      : node_(std::move(node)) {}
  const void* find_value(const void* key) const;

  std::shared_ptr<detail::ContextNode> node_;  // nullptr: background
};

// CancelFunc
//
// Cancels its context (and its descendants). Idempotent; callable from any
// coroutine or thread; copyable.
class CancelFunc {
 public:
  CancelFunc() = default;
  void operator()() const;

 private:
  friend std::pair<Context, CancelFunc> with_cancel(const Context&);
  friend std::pair<Context, CancelFunc> with_deadline(const Context&,
                                                      time::Instant);
  explicit CancelFunc(std::shared_ptr<detail::ContextNode> node)
      : node_(std::move(node)) {}
  std::shared_ptr<detail::ContextNode> node_;
};

// with_cancel() / with_deadline() / with_timeout()
std::pair<Context, CancelFunc> with_cancel(const Context& parent);
std::pair<Context, CancelFunc> with_deadline(const Context& parent,
                                             time::Instant deadline);
inline std::pair<Context, CancelFunc> with_timeout(const Context& parent,
                                                   time::Duration timeout) {
  return with_deadline(parent, time::Instant::now() + timeout);
}

// with_value()
template <typename T>
Context with_value(const Context& parent, const ContextKey<T>& key, T value) {
  return Context::with_value_erased(
      parent, &key, std::make_shared<const T>(std::move(value)));
}

}  // namespace mco

#endif  // MCO_STDLIB_CONTEXT_CONTEXT_H_
