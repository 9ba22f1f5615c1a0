// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: timer.h
// -----------------------------------------------------------------------------
//
// Go's `time.Timer` and `time.After`: a channel that receives the time once,
// after a duration.
//
//   using namespace mco::time;
//   Timer t(50 * Millisecond);
//   mco::select(mco::recv(t.c(), [&](std::optional<Instant>) { timed_out(); }),
//               mco::recv(results, [&](std::optional<int> r) { use(r); }));
//   t.stop();
//
//   auto deadline = after(Second);        // Chan<Instant>, fires once
//   deadline.recv();                      // parks for a second
//
// Semantics (Go 1.23's, which are the clean ones): the channel has capacity
// 1 and receives `Instant::now()` at the deadline. `stop()` and `reset()`
// return whether the timer was active, and after they return no stale value
// from before can be received: a value already sent but not received is
// drained. Neither ever blocks for a period: they cancel a libuv timer on
// its worker's loop without waiting for it.
//
// A Timer needs a running scheduler (it throws `std::logic_error`
// otherwise). The callback that fires runs on a worker thread between
// coroutines and only try-sends, so a slow receiver never stalls a worker.
//
// Thread safety: a Timer may be used from several coroutines and threads;
// `stop`/`reset` serialize on a short internal lock.

#ifndef MCO_STDLIB_TIME_TIMER_H_
#define MCO_STDLIB_TIME_TIMER_H_

#include <memory>

#include "mco/chan/chan.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::time {

namespace detail {
struct TimerState;
}  // namespace detail

class Timer {
 public:
  // Timer::Timer()
  //
  // Starts a timer that fires once after `d` (at once if `d` <= 0).
  explicit Timer(Duration d);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  Timer(Timer&&) noexcept;
  Timer& operator=(Timer&&) noexcept;

  // Timer::c()
  //
  // The channel the time is sent on (capacity 1): a handle, like Go's `t.C`.
  [[nodiscard]] Chan<Instant> c() const;

  // Timer::stop()
  //
  // Prevents the timer from firing; true if it was active (had not fired
  // and was not stopped). Drains a value already sent.
  bool stop();

  // Timer::reset()
  //
  // Restarts the timer to fire after `d`; true if it was active before.
  bool reset(Duration d);

 private:
  std::shared_ptr<detail::TimerState> state_;
};

// after()
//
// A channel that receives the time once, after `d` (Go's time.After). The
// timer cannot be stopped; use `Timer` for that.
Chan<Instant> after(Duration d);

}  // namespace mco::time

#endif  // MCO_STDLIB_TIME_TIMER_H_
