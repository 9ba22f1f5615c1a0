// Copyright 2026 The mco Authors.

#include "mco/cancel.h"

#include "runtime/coroutine.h"
#include "runtime/scheduler.h"

namespace mco {

bool is_cancelled() {
  rt::Coroutine* co = rt::current();
  return co != nullptr && co->cancel_requested.load(std::memory_order_acquire);
}

void check_cancel() {
  if (rt::cancel_pending(rt::current())) throw Cancelled();
}

DeferCancel::DeferCancel() {
  if (rt::Coroutine* co = rt::current(); co != nullptr) ++co->defer_cancel;
}

DeferCancel::~DeferCancel() {
  if (rt::Coroutine* co = rt::current(); co != nullptr) --co->defer_cancel;
}

}  // namespace mco
