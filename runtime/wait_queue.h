// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: wait_queue.h
// -----------------------------------------------------------------------------
//
// The one door from synchronisation types to the scheduler: a FIFO of parked
// waiters guarded by the caller's lock (Go's `sudog` queue and `sema`).
//
// A `Waiter` lives on the waiting coroutine's (or thread's) stack. The
// waiting side calls `WaitQueue::wait()` with the owning type's lock held:
// it enqueues the waiter, releases the lock, parks (one `Parker` episode),
// and, if the episode ended other than by a notification, re-takes the lock
// and removes the waiter if it is still queued. The notifying side, holding
// the same lock, calls `notify_one()`/`notify_all()` or pops waiters itself
// and calls `Waiter::wake()`.
//
// Rules that make this safe:
//  - Every queue operation happens under the owner's lock.
//  - `wake()` is called under the owner's lock, so a waiter whose episode
//    ended by deadline or cancellation cannot return (and free its stack
//    `Waiter`) before the waker is done with it: it must first re-take the
//    lock to withdraw.
//  - A waiter's `payload` (e.g. where a channel puts a received value) may
//    be written by the waker under the lock before `wake()`. If `wake()`
//    returns false, the episode had already ended (deadline, cancel, or
//    another select case): the waker must take back what it wrote and try
//    the next waiter. The woken side reads its payload only after a
//    `kNotified` outcome.
//
// One episode may have waiters in several queues (select): they share the
// parker and token, so only one of them can be woken.

#ifndef MCO_RUNTIME_WAIT_QUEUE_H_
#define MCO_RUNTIME_WAIT_QUEUE_H_

#include <cstdint>

#include "runtime/clock.h"
#include "runtime/park.h"

namespace mco::rt {

// Waiter
//
// One waiter in one queue.
struct Waiter {
  Parker* parker = nullptr;
  Parker::Token token = 0;
  void* payload = nullptr;  // owner-defined (value slot, weight, ...)
  int64_t index = 0;        // owner-defined (select case, ...)
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
  bool queued = false;

  // Ends the waiter's episode with a notification; false if it had already
  // ended. Call with the owner's lock held.
  bool wake() { return parker->unpark(token, WakeReason::kNotified); }
};

// WaitQueue
//
// An intrusive FIFO of waiters. Not thread-safe by itself: the owner's lock
// guards it.
class WaitQueue {
 public:
  WaitQueue() = default;
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;

  [[nodiscard]] bool empty() const { return head_ == nullptr; }
  [[nodiscard]] Waiter* front() const { return head_; }

  void push_back(Waiter* w) {
    w->prev = tail_;
    w->next = nullptr;
    if (tail_ != nullptr) {
      tail_->next = w;
    } else {
      head_ = w;
    }
    tail_ = w;
    w->queued = true;
  }

  void push_front(Waiter* w) {
    w->next = head_;
    w->prev = nullptr;
    if (head_ != nullptr) {
      head_->prev = w;
    } else {
      tail_ = w;
    }
    head_ = w;
    w->queued = true;
  }

  // Removes `w` if it is queued here.
  void remove(Waiter* w) {
    if (!w->queued) return;
    if (w->prev != nullptr) {
      w->prev->next = w->next;
    } else {
      head_ = w->next;
    }
    if (w->next != nullptr) {
      w->next->prev = w->prev;
    } else {
      tail_ = w->prev;
    }
    w->prev = w->next = nullptr;
    w->queued = false;
  }

  Waiter* pop_front() {
    Waiter* w = head_;
    if (w != nullptr) remove(w);
    return w;
  }

  // Wakes the first waiter whose episode is still open; returns it, or
  // nullptr if none. Waiters found already ended are dropped from the queue.
  Waiter* notify_one() {
    while (Waiter* w = pop_front()) {
      if (w->wake()) return w;
    }
    return nullptr;
  }

  // Wakes every waiter; returns how many were woken.
  int notify_all() {
    int n = 0;
    while (Waiter* w = pop_front()) n += w->wake() ? 1 : 0;
    return n;
  }

  // WaitQueue::wait()
  //
  // With `lock` held: queues a waiter for the caller (`payload`, `index` as
  // given; at the front if `lifo`), releases `lock`, parks until notified,
  // `deadline` or (if `cancellable`) cancellation, and returns the outcome.
  // On return `lock` is NOT held. `out`, if given, receives the waiter (its
  // payload was written by the waker on kNotified).
  template <typename Lock>
  WakeReason wait(Lock& lock, WaitReason why, Nanos deadline,
                  bool cancellable = true, void* payload = nullptr,
                  bool lifo = false) {
    Parker& p = current_parker();
    Waiter w;
    w.parker = &p;
    w.token = p.prepare(cancellable);
    w.payload = payload;
    if (lifo) {
      push_front(&w);
    } else {
      push_back(&w);
    }
    lock.unlock();
    const WakeReason r = p.park(w.token, why, deadline);
    if (r != WakeReason::kNotified) {
      lock.lock();
      remove(&w);
      lock.unlock();
    }
    return r;
  }

 private:
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
};

}  // namespace mco::rt

#endif  // MCO_RUNTIME_WAIT_QUEUE_H_
