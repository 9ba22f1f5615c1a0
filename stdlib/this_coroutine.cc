// Copyright 2026 The mco Authors.

#include "mco/this_coroutine.h"

#include <thread>

#include "mco/cancel.h"
#include "runtime/clock.h"
#include "runtime/coroutine.h"
#include "runtime/park.h"
#include "runtime/scheduler.h"

namespace mco {
namespace this_coroutine {

uint64_t id() {
  rt::Coroutine* co = rt::current();
  return co == nullptr ? 0 : co->id;
}

const std::string& name() {
  static const std::string empty;
  rt::Coroutine* co = rt::current();
  return co == nullptr ? empty : co->name.str();
}

bool in_coroutine() { return rt::current() != nullptr; }

int worker_index() { return rt::current_worker_index(); }

}  // namespace this_coroutine

void yield_now() {
  check_cancel();
  rt::yield();
}

void sleep_until_ns(int64_t deadline_ns) {
  rt::Parker& p = rt::current_parker();
  // Nobody else knows this episode: only the deadline or a cancellation
  // ends it. Loop in case the clock is coarser than the deadline.
  for (;;) {
    const rt::Parker::Token t = p.prepare(/*cancellable=*/true);
    const rt::WakeReason r = p.park(t, rt::WaitReason::kSleep, deadline_ns);
    if (r == rt::WakeReason::kCancelled) throw Cancelled();
    if (rt::now_nanos() >= deadline_ns) return;
  }
}

}  // namespace mco
