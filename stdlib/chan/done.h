// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: done.h
// -----------------------------------------------------------------------------
//
// A coroutine's completion as a channel, so `select` can wait for it next to
// channel operations and timers.
//
//   auto worker = mco::go([&] { crunch(); });
//   mco::select(mco::recv(mco::done(worker), [&](auto) { finished = true; }),
//               mco::timeout(100ms, [&] { worker.cancel(); }));
//   worker.join();     // the outcome (value or exception) is still join()'s
//
// `done(h)` returns a channel that is closed when the coroutine behind `h`
// finishes (at once if it already has); a receive on it then yields
// `std::nullopt`. It does not consume the outcome: `join()` still returns
// the value or rethrows. Each call makes a new channel. Throws
// `std::logic_error` for an empty handle.
//
// Memory ordering: everything the coroutine did happens-before a receive
// that sees its done channel closed.

#ifndef MCO_STDLIB_CHAN_DONE_H_
#define MCO_STDLIB_CHAN_DONE_H_

#include <stdexcept>
#include <variant>

#include "mco/chan/chan.h"
#include "mco/go.h"

namespace mco {
namespace detail {

struct HandleAccess {
  template <typename T>
  static rt::Coroutine* coroutine(const JoinHandle<T>& h) {
    return h.co_;
  }
};

// Closes `c` when `co` finishes (done.cc).
void close_on_done(rt::Coroutine* co, Chan<std::monostate> c);

}  // namespace detail

// done()
//
// A channel closed when `h`'s coroutine finishes.
template <typename T>
Chan<std::monostate> done(const JoinHandle<T>& h) {
  rt::Coroutine* co = detail::HandleAccess::coroutine(h);
  if (co == nullptr) throw std::logic_error("mco: done() of an empty handle");
  Chan<std::monostate> c(0);
  detail::close_on_done(co, c);
  return c;
}

}  // namespace mco

#endif  // MCO_STDLIB_CHAN_DONE_H_
