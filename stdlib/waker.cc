// Copyright 2026 The mco Authors.

#include "mco/waker.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "mco/cancel.h"
#include "runtime/clock.h"
#include "runtime/coroutine.h"
#include "runtime/park.h"
#include "runtime/scheduler.h"

namespace mco {
namespace detail {

// A plain thread's permit. Shared with its Wakers so they stay valid after
// the thread exits.
struct ThreadPermit {
  std::mutex mu;
  std::condition_variable cv;
  bool permit = false;
};

namespace {
std::shared_ptr<ThreadPermit>& this_thread_permit() {
  thread_local std::shared_ptr<ThreadPermit> p =
      std::make_shared<ThreadPermit>();
  return p;
}
}  // namespace
}  // namespace detail

Waker::Waker(const Waker& other) : co_(other.co_), thread_(other.thread_) {
  if (co_ != nullptr) rt::ref(co_);
}

Waker& Waker::operator=(const Waker& other) {
  if (this != &other) {
    Waker copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Waker::Waker(Waker&& other) noexcept
    : co_(std::exchange(other.co_, nullptr)),
      thread_(std::move(other.thread_)) {}

Waker& Waker::operator=(Waker&& other) noexcept {
  if (this != &other) {
    if (co_ != nullptr) rt::unref(co_);
    co_ = std::exchange(other.co_, nullptr);
    thread_ = std::move(other.thread_);
  }
  return *this;
}

Waker::~Waker() {
  if (co_ != nullptr) rt::unref(co_);
}

void Waker::unpark() const {
  if (co_ != nullptr) {
    co_->permit.store(true, std::memory_order_seq_cst);
    co_->parker.unpark(co_->permit_token.load(std::memory_order_seq_cst));
  } else if (thread_ != nullptr) {
    std::lock_guard<std::mutex> lock(thread_->mu);
    thread_->permit = true;
    thread_->cv.notify_one();
  }
}

Waker current_waker() {
  Waker w;
  if (rt::Coroutine* co = rt::current(); co != nullptr) {
    rt::ref(co);
    w.co_ = co;
  } else {
    w.thread_ = detail::this_thread_permit();
  }
  return w;
}

bool park_until_ns(int64_t deadline_ns) {
  rt::Coroutine* co = rt::current();
  if (co == nullptr) {
    auto& tp = *detail::this_thread_permit();
    std::unique_lock<std::mutex> lock(tp.mu);
    while (!tp.permit) {
      if (deadline_ns == rt::kNoDeadline) {
        tp.cv.wait(lock);
        continue;
      }
      const rt::Nanos now = rt::now_nanos();
      if (now >= deadline_ns) return false;
      tp.cv.wait_for(lock, std::chrono::nanoseconds(deadline_ns - now));
    }
    tp.permit = false;
    return true;
  }
  const rt::Parker::Token t = co->parker.prepare(/*cancellable=*/true);
  co->permit_token.store(t, std::memory_order_seq_cst);
  if (co->permit.exchange(false, std::memory_order_seq_cst)) {
    co->parker.unpark(t);  // end the episode we no longer need
    co->parker.park(t, rt::WaitReason::kPark, rt::kNoDeadline);
    return true;
  }
  const rt::WakeReason r =
      co->parker.park(t, rt::WaitReason::kPark, deadline_ns);
  if (r == rt::WakeReason::kCancelled) throw Cancelled();
  if (r == rt::WakeReason::kNotified) {
    co->permit.store(false, std::memory_order_seq_cst);
    return true;
  }
  return co->permit.exchange(false, std::memory_order_seq_cst);
}

void park() { park_until_ns(rt::kNoDeadline); }

}  // namespace mco
