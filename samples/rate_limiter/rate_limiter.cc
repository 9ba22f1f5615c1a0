// Copyright 2026 The mco Authors.
//
// Go's rate limiter: requests are served at most one per tick of a Ticker,
// with a burst allowance kept in a buffered channel.
//
//   mco-run rate_limiter.so [-- REQUESTS [INTERVAL_MS [BURST]]]
//   (defaults 6, 20 and 2)

#include <cstdio>

#include "mco/chan/chan.h"
#include "mco/module.h"
#include "mco/time/instant.h"
#include "mco/time/ticker.h"
#include "samples/common/int_arg.h"

MCO_MAIN(args) {
  using namespace mco::time;
  int requests = 0, interval_ms = 0, burst = 0;
  if (!mco_samples::int_arg(args, 1, "rate_limiter", "REQUESTS", 0, 100000, 6,
                            &requests) ||
      !mco_samples::int_arg(args, 2, "rate_limiter", "INTERVAL_MS", 1, 60000,
                            20, &interval_ms) ||
      !mco_samples::int_arg(args, 3, "rate_limiter", "BURST", 0, 1000, 2,
                            &burst)) {
    return 2;
  }
  // Request times count from before the ticker starts, so request k > burst
  // is served at least (k - burst) intervals after `start`.
  Instant start = Instant::now();
  mco::Chan<Instant> limiter(static_cast<size_t>(burst) + 1);
  for (int i = 0; i < burst; ++i) (void)limiter.try_send(Instant::now());
  Ticker ticker(interval_ms * Millisecond);
  auto refill = mco::go([&] {
    for (;;) {
      std::optional<Instant> t = ticker.c().recv();
      if (!t || !limiter.try_send(*t)) {
        // The bucket is full: this tick's token is dropped.
      }
    }
  });
  for (int r = 1; r <= requests; ++r) {
    limiter.recv();  // wait for a token
    std::printf("request %d served at +%lld ms\n", r,
                static_cast<long long>(start.elapsed().milliseconds()));
  }
  refill.cancel();
  ticker.stop();
  std::printf("served %d requests (burst %d, then 1 per %d ms)\n", requests,
              burst, interval_ms);
  return 0;
}
