// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: defer.h
// -----------------------------------------------------------------------------
//
// Go's `defer`, for a C++ scope: `MCO_DEFER(stmt);` runs `stmt` when the
// enclosing scope ends, however it ends (normal exit, `return`, an
// exception, `mco::Cancelled` unwinding a cancelled coroutine). Several defers
// in one scope run in reverse order, as in Go. Unlike Go, the scope is the
// enclosing block, not the function.
//
//   FILE* f = fopen(path, "r");
//   if (f == nullptr) return errno_error();
//   MCO_DEFER(fclose(f));
//   MCO_DEFER({
//     log("done reading");
//     metrics.reads++;
//   });
//
// The statement captures everything by reference (`[&]`), so it sees the
// variables' values when it runs, not when it was deferred; Go evaluates a
// deferred call's arguments at once. Capture a copy first where that matters.
//
// `mco::util::ScopeGuard` is the named form, for when the action must be
// cancellable (`dismiss()`) or moved out of the scope:
//
//   auto rollback = mco::util::ScopeGuard([&] { tx.rollback(); });
//   tx.apply(change);
//   rollback.dismiss();      // committed: do not roll back
//
// The action must not throw: it runs in a destructor, so an escaping
// exception terminates the program. (A Go deferred call may panic; C++
// cannot unwind twice.)

#ifndef MCO_STDLIB_UTIL_DEFER_H_
#define MCO_STDLIB_UTIL_DEFER_H_

#include <type_traits>
#include <utility>

namespace mco::util {

// ScopeGuard
//
// Runs an action when destroyed, unless dismissed. Move-only.
template <typename F>
class [[nodiscard]] ScopeGuard {
 public:
  explicit ScopeGuard(F f) noexcept(std::is_nothrow_move_constructible_v<F>)
      : f_(std::move(f)) {}

  ScopeGuard(ScopeGuard&& other) noexcept(
      std::is_nothrow_move_constructible_v<F>)
      : f_(std::move(other.f_)), active_(std::exchange(other.active_, false)) {}

  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;
  ScopeGuard& operator=(ScopeGuard&&) = delete;

  ~ScopeGuard() noexcept {
    if (active_) f_();
  }

  // ScopeGuard::dismiss()
  //
  // The action will not run.
  void dismiss() noexcept { active_ = false; }

  // ScopeGuard::active()
  //
  // False once dismissed or moved from.
  [[nodiscard]] bool active() const noexcept { return active_; }

 private:
  F f_;
  bool active_ = true;
};

template <typename F>
ScopeGuard(F) -> ScopeGuard<F>;

namespace internal {
struct DeferTag {};
template <typename F>
ScopeGuard<F> operator+(DeferTag, F&& f) {
  return ScopeGuard<F>(std::forward<F>(f));
}
}  // namespace internal

}  // namespace mco::util

#define MCO_DEFER_CONCAT_INNER_(a, b) a##b
#define MCO_DEFER_CONCAT_(a, b) MCO_DEFER_CONCAT_INNER_(a, b)

// MCO_DEFER()
//
// Runs the statement (or braced block) given when the enclosing scope ends.
// See the file comment.
#define MCO_DEFER(...)                                               \
  [[maybe_unused]] auto MCO_DEFER_CONCAT_(mco_defer_, __COUNTER__) = \
      ::mco::util::internal::DeferTag{} +                            \
      [&]() noexcept -> void { __VA_ARGS__; }

#endif  // MCO_STDLIB_UTIL_DEFER_H_
