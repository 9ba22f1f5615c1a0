// Copyright 2026 The mco Authors.
//
// Channels: the type-independent core behind mco/chan/chan.h. The model and
// invariants are in chan_internal.h.

#include "mco/chan/chan.h"

#include <new>

#include "mco/cancel.h"
#include "runtime/clock.h"
#include "runtime/park.h"
#include "runtime/scheduler.h"
#include "stdlib/chan/chan_internal.h"

namespace mco {

ChanClosedError::ChanClosedError(const char* what) : std::logic_error(what) {}
ChanClosedError::~ChanClosedError() = default;

namespace detail {
namespace {

constexpr const char kSendOnClosed[] = "send on closed channel";

size_t round_up(size_t n, size_t align) {
  return (n + align - 1) / align * align;
}

// Blocks on the nil channel: nothing can wake the caller but its deadline or
// a cancellation.
ChanStatus block_forever(rt::WaitReason why, int64_t deadline) {
  rt::Parker& p = rt::current_parker();
  const rt::Parker::Token t = p.prepare(/*cancellable=*/true);
  if (p.park(t, why, deadline) == rt::WakeReason::kCancelled) {
    throw Cancelled();
  }
  return ChanStatus::kTimeout;
}

}  // namespace

bool still_blocking(bool block, int64_t deadline) {
  return block && (deadline == rt::kNoDeadline || deadline > rt::now_nanos());
}

ChanStatus expired(bool wanted_block) {
  if (wanted_block) rt::yield();
  return ChanStatus::kTimeout;
}

ChanCore::ChanCore(const ElemOps* ops_in, size_t cap_in)
    : ops(ops_in), cap(cap_in), stride(round_up(ops_in->size, ops_in->align)) {
  if (cap > 0) {
    buf = static_cast<unsigned char*>(
        ::operator new(cap* stride, std::align_val_t(ops->align)));
  }
}

ChanCore::~ChanCore() {
  // No other handle exists: no lock needed, but the analysis wants one.
  mu.lock();
  const size_t n = count.load(std::memory_order_relaxed);
  for (size_t i = 0; i < n; ++i) ops->destroy(cell(i));
  mu.unlock();
  if (buf != nullptr) ::operator delete(buf, std::align_val_t(ops->align));
}

bool send_locked(ChanCore* c, void* src) {
  const ElemOps& ops = *c->ops;
  // A waiting receiver gets the value directly.
  while (rt::Waiter* w = c->recvq.pop_front()) {
    auto* sg = static_cast<Sudog*>(w->payload);
    ops.emplace(sg->elem, src);
    sg->fired = sg->success = true;
    if (w->wake()) return true;  // `w` may be gone now
    sg->fired = sg->success = false;
    ops.take(src, sg->elem);
  }
  const size_t n = c->count.load(std::memory_order_relaxed);
  if (n < c->cap) {
    ops.construct(c->cell(n), src);
    c->count.store(n + 1, std::memory_order_relaxed);
    return true;
  }
  return false;
}

ChanStatus recv_locked(ChanCore* c, void* opt) {
  const ElemOps& ops = *c->ops;
  size_t n = c->count.load(std::memory_order_relaxed);
  if (n > 0) {
    void* head = c->cell(0);
    ops.emplace(opt, head);
    ops.destroy(head);
    c->head = (c->head + 1) % c->cap;
    --n;
    // The buffer was full if senders wait: the first moves into the slot
    // just freed (at the tail), keeping FIFO order.
    while (rt::Waiter* w = c->sendq.pop_front()) {
      auto* sg = static_cast<Sudog*>(w->payload);
      void* tail = c->cell(n);
      ops.construct(tail, sg->elem);
      sg->fired = sg->success = true;
      if (w->wake()) {
        ++n;
        break;
      }
      sg->fired = sg->success = false;
      ops.assign(sg->elem, tail);
      ops.destroy(tail);
    }
    c->count.store(n, std::memory_order_relaxed);
    return ChanStatus::kOk;
  }
  // Empty buffer: a waiting sender means an unbuffered channel; take its
  // value directly.
  while (rt::Waiter* w = c->sendq.pop_front()) {
    auto* sg = static_cast<Sudog*>(w->payload);
    ops.emplace(opt, sg->elem);
    sg->fired = sg->success = true;
    if (w->wake()) return ChanStatus::kOk;
    sg->fired = sg->success = false;
    ops.take(sg->elem, opt);
  }
  if (c->closed.load(std::memory_order_relaxed)) return ChanStatus::kClosed;
  return ChanStatus::kTimeout;
}

ChanCore* chan_new(const ElemOps* ops, size_t capacity) {
  return new ChanCore(ops, capacity);
}

void chan_delete(ChanCore* c) { delete c; }

ChanStatus chan_send(ChanCore* c, void* src, bool block, int64_t deadline) {
  const bool wanted_block = block;
  block = still_blocking(block, deadline);
  if (block) check_cancel();
  if (c == nullptr) {
    return block ? block_forever(rt::WaitReason::kChanSend, deadline)
                 : ChanStatus::kTimeout;
  }
  c->mu.lock();
  if (c->closed.load(std::memory_order_relaxed)) {
    c->mu.unlock();
    throw ChanClosedError(kSendOnClosed);
  }
  if (send_locked(c, src)) {
    c->mu.unlock();
    return ChanStatus::kOk;
  }
  if (!block) {
    c->mu.unlock();
    return expired(wanted_block);
  }
  Sudog sg;
  sg.elem = src;
  const rt::WakeReason r =
      c->sendq.wait(c->mu, rt::WaitReason::kChanSend, deadline,
                    /*cancellable=*/true, &sg);
  switch (r) {
    case rt::WakeReason::kNotified:
      if (!sg.success) throw ChanClosedError(kSendOnClosed);
      return ChanStatus::kOk;
    case rt::WakeReason::kCancelled:
      throw Cancelled();
    case rt::WakeReason::kTimedOut:
      break;
  }
  return ChanStatus::kTimeout;
}

ChanStatus chan_recv(ChanCore* c, void* opt, bool block, int64_t deadline) {
  const bool wanted_block = block;
  block = still_blocking(block, deadline);
  if (block) check_cancel();
  if (c == nullptr) {
    return block ? block_forever(rt::WaitReason::kChanRecv, deadline)
                 : ChanStatus::kTimeout;
  }
  c->mu.lock();
  const ChanStatus s = recv_locked(c, opt);
  if (s != ChanStatus::kTimeout || !block) {
    c->mu.unlock();
    return s == ChanStatus::kTimeout ? expired(wanted_block) : s;
  }
  Sudog sg;
  sg.elem = opt;
  const rt::WakeReason r =
      c->recvq.wait(c->mu, rt::WaitReason::kChanRecv, deadline,
                    /*cancellable=*/true, &sg);
  switch (r) {
    case rt::WakeReason::kNotified:
      return sg.success ? ChanStatus::kOk : ChanStatus::kClosed;
    case rt::WakeReason::kCancelled:
      throw Cancelled();
    case rt::WakeReason::kTimedOut:
      break;
  }
  return ChanStatus::kTimeout;
}

void chan_close(ChanCore* c) {
  if (c == nullptr) throw ChanClosedError("close of nil channel");
  c->mu.lock();
  if (c->closed.load(std::memory_order_relaxed)) {
    c->mu.unlock();
    throw ChanClosedError("close of closed channel");
  }
  c->closed.store(true, std::memory_order_release);
  // Receivers see "closed" (the buffer is empty if they wait); senders
  // throw. A waiter whose episode already ended is just dropped.
  for (rt::WaitQueue* q : {&c->recvq, &c->sendq}) {
    while (rt::Waiter* w = q->pop_front()) {
      auto* sg = static_cast<Sudog*>(w->payload);
      sg->fired = true;
      sg->success = false;
      if (!w->wake()) sg->fired = false;
    }
  }
  c->mu.unlock();
}

size_t chan_len(const ChanCore* c) {
  return c == nullptr ? 0 : c->count.load(std::memory_order_relaxed);
}

size_t chan_cap(const ChanCore* c) { return c == nullptr ? 0 : c->cap; }

bool chan_is_closed(const ChanCore* c) {
  return c != nullptr && c->closed.load(std::memory_order_acquire);
}

int64_t chan_now_ns() { return rt::now_nanos(); }

}  // namespace detail
}  // namespace mco
