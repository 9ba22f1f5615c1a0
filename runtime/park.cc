// Copyright 2026 The mco Authors.

#include "runtime/park.h"

#include "runtime/coroutine.h"
#include "runtime/scheduler.h"
#include "runtime/timer.h"

namespace mco::rt {

const char* wait_reason_name(WaitReason reason) {
  switch (reason) {
    case WaitReason::kNone:
      return "running";
    case WaitReason::kYield:
      return "yield";
    case WaitReason::kSleep:
      return "sleep";
    case WaitReason::kJoin:
      return "join";
    case WaitReason::kPark:
      return "park";
    case WaitReason::kChanSend:
      return "chan send";
    case WaitReason::kChanRecv:
      return "chan receive";
    case WaitReason::kSelect:
      return "select";
    case WaitReason::kMutex:
      return "mutex";
    case WaitReason::kCond:
      return "cond";
    case WaitReason::kSemaphore:
      return "semaphore";
    case WaitReason::kIo:
      return "I/O";
    case WaitReason::kOffload:
      return "offload";
    case WaitReason::kOther:
      return "other";
  }
  return "?";
}

bool woken_from_outside(WaitReason reason) {
  switch (reason) {
    case WaitReason::kSleep:    // a deadline
    case WaitReason::kIo:       // the poller or a libuv request
    case WaitReason::kOffload:  // an offload thread
    case WaitReason::kPark:  // a Waker, which any thread or callback may hold
      return true;
    default:
      return false;
  }
}

Parker::Token Parker::prepare(bool cancellable) {
  if (co_ == nullptr || co_->defer_cancel > 0) cancellable = false;
  const uint64_t w = word_.load(std::memory_order_relaxed);
  const uint64_t gen = gen_of(w) + 1;
  word_.store((gen << kGenShift) | (cancellable ? kCancellableBit : 0) | kArmed,
              std::memory_order_seq_cst);
  if (cancellable && co_->cancel_requested.load(std::memory_order_seq_cst)) {
    try_end(gen, WakeReason::kCancelled, true);
  }
  return gen;
}

bool Parker::try_end(uint64_t gen, WakeReason reason, bool need_cancellable) {
  uint64_t w = word_.load(std::memory_order_acquire);
  for (;;) {
    if (gen_of(w) != gen) return false;
    const uint64_t st = state_of(w);
    if (st != kArmed && st != kParked) return false;
    if (need_cancellable && (w & kCancellableBit) == 0) return false;
    const uint64_t nw = (w & ~(kStateMask | uint64_t{12})) |
                        (static_cast<uint64_t>(reason) << 2) | kWoken;
    if (word_.compare_exchange_weak(w, nw, std::memory_order_acq_rel,
                                    std::memory_order_acquire)) {
      if (st == kParked) ready(co_);
      return true;
    }
  }
}

bool Parker::unpark(Token token, WakeReason reason) {
  if (co_ != nullptr) return try_end(token, reason, false);
  std::lock_guard<std::mutex> lock(thread_->mu);
  const bool won = try_end(token, reason, false);
  if (won) thread_->cv.notify_one();
  return won;
}

bool Parker::unpark_if_cancellable() {
  if (co_ == nullptr) return false;
  return try_end(gen_of(word_.load(std::memory_order_acquire)),
                 WakeReason::kCancelled, true);
}

bool Parker::commit_parked() {
  uint64_t w = word_.load(std::memory_order_acquire);
  while (state_of(w) == kArmed) {
    const uint64_t nw = (w & ~kStateMask) | kParked;
    if (word_.compare_exchange_weak(w, nw, std::memory_order_acq_rel,
                                    std::memory_order_acquire)) {
      return true;
    }
  }
  return false;  // already woken
}

WakeReason Parker::park(Token token, WaitReason why, Nanos deadline) {
  if (co_ == nullptr) return park_thread(token, deadline);
  uint64_t w = word_.load(std::memory_order_acquire);
  if (state_of(w) == kWoken) return reason_of(w);
  Worker* deadline_owner = nullptr;
  if (deadline != kNoDeadline) {
    if (deadline <= now_nanos()) {
      // Expired before it could block: time out, but let others run first,
      // as the wait would have (a loop of short timeouts on a slow machine
      // must not monopolise its worker).
      try_end(token, WakeReason::kTimedOut, false);
      switch_out(SwitchAction::kYield);
      return reason_of(word_.load(std::memory_order_acquire));
    }
    deadline_owner = arm_deadline(co_, token, deadline);
  }
  // The deadlock detector (monitor.h) needs to know whether something other
  // than a coroutine will end this wait.
  const bool external = deadline_owner != nullptr || woken_from_outside(why);
  if (external) note_external_wait(+1);
  co_->wait_reason = why;
  switch_out(SwitchAction::kPark);
  co_->wait_reason = WaitReason::kNone;
  if (external) note_external_wait(-1);
  const WakeReason reason = reason_of(word_.load(std::memory_order_acquire));
  // A deadline that fired left the heap; any other ending leaves it behind.
  if (deadline_owner != nullptr && reason != WakeReason::kTimedOut) {
    note_stale_deadline(deadline_owner);
  }
  return reason;
}

WakeReason Parker::park_thread(Token token, Nanos deadline) {
  std::unique_lock<std::mutex> lock(thread_->mu);
  for (;;) {
    const uint64_t w = word_.load(std::memory_order_acquire);
    if (state_of(w) == kWoken) return reason_of(w);
    if (deadline == kNoDeadline) {
      thread_->cv.wait(lock);
      continue;
    }
    const Nanos now = now_nanos();
    if (now >= deadline) {
      try_end(token, WakeReason::kTimedOut, false);
      continue;
    }
    thread_->cv.wait_for(lock, std::chrono::nanoseconds(deadline - now));
  }
}

Parker& current_parker() {
  if (Coroutine* co = current(); co != nullptr) return co->parker;
  thread_local Parker thread_parker(nullptr);
  return thread_parker;
}

}  // namespace mco::rt
