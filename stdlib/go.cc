// Copyright 2026 The mco Authors.

#include "mco/go.h"

#include <stdexcept>

#include "runtime/clock.h"
#include "runtime/coroutine.h"
#include "runtime/scheduler.h"

namespace mco::detail {

rt::Coroutine* spawn(absl::AnyInvocable<void()> body, std::string name,
                     size_t stack_size) {
  if (!rt::running()) {
    throw std::logic_error("mco: go() needs a running scheduler (mco::run)");
  }
  return rt::spawn(std::move(body), std::move(name), stack_size);
}

bool wait(rt::Coroutine* co, int64_t deadline_ns) {
  bool cancelled = false;
  const bool done = rt::wait_done(co, deadline_ns, &cancelled);
  if (cancelled) throw Cancelled();
  return done;
}

bool is_done(rt::Coroutine* co) {
  return co->done.load(std::memory_order_acquire);
}

std::exception_ptr outcome(rt::Coroutine* co) { return co->exception; }

void release(rt::Coroutine* co, bool observed) {
  rt::detach(co, observed);
  rt::unref(co);
}

void cancel(rt::Coroutine* co) { rt::request_cancel(co); }

uint64_t id(rt::Coroutine* co) { return co->id; }

const std::string& name(rt::Coroutine* co) { return co->name.str(); }

int64_t to_deadline_ns(std::chrono::steady_clock::time_point t) {
  return rt::to_deadline(t);
}

int64_t deadline_after_ns(std::chrono::nanoseconds d) {
  return rt::deadline_after(d.count());
}

}  // namespace mco::detail
