// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: wait_list_impl.h
// -----------------------------------------------------------------------------
//
// Private to mco/sync's code (not installed for modules): what a `WaitList`
// holds, and the helpers the sync types share.

#ifndef MCO_STDLIB_SYNC_WAIT_LIST_IMPL_H_
#define MCO_STDLIB_SYNC_WAIT_LIST_IMPL_H_

#include <new>

#include "mco/cancel.h"
#include "mco/sync/wait_list.h"
#include "runtime/clock.h"
#include "runtime/park.h"
#include "runtime/spinlock.h"
#include "runtime/wait_queue.h"

namespace mco::sync::internal {

static_assert(kNoDeadline == rt::kNoDeadline);

// The state behind a `WaitList`.
struct WaitListState {
  rt::SpinLock lock;
  rt::WaitQueue queue;
};

struct WaitListAccess {
  static WaitListState& get(WaitList& w) {
    static_assert(sizeof(WaitListState) <= sizeof(w.storage_));
    static_assert(alignof(WaitListState) <= alignof(void*));
    return *std::launder(reinterpret_cast<WaitListState*>(w.storage_));
  }
  static void construct(WaitList& w) { new (w.storage_) WaitListState(); }
};

inline WaitListState& state_of(WaitList& w) { return WaitListAccess::get(w); }

// Throws `Cancelled` for a wait that ended by cancellation.
inline void throw_if_cancelled(rt::WakeReason r) {
  if (r == rt::WakeReason::kCancelled) throw Cancelled();
}

}  // namespace mco::sync::internal

#endif  // MCO_STDLIB_SYNC_WAIT_LIST_IMPL_H_
