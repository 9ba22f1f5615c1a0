// Copyright 2026 The mco Authors.
//
// The concurrent prime sieve (after https://go.dev/doc/play/sieve.go): a
// module run by `mco-run`.
//
//   mco-run sieve.so [-- N]
//
// Prints the first N primes (default 10, at most 10000). A generator
// coroutine sends 2, 3, 4, ... down an unbuffered channel; each prime found
// adds a filter coroutine that drops the multiples of that prime from the
// stream it receives and passes the rest on. When done, the main coroutine
// cancels the generator and filters (they are parked in `send`/`recv`) and
// joins them.

#include <cstdio>
#include <string>
#include <vector>

#include "mco/chan/chan.h"
#include "mco/module.h"
#include "samples/common/int_arg.h"

namespace {

constexpr int kDefaultCount = 10;
constexpr int kMaxCount = 10000;

// Sends 2, 3, 4, ... to `out` until cancelled.
void Generate(mco::Chan<int> out) {
  for (int i = 2;; ++i) out.send(i);
}

// Copies the values from `in` to `out`, dropping multiples of `prime`.
void Filter(mco::Chan<int> in, mco::Chan<int> out, int prime) {
  for (int v : in) {
    if (v % prime != 0) out.send(v);
  }
}

}  // namespace

MCO_MAIN(args) {
  int count = 0;
  if (!mco_samples::int_arg(args, 1, "sieve", "N", 1, kMaxCount, kDefaultCount,
                            &count)) {
    return 2;
  }
  if (args.size() > 2) {
    std::fprintf(stderr, "sieve: usage: sieve.so [-- N]\n");
    return 2;
  }

  std::vector<mco::JoinHandle<void>> stages;
  mco::Chan<int> ch(0);
  stages.push_back(mco::go_named("generate", [ch] { Generate(ch); }));
  for (int i = 0; i < count; ++i) {
    const int prime = *ch.recv();
    std::printf("%d\n", prime);
    mco::Chan<int> next(0);
    stages.push_back(
        mco::go_named("filter-" + std::to_string(prime),
                      [ch, next, prime] { Filter(ch, next, prime); }));
    ch = next;
  }

  // Every stage is parked in a send or a receive: cancel and join them.
  for (auto& stage : stages) stage.cancel();
  for (auto& stage : stages) {
    try {
      stage.join();
    } catch (const mco::Cancelled&) {
      // The expected end of a cancelled stage.
    }
  }
  return 0;
}
