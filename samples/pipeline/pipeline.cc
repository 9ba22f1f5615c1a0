// Copyright 2026 The mco Authors.
//
// Go's pipeline with fan-out and fan-in: generate -> square (fanned out to
// several coroutines) -> merge -> sum.
//
//   mco-run pipeline.so [-- N [FANOUT]]     (defaults 100 and 3)

#include <cstdio>
#include <vector>

#include "mco/chan/chan.h"
#include "mco/module.h"
#include "mco/sync/wait_group.h"
#include "samples/common/int_arg.h"

namespace {

mco::Chan<long> generate(long n) {
  mco::Chan<long> out;
  out = mco::Chan<long>(0);
  mco::go([out, n]() mutable {
    for (long i = 1; i <= n; ++i) out.send(i);
    out.close();
  }).detach();
  return out;
}

mco::Chan<long> square(mco::Chan<long> in) {
  mco::Chan<long> out(0);
  mco::go([in, out]() mutable {
    for (long v : in) out.send(v * v);
    out.close();
  }).detach();
  return out;
}

mco::Chan<long> merge(std::vector<mco::Chan<long>> ins) {
  mco::Chan<long> out(0);
  auto wg = std::make_shared<mco::sync::WaitGroup>();
  wg->add(static_cast<int64_t>(ins.size()));
  for (auto in : ins) {
    mco::go([in, out, wg]() mutable {
      for (long v : in) out.send(v);
      wg->done();
    }).detach();
  }
  mco::go([out, wg]() mutable {
    wg->wait();
    out.close();
  }).detach();
  return out;
}

}  // namespace

MCO_MAIN(args) {
  int n = 0, fanout = 0;
  if (!mco_samples::int_arg(args, 1, "pipeline", "N", 0, 1000000, 100, &n) ||
      !mco_samples::int_arg(args, 2, "pipeline", "FANOUT", 1, 1000, 3,
                            &fanout)) {
    return 2;
  }
  mco::Chan<long> source = generate(n);
  std::vector<mco::Chan<long>> squares;
  for (int i = 0; i < fanout; ++i) squares.push_back(square(source));
  long sum = 0, count = 0;
  for (long v : merge(squares)) {
    sum += v;
    ++count;
  }
  std::printf("pipeline: %ld values through %d squarers, sum = %ld\n", count,
              fanout, sum);
  return 0;
}
