// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: cancel.h
// -----------------------------------------------------------------------------
//
// Cooperative cancellation of coroutines.
//
// `JoinHandle::cancel()` asks a coroutine to stop. The coroutine's current
// blocking call (if it is parked in one) or its next one throws
// `mco::Cancelled`, which unwinds its stack like any exception, running
// destructors. A coroutine may catch `Cancelled` to clean up, and should then
// rethrow it (or return); the request stays pending, so the next blocking call
// throws again.
//
// Blocking calls are the cancellation points: `sleep`, `yield_now`, `join`,
// `Waker` parking, and every blocking call of the stdlib. A coroutine spinning
// in plain computation is not interrupted; it may poll `is_cancelled()`.
//
// A coroutine may defer cancellation inside a region with `DeferCancel`:
//
//   {
//     mco::DeferCancel no_cancel;   // blocking calls here are not interrupted
//     flush_log();
//   }                               // a pending request fires at the next
//                                   // blocking call after the region
//
// An escaped `Cancelled` is the normal end of a cancelled coroutine: it is not
// reported as a panic, and `join()` rethrows it to the joiner.
//
// Outside coroutines (plain threads) nothing is ever cancelled; `DeferCancel`
// is then a no-op.

#ifndef MCO_STDLIB_CANCEL_H_
#define MCO_STDLIB_CANCEL_H_

#include "runtime/cancelled.h"  // IWYU pragma: export

namespace mco {

// is_cancelled()
//
// Returns true if cancellation of the current coroutine was requested.
// Always false on a plain thread.
[[nodiscard]] bool is_cancelled();

// check_cancel()
//
// A cancellation point that does not block: throws `Cancelled` if a request
// is pending and cancellation is not deferred.
void check_cancel();

// DeferCancel
//
// While at least one `DeferCancel` of the current coroutine is alive, its
// blocking calls do not throw `Cancelled` (a request stays pending). Nestable.
class DeferCancel {
 public:
  DeferCancel();
  ~DeferCancel();
  DeferCancel(const DeferCancel&) = delete;
  DeferCancel& operator=(const DeferCancel&) = delete;
};

}  // namespace mco

#endif  // MCO_STDLIB_CANCEL_H_
