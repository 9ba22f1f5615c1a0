// Copyright 2026 The mco Authors.

#include "mco/chan/done.h"

#include "runtime/coroutine.h"

namespace mco::detail {

void close_on_done(rt::Coroutine* co, Chan<std::monostate> c) {
  rt::on_done(co, [c]() mutable { c.close(); });
}

}  // namespace mco::detail
