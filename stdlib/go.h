// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: go.h
// -----------------------------------------------------------------------------
//
// Spawning coroutines: Go's `go` statement, with a handle to join.
//
// `mco::go(f)` starts `f()` in a new coroutine on the scheduler and returns a
// `JoinHandle<T>`, where `T` is what `f` returns. `join()` waits for the
// coroutine and returns its value, or rethrows the exception that escaped it.
// A `Builder` sets a name and a stack size first:
//
//   auto h = mco::go([] { return fib(30); });
//   auto g = mco::Builder().name("fetcher").stack_size(256 << 10)
//                .spawn([&] { fetch(url); });
//   int v = h.join();
//   g.join();                 // rethrows fetch()'s exception, if any
//
// Panic isolation: an exception escaping a coroutine ends that coroutine
// only. `join()` rethrows it; if the handle is dropped (or `detach()`ed)
// without joining, the exception is reported on stderr as
// "mco: coroutine <id> '<name>' panicked: <what>" and the program runs on.
//
// Dropping a handle detaches the coroutine: it runs to its end unobserved,
// like a goroutine. `cancel()` asks it to stop (see "mco/cancel.h").
//
// Every blocking call here works in a coroutine (it parks) and on a plain
// thread (it blocks the thread), honours cancellation of the caller, and has
// a timed variant (`wait_for`, `wait_until`).
//
// `go` requires a running scheduler (inside `mco::run` or a module run by
// `mco-run`); otherwise it throws `std::logic_error`.

#ifndef MCO_STDLIB_GO_H_
#define MCO_STDLIB_GO_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "mco/cancel.h"          // IWYU pragma: export
#include "mco/this_coroutine.h"  // IWYU pragma: export

namespace mco {
namespace rt {
struct Coroutine;
}  // namespace rt

namespace detail {
// The runtime calls behind the templates below (stdlib/go.cc).
rt::Coroutine* spawn(absl::AnyInvocable<void()> body, std::string name,
                     size_t stack_size);
// Waits until done or `deadline_ns` (steady clock; INT64_MAX: none).
// Throws Cancelled if the caller is cancelled meanwhile.
bool wait(rt::Coroutine* co, int64_t deadline_ns);
bool is_done(rt::Coroutine* co);
std::exception_ptr outcome(rt::Coroutine* co);
void release(rt::Coroutine* co, bool observed);
void cancel(rt::Coroutine* co);
uint64_t id(rt::Coroutine* co);
const std::string& name(rt::Coroutine* co);
int64_t to_deadline_ns(std::chrono::steady_clock::time_point t);
int64_t deadline_after_ns(std::chrono::nanoseconds d);

// Gives other stdlib packages (e.g. mco/chan's `done`) the coroutine behind
// a handle without making it public API.
struct HandleAccess;

template <typename T>
struct Slot {
  std::optional<T> value;
};
template <>
struct Slot<void> {};
}  // namespace detail

// JoinHandle
//
// Owns the right to join one coroutine. Move-only. Dropping it detaches.
template <typename T>
class JoinHandle {
 public:
  JoinHandle() = default;
  JoinHandle(JoinHandle&& other) noexcept
      : co_(std::exchange(other.co_, nullptr)), slot_(std::move(other.slot_)) {}
  JoinHandle& operator=(JoinHandle&& other) noexcept {
    if (this != &other) {
      reset(false);
      co_ = std::exchange(other.co_, nullptr);
      slot_ = std::move(other.slot_);
    }
    return *this;
  }
  JoinHandle(const JoinHandle&) = delete;
  JoinHandle& operator=(const JoinHandle&) = delete;
  ~JoinHandle() { reset(false); }

  // JoinHandle::join()
  //
  // Waits for the coroutine; returns its value or rethrows its exception
  // (`mco::Cancelled` if it ended cancelled). The handle is empty afterwards.
  // Throws `std::logic_error` on an empty handle, and `mco::Cancelled` if the
  // caller is cancelled while waiting (the handle then stays joinable).
  T join() {
    check_joinable();
    detail::wait(co_, INT64_MAX);
    std::exception_ptr ex = detail::outcome(co_);
    std::shared_ptr<detail::Slot<T>> slot = std::move(slot_);
    reset(true);
    if (ex) std::rethrow_exception(ex);
    if constexpr (!std::is_void_v<T>) return std::move(*slot->value);
  }

  // JoinHandle::wait_for() / wait_until()
  //
  // Wait at most `d` / until `t` for the coroutine to finish; true if it
  // has (then `join()` returns at once).
  template <typename Rep, typename Period>
  bool wait_for(std::chrono::duration<Rep, Period> d) {
    check_joinable();
    return detail::wait(
        co_, detail::deadline_after_ns(
                 std::chrono::duration_cast<std::chrono::nanoseconds>(d)));
  }
  template <typename Duration>
  bool wait_until(
      std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
    check_joinable();
    return detail::wait(
        co_,
        detail::to_deadline_ns(
            std::chrono::time_point_cast<std::chrono::steady_clock::duration>(
                t)));
  }

  // JoinHandle::is_finished()
  [[nodiscard]] bool is_finished() const {
    return co_ != nullptr && detail::is_done(co_);
  }

  // JoinHandle::cancel()
  //
  // Requests cancellation: the coroutine's current or next blocking call
  // throws `mco::Cancelled`. Returns at once; `join()` to wait for it.
  void cancel() {
    if (co_ != nullptr) detail::cancel(co_);
  }

  // JoinHandle::detach()
  //
  // Lets the coroutine run unobserved; the handle becomes empty.
  void detach() { reset(false); }

  [[nodiscard]] bool joinable() const { return co_ != nullptr; }
  [[nodiscard]] uint64_t id() const { return co_ ? detail::id(co_) : 0; }
  [[nodiscard]] std::string name() const {
    return co_ ? detail::name(co_) : std::string();
  }

 private:
  template <typename U>
  friend class Spawner;
  friend struct detail::HandleAccess;
  JoinHandle(rt::Coroutine* co, std::shared_ptr<detail::Slot<T>> slot)
      : co_(co), slot_(std::move(slot)) {}

  void check_joinable() const {
    if (co_ == nullptr) throw std::logic_error("mco: join on an empty handle");
  }
  void reset(bool observed) {
    if (co_ != nullptr) detail::release(std::exchange(co_, nullptr), observed);
    slot_.reset();
  }

  rt::Coroutine* co_ = nullptr;
  std::shared_ptr<detail::Slot<T>> slot_;
};

// Builder
//
// Configures a coroutine before spawning it.
class Builder {
 public:
  Builder() = default;

  // Builder::name()
  //
  // Names the coroutine (shown in panics, overflow reports and dumps).
  Builder& name(std::string name) {
    name_ = std::move(name);
    return *this;
  }

  // Builder::stack_size()
  //
  // Maximum stack size in bytes (rounded up to pages, at least 16 KiB).
  // Default: the scheduler's (`Config::stack_size`, 6 MiB by default).
  Builder& stack_size(size_t bytes) {
    stack_size_ = bytes;
    return *this;
  }

  // Builder::spawn()
  //
  // Starts `f()` in a new coroutine.
  template <typename F>
  auto spawn(F&& f) -> JoinHandle<std::invoke_result_t<std::decay_t<F>&>>;

 private:
  std::string name_;
  size_t stack_size_ = 0;
};

template <typename U>
class Spawner {
 public:
  template <typename F>
  static JoinHandle<U> spawn(F&& f, std::string name, size_t stack_size) {
    if constexpr (std::is_void_v<U>) {
      // Nothing to hand back: no result slot, the body is `f` itself.
      rt::Coroutine* co =
          detail::spawn(absl::AnyInvocable<void()>(std::forward<F>(f)),
                        std::move(name), stack_size);
      return JoinHandle<U>(co, nullptr);
    } else {
      auto slot = std::make_shared<detail::Slot<U>>();
      absl::AnyInvocable<void()> body = [fn = std::forward<F>(f),
                                         slot]() mutable {
        slot->value.emplace(fn());
      };
      rt::Coroutine* co =
          detail::spawn(std::move(body), std::move(name), stack_size);
      return JoinHandle<U>(co, std::move(slot));
    }
  }
};

template <typename F>
auto Builder::spawn(F&& f)
    -> JoinHandle<std::invoke_result_t<std::decay_t<F>&>> {
  using U = std::invoke_result_t<std::decay_t<F>&>;
  return Spawner<U>::spawn(std::forward<F>(f), name_, stack_size_);
}

// go()
//
// Starts `f()` in a new coroutine with the default stack size.
template <typename F>
auto go(F&& f) {
  return Builder().spawn(std::forward<F>(f));
}

// go_named()
//
// Starts `f()` in a new coroutine named `name`.
template <typename F>
auto go_named(std::string name, F&& f) {
  return Builder().name(std::move(name)).spawn(std::forward<F>(f));
}

}  // namespace mco

#endif  // MCO_STDLIB_GO_H_
