// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: once_cell.h
// -----------------------------------------------------------------------------
//
// `OnceCell<T>`: a slot written at most once, read lock-free ever after.
// `Lazy<T>`: a value computed on first access by a function given up front.
// Go's `sync.OnceValue`, with Rust's `OnceCell` names.
//
//   mco::util::OnceCell<Config> config;
//   const Config& c = config.get_or_init([] { return load_config(); });
//
//   mco::util::Lazy<Regex> re([] { return Regex("[a-z]+"); });
//   if (re->match(s)) ...
//
// Contract:
//  - `get_or_init(f)`: if the cell holds a value, returns it. Otherwise
//    exactly one caller runs `f()` and stores its result while the other
//    callers wait (a coroutine parks, a plain thread blocks), then all of
//    them return that value. If `f` throws, the exception propagates to the
//    caller that ran it, the cell stays empty, and one waiting caller (or the
//    next caller) runs its own `f`: a failed initialisation is retried.
//  - `set(v)` stores `v` if the cell is empty and returns true, or returns
//    false. If an initialisation is in progress it waits for it first (and
//    stores `v` if that initialisation failed).
//  - `get()` never waits: the value, or nullptr if there is none yet (also
//    while an initialisation is in progress).
//  - Waiting honours cancellation: a cancelled coroutine waiting for another
//    caller's `f` throws `mco::Cancelled` (unless in a `DeferCancel` region)
//    and the cell is unaffected. The caller that runs `f` is never
//    interrupted by the cell (`f` itself may be a cancellation point).
//  - `get_or_init_for(d, f)` / `get_or_init_until(t, f)` wait at most until
//    the deadline for another caller's `f` and return nullptr if it has not
//    finished by then. If the caller gets to run `f` itself, it runs it to
//    the end whatever the deadline.
//  - `f` must not use the same cell (that would wait for itself forever, as
//    Go's `sync.Once` does).
//  - Destroy a cell only when no call on it is in progress (e.g. after
//    joining the coroutines that use it).
//  - Waiters are recorded with `WaitReason::kOther` in coroutine dumps.
//
// Memory ordering: storing the value (by `get_or_init` or `set`) happens
// before every read of it: all writes `f` made are visible to any caller that
// gets the value. After that, a read is one acquire load.

#ifndef MCO_STDLIB_UTIL_ONCE_CELL_H_
#define MCO_STDLIB_UTIL_ONCE_CELL_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <new>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"

namespace mco::util {

namespace internal {

// OnceState
//
// The state word of a `OnceCell` and the queue of callers waiting for an
// initialisation to end. The queue (an `rt::SpinLock` and an
// `rt::WaitQueue`, the runtime's wait door) lives in opaque storage so that
// modules can hold cells without the runtime's headers; the code is in
// once_cell.cc.
class OnceState {
 public:
  enum class Claim : uint8_t {
    kReady,     // a value is stored
    kClaimed,   // the caller must initialise, then call `finish`
    kTimedOut,  // the deadline passed while another caller initialised
  };

  OnceState();
  OnceState(const OnceState&) = delete;
  OnceState& operator=(const OnceState&) = delete;

  [[nodiscard]] bool ready() const {
    return state_.load(std::memory_order_acquire) == kReady;
  }

  // Waits while another caller initialises (until `deadline_ns`, steady
  // clock; INT64_MAX: none), then claims the right to initialise if the
  // cell is still empty. Throws `mco::Cancelled` if cancelled while waiting.
  Claim claim(int64_t deadline_ns);

  // Ends the caller's claim: `stored` if it stored the value. Wakes waiters.
  void finish(bool stored);

 private:
  static constexpr uint8_t kEmpty = 0, kBusy = 1, kReady = 2;
  std::atomic<uint8_t> state_{kEmpty};
  alignas(void*) unsigned char waiters_[3 * sizeof(void*)];
};

int64_t deadline_after_ns(std::chrono::nanoseconds d);
int64_t to_deadline_ns(std::chrono::steady_clock::time_point t);

}  // namespace internal

// OnceCell
//
// A thread- and coroutine-safe cell written at most once. See the file
// comment.
template <typename T>
class OnceCell {
 public:
  OnceCell() = default;
  OnceCell(const OnceCell&) = delete;
  OnceCell& operator=(const OnceCell&) = delete;
  ~OnceCell() {
    if (state_.ready()) value()->~T();
  }

  // OnceCell::get()
  //
  // The value, or nullptr if the cell is (still) empty. Never waits.
  [[nodiscard]] T* get() { return state_.ready() ? value() : nullptr; }
  [[nodiscard]] const T* get() const {
    return state_.ready() ? value() : nullptr;
  }

  // OnceCell::has_value()
  [[nodiscard]] bool has_value() const { return state_.ready(); }

  // OnceCell::get_or_init()
  //
  // The value, initialised by `f()` (which returns something `T` can be
  // constructed from) if the cell is empty. See the file comment.
  template <typename F>
  T& get_or_init(F&& f) {
    return *init(internal_no_deadline(), std::forward<F>(f));
  }

  // OnceCell::get_or_init_for() / get_or_init_until()
  //
  // Like `get_or_init`, but waits for another caller's initialisation at
  // most `d` / until `t`; nullptr if that did not end in time.
  template <typename Rep, typename Period, typename F>
  T* get_or_init_for(std::chrono::duration<Rep, Period> d, F&& f) {
    return init(internal::deadline_after_ns(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(d)),
                std::forward<F>(f));
  }
  template <typename Duration, typename F>
  T* get_or_init_until(
      std::chrono::time_point<std::chrono::steady_clock, Duration> t, F&& f) {
    return init(
        internal::to_deadline_ns(
            std::chrono::time_point_cast<std::chrono::steady_clock::duration>(
                t)),
        std::forward<F>(f));
  }

  // OnceCell::set()
  //
  // Stores `v` if the cell is empty; returns whether it did.
  bool set(T v) {
    bool stored = false;
    init(internal_no_deadline(), [&]() -> T&& {
      stored = true;
      return std::move(v);
    });
    return stored;
  }

 private:
  static int64_t internal_no_deadline() {
    return std::numeric_limits<int64_t>::max();
  }

  T* value() { return std::launder(reinterpret_cast<T*>(storage_)); }
  const T* value() const {
    return std::launder(reinterpret_cast<const T*>(storage_));
  }

  template <typename F>
  T* init(int64_t deadline_ns, F&& f) {
    if (state_.ready()) return value();  // the lock-free path
    switch (state_.claim(deadline_ns)) {
      case internal::OnceState::Claim::kReady:
        return value();
      case internal::OnceState::Claim::kTimedOut:
        return nullptr;
      case internal::OnceState::Claim::kClaimed:
        break;
    }
    try {
      ::new (static_cast<void*>(storage_)) T(std::forward<F>(f)());
    } catch (...) {
      state_.finish(false);
      throw;
    }
    state_.finish(true);
    return value();
  }

  internal::OnceState state_;
  alignas(T) unsigned char storage_[sizeof(T)];
};

// Lazy
//
// A value computed by `init` on first access; thread- and coroutine-safe,
// with `OnceCell`'s waiting, retry and cancellation rules. `init` may run
// more than once only if it throws.
//
//   mco::util::Lazy<std::vector<int>> primes([] { return sieve(1000); });
//   int n = primes->size();
template <typename T, typename F = absl::AnyInvocable<T()>>
class Lazy {
 public:
  explicit Lazy(F init) : init_(std::move(init)) {}
  Lazy(const Lazy&) = delete;
  Lazy& operator=(const Lazy&) = delete;

  // Lazy::get()
  //
  // The value, computing it first if needed.
  T& get() {
    if (T* v = cell_.get()) return *v;
    return cell_.get_or_init([this] { return init_(); });
  }

  // Lazy::get_for() / get_until()
  //
  // Like `get`, waiting for another caller's `init` at most `d` / until `t`;
  // nullptr if it did not end in time.
  template <typename Rep, typename Period>
  T* get_for(std::chrono::duration<Rep, Period> d) {
    if (T* v = cell_.get()) return v;
    return cell_.get_or_init_for(d, [this] { return init_(); });
  }
  template <typename Duration>
  T* get_until(std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
    if (T* v = cell_.get()) return v;
    return cell_.get_or_init_until(t, [this] { return init_(); });
  }

  // Lazy::is_initialized()
  [[nodiscard]] bool is_initialized() const { return cell_.has_value(); }

  T& operator*() { return get(); }
  T* operator->() { return &get(); }

 private:
  F init_;
  OnceCell<T> cell_;
};

}  // namespace mco::util

#endif  // MCO_STDLIB_UTIL_ONCE_CELL_H_
