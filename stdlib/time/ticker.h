// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: ticker.h
// -----------------------------------------------------------------------------
//
// Go's `time.Ticker` and `time.Tick`: a channel that receives the time
// every period.
//
//   using namespace mco::time;
//   Ticker ticker(100 * Millisecond);
//   for (int i = 0; i < 5; ++i) {
//     Instant t = *ticker.c().recv();     // one tick every 100 ms
//     poll(t);
//   }
//   ticker.stop();
//
// Ticks are due at start + k*period. The channel has capacity 1: if the
// receiver is slow, ticks are dropped, never queued (Go's behaviour), and a
// tick that comes late does not shift the ones after it. `stop()` ends the
// ticks and drains a pending one; `reset(d)` restarts with period `d` from
// now. Neither blocks for a period. The period must be positive
// (`std::invalid_argument` otherwise, as Go panics). Needs a running
// scheduler (`std::logic_error` otherwise).

#ifndef MCO_STDLIB_TIME_TICKER_H_
#define MCO_STDLIB_TIME_TICKER_H_

#include <memory>

#include "mco/chan/chan.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::time {

namespace detail {
struct TickerState;
}  // namespace detail

class Ticker {
 public:
  explicit Ticker(Duration period);
  ~Ticker();
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;
  Ticker(Ticker&&) noexcept;
  Ticker& operator=(Ticker&&) noexcept;

  // Ticker::c()
  //
  // The channel ticks are sent on (capacity 1): a handle, like Go's `t.C`.
  [[nodiscard]] Chan<Instant> c() const;

  // Ticker::stop()
  //
  // No more ticks; a tick sent but not received is drained.
  void stop();

  // Ticker::reset()
  //
  // Restarts with `period`, the first tick one period from now.
  void reset(Duration period);

 private:
  std::shared_ptr<detail::TickerState> state_;
};

// tick()
//
// A channel of ticks every `period` that never stops (Go's time.Tick): for
// the life of the program. `period` <= 0 returns the nil channel, as Go.
Chan<Instant> tick(Duration period);

}  // namespace mco::time

#endif  // MCO_STDLIB_TIME_TICKER_H_
