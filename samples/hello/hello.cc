// Copyright 2026 The mco Authors.
//
// The hello sample: a module run by `mco-run`.
//
//   mco-run hello.so [-- NAME [COUNT]]
//
// Greets NAME (default "world") from the main coroutine, spawns COUNT
// (default 4, at most 64) named coroutines that each report their id and
// name and sleep a little, then joins them in order and prints what each
// returned.

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "mco/module.h"
#include "samples/common/int_arg.h"

namespace {

constexpr int kDefaultCount = 4;
constexpr int kMaxCount = 64;

}  // namespace

MCO_MAIN(args) {
  const std::string who = args.size() > 1 ? args[1] : "world";
  int count = 0;
  if (!mco_samples::int_arg(args, 2, "hello", "COUNT", 1, kMaxCount,
                            kDefaultCount, &count)) {
    return 2;
  }
  if (args.size() > 3) {
    std::fprintf(stderr, "hello: usage: hello.so [-- NAME [COUNT]]\n");
    return 2;
  }

  std::printf(
      "Hello, %s! I am coroutine %llu (%s), running on %d worker(s).\n",
      who.c_str(), static_cast<unsigned long long>(mco::this_coroutine::id()),
      std::string(mco::this_coroutine::name()).c_str(), mco::num_workers());

  std::vector<mco::JoinHandle<std::string>> greeters;
  greeters.reserve(count);
  for (int i = 0; i < count; ++i) {
    const int naptime_ms = 10 * (i + 1);
    greeters.push_back(
        mco::go_named("greeter-" + std::to_string(i), [who, naptime_ms] {
          const std::string name(mco::this_coroutine::name());
          std::printf(
              "  %s (coroutine %llu) says hi to %s, naps %d ms\n", name.c_str(),
              static_cast<unsigned long long>(mco::this_coroutine::id()),
              who.c_str(), naptime_ms);
          mco::sleep(std::chrono::milliseconds(naptime_ms));
          return name + " woke up after " + std::to_string(naptime_ms) + " ms";
        }));
  }

  for (auto& greeter : greeters) {
    std::printf("joined: %s\n", greeter.join().c_str());
  }
  std::printf("Goodbye, %s! %d coroutine(s) joined.\n", who.c_str(), count);
  return 0;
}
