// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: scope.h
// -----------------------------------------------------------------------------
//
// Scoped spawn: coroutines that may borrow the parent's locals, because the
// scope joins them all before it returns.
//
//   std::vector<int> data = load();
//   std::atomic<long> sum{0};
//   mco::scope([&](mco::Scope& s) {
//     for (int part = 0; part < 4; ++part)
//       s.spawn([&, part] { sum += add_part(data, part); });  // borrows data
//   });                                 // all four are done here
//
// `scope(f)` runs `f(scope)` on the caller, then joins every coroutine
// spawned on the scope (also those spawned by the children). If `f` throws,
// the children are cancelled, joined, and `f`'s exception is rethrown. If
// children threw, the first exception (in spawn order) is rethrown after all
// are joined; the others are dropped. Joining ignores the caller's own
// cancellation until every child is done (it defers cancellation), so
// borrowed locals are never freed under a running child.

#ifndef MCO_STDLIB_SCOPE_H_
#define MCO_STDLIB_SCOPE_H_

#include <cstddef>
#include <exception>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "mco/cancel.h"
#include "mco/go.h"

namespace mco {

class Scope {
 public:
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  // Scope::spawn()
  //
  // Starts `f()` in a coroutine joined by the scope. Its return value, if any,
  // is discarded. Safe to call from the scope's children.
  template <typename F>
  void spawn(F&& f) {
    spawn_with(Builder(), std::forward<F>(f));
  }

  // Scope::spawn_with()
  //
  // Like `spawn`, with a configured `Builder` (name, stack size).
  template <typename F>
  void spawn_with(Builder builder, F&& f) {
    auto h = builder.spawn([fn = std::forward<F>(f)]() mutable { fn(); });
    std::lock_guard<std::mutex> lock(mu_);
    handles_.push_back(std::move(h));
  }

 private:
  template <typename F>
  friend void scope(F&& f);
  Scope() = default;

  // Joins every child; returns the first child exception.
  std::exception_ptr join_all(bool cancel_first) {
    DeferCancel no_cancel;
    std::exception_ptr first;
    for (size_t i = 0;; ++i) {
      JoinHandle<void> h;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (i >= handles_.size()) break;
        if (cancel_first) handles_[i].cancel();
        h = std::move(handles_[i]);
      }
      try {
        h.join();
      } catch (...) {
        if (!first) first = std::current_exception();
      }
    }
    return first;
  }

  std::mutex mu_;  // guards handles_; held only briefly, never while waiting
  std::vector<JoinHandle<void>> handles_;
};

// scope()
//
// Runs `f(Scope&)` and joins every coroutine spawned on the scope.
template <typename F>
void scope(F&& f) {
  Scope s;
  try {
    f(s);
  } catch (...) {
    s.join_all(/*cancel_first=*/true);
    throw;
  }
  if (std::exception_ptr e = s.join_all(/*cancel_first=*/false)) {
    std::rethrow_exception(e);
  }
}

}  // namespace mco

#endif  // MCO_STDLIB_SCOPE_H_
