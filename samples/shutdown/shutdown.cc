// Copyright 2026 The mco Authors.
//
// Graceful shutdown with a context: workers process jobs until the context
// is cancelled (here by a timeout, as a signal handler would), finish the
// job in hand, and report; main waits for all of them.
//
//   mco-run shutdown.so [-- WORKERS [RUN_MS]]     (defaults 3 and 50)

#include <atomic>
#include <cstdio>
#include <optional>
#include <vector>

#include "mco/chan/chan.h"
#include "mco/chan/select.h"
#include "mco/context/context.h"
#include "mco/module.h"
#include "mco/sync/wait_group.h"
#include "mco/time/instant.h"
#include "samples/common/int_arg.h"

MCO_MAIN(args) {
  using namespace mco::time;
  int workers = 0, run_ms = 0;
  if (!mco_samples::int_arg(args, 1, "shutdown", "WORKERS", 1, 1000, 3,
                            &workers) ||
      !mco_samples::int_arg(args, 2, "shutdown", "RUN_MS", 0, 3600000, 50,
                            &run_ms)) {
    return 2;
  }
  auto [ctx, cancel] =
      mco::with_timeout(mco::Context::background(), run_ms * Millisecond);
  mco::Chan<int> jobs(0);
  mco::sync::WaitGroup wg;
  std::atomic<long> handled{0};
  for (int w = 0; w < workers; ++w) {
    wg.add(1);
    mco::go([&, w, ctx = ctx] {
      long mine = 0;
      bool stop = false;
      while (!stop) {
        mco::select(mco::recv(ctx.done(), [&](auto) { stop = true; }),
                    mco::recv(jobs, [&](std::optional<int> j) {
                      if (!j) {
                        stop = true;
                        return;
                      }
                      mco::time::sleep(Millisecond);  // the work
                      ++mine;
                    }));
      }
      handled += mine;
      std::printf("worker %d stopped after %ld jobs\n", w, mine);
      wg.done();
    }).detach();
  }
  // The producer stops when the context ends too.
  bool stop = false;
  for (int j = 0; !stop; ++j) {
    mco::select(mco::recv(ctx.done(), [&](auto) { stop = true; }),
                mco::send(jobs, j));
  }
  wg.wait();
  std::printf("shut down cleanly: %ld jobs handled, reason: %s\n",
              handled.load(), std::string(ctx.err().message()).c_str());
  cancel();
  return 0;
}
