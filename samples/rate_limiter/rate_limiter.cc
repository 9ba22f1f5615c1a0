// Copyright 2026 The mco Authors.
//
// Go's rate limiter: requests are served at most one per tick of a Ticker,
// with a burst allowance kept in a buffered channel.
//
//   mco-run rate_limiter.so [-- REQUESTS [INTERVAL_MS [BURST]]]
//   (defaults 6, 20 and 2)

#include <cstdio>
#include <cstdlib>

#include "mco/chan/chan.h"
#include "mco/module.h"
#include "mco/time/instant.h"
#include "mco/time/ticker.h"

MCO_MAIN(args) {
  using namespace mco::time;
  const int requests = args.size() > 1 ? std::atoi(args[1].c_str()) : 6;
  const int interval_ms = args.size() > 2 ? std::atoi(args[2].c_str()) : 20;
  const int burst = args.size() > 3 ? std::atoi(args[3].c_str()) : 2;
  if (requests < 0 || interval_ms < 1 || burst < 0 || burst > 1000) {
    std::fprintf(stderr, "usage: rate_limiter.so [-- N [MS [BURST]]]\n");
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
