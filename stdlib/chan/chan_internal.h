// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: chan_internal.h
// -----------------------------------------------------------------------------
//
// The channel's state and its locked operations, shared by chan.cc and
// select.cc. Not part of the API: modules never see it.
//
// Model (Go's runtime/chan.go)
//
// A channel is a ring buffer of `cap` element cells, a lock, and two FIFO
// wait queues of parked waiters (`rt::WaitQueue`): `recvq` (receivers
// waiting for a value) and `sendq` (senders waiting to hand one over). Each
// waiter's payload is a `Sudog` naming where its value is: the sender's live
// `T`, or the receiver's `std::optional<T>` result.
//
// Invariants (under `mu`):
//  - At least one of `sendq` and `recvq` is empty (barring waiters whose
//    episode already ended, which are dropped when met).
//  - `recvq` non-empty implies the buffer is empty; `sendq` non-empty
//    implies the buffer is full (or the channel is unbuffered).
//  - Once `closed`, both queues are empty and stay so.
//
// Transfers follow the wait-queue rule: the waker moves the value into (or
// out of) the waiter's `Sudog`, marks it `fired`, then calls `wake()`; if
// `wake()` fails (the waiter timed out, was cancelled, or its select was won
// by another case) it moves the value back, clears `fired`, and tries the
// next waiter. So a value is never lost or duplicated.
//
// Lock order: a select locks all its channels in address order; every other
// operation holds one channel lock. Waking never takes a channel lock.

#ifndef MCO_STDLIB_CHAN_CHAN_INTERNAL_H_
#define MCO_STDLIB_CHAN_CHAN_INTERNAL_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "mco/chan/chan.h"
#include "runtime/spinlock.h"
#include "runtime/wait_queue.h"

namespace mco::detail {

// One waiting send or receive (Go's `sudog`), on the waiter's stack.
struct Sudog {
  void* elem = nullptr;  // sender: its live T; receiver: its optional<T>
  bool fired = false;    // set by the waker that ended the episode
  bool success = false;  // fired: true = a value moved, false = closed
};

struct ChanCore {
  ChanCore(const ElemOps* ops_in, size_t cap_in);
  ~ChanCore();

  // The i-th value from the head (i < cap).
  void* cell(size_t i) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return buf + ((head + i) % cap) * stride;
  }

  const ElemOps* const ops;
  const size_t cap;
  const size_t stride;
  unsigned char* buf = nullptr;

  rt::SpinLock mu;
  size_t head ABSL_GUARDED_BY(mu) = 0;
  std::atomic<size_t> count{0};     // written under mu; read by len()
  std::atomic<bool> closed{false};  // written under mu; read by is_closed()
  rt::WaitQueue recvq ABSL_GUARDED_BY(mu);
  rt::WaitQueue sendq ABSL_GUARDED_BY(mu);
};

// send_locked()
//
// With `c->mu` held and `c` open: completes a send of the live `T` at `src`
// without waiting if a receiver waits or the buffer has room; returns false
// (src untouched) otherwise.
bool send_locked(ChanCore* c, void* src) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c->mu);

// recv_locked()
//
// With `c->mu` held: completes a receive into the `std::optional<T>` at
// `opt` without waiting. `kOk` (a value), `kClosed` (closed and drained) or
// `kTimeout` (would have to wait).
ChanStatus recv_locked(ChanCore* c, void* opt)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(c->mu);

// still_blocking()
//
// A deadline that has already passed makes a blocking call a try.
bool still_blocking(bool block, int64_t deadline);

// expired()
//
// The outcome of a call that had to wait but found nothing ready: for a
// blocking call whose deadline passed before it could block, lets others run
// first, as blocking would have (a loop of short timeouts must not
// monopolise its worker). Returns kTimeout.
ChanStatus expired(bool wanted_block);

}  // namespace mco::detail

#endif  // MCO_STDLIB_CHAN_CHAN_INTERNAL_H_
