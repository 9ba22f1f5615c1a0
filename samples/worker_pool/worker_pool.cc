// Copyright 2026 The mco Authors.
//
// Go's worker pool: N workers take jobs from one channel and send results
// on another; a WaitGroup closes the results when all workers are done.
//
//   mco-run worker_pool.so [-- WORKERS [JOBS]]     (defaults 4 and 20)
//
// Prints each worker's share and the sum of squares of 1..JOBS.

#include <cstdio>
#include <string>
#include <vector>

#include "mco/chan/chan.h"
#include "mco/module.h"
#include "mco/sync/wait_group.h"
#include "samples/common/int_arg.h"

MCO_MAIN(args) {
  int workers = 0, jobs_n = 0;
  if (!mco_samples::int_arg(args, 1, "worker_pool", "WORKERS", 1, 1000, 4,
                            &workers) ||
      !mco_samples::int_arg(args, 2, "worker_pool", "JOBS", 0, 1000000, 20,
                            &jobs_n)) {
    return 2;
  }
  mco::Chan<int> jobs(16);
  mco::Chan<long> results(16);
  mco::sync::WaitGroup wg;
  std::vector<int> done_by(workers, 0);
  for (int w = 0; w < workers; ++w) {
    wg.add(1);
    mco::go_named("worker-" + std::to_string(w), [&, w] {
      for (int j : jobs) {  // until jobs is closed
        results.send(long{j} * j);
        ++done_by[w];
      }
      wg.done();
    }).detach();
  }
  mco::go([&] {
    for (int j = 1; j <= jobs_n; ++j) jobs.send(j);
    jobs.close();
  }).detach();
  mco::go([&] {
    wg.wait();
    results.close();
  }).detach();
  long sum = 0;
  for (long r : results) sum += r;
  int total = 0;
  for (int w = 0; w < workers; ++w) total += done_by[w];
  std::printf("%d workers did %d jobs; sum of squares = %ld\n", workers, total,
              sum);
  return 0;
}
