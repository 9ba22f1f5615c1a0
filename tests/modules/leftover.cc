// Copyright 2026 The mco Authors.
//
// Test module: the main coroutine returns 3 while three other coroutines
// sleep "forever". mco-run must exit with 3 promptly; the sleepers are
// cancelled and unwind (each prints one line from a destructor).

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>

#include "mco/module.h"

namespace {

constexpr int kSleepers = 3;
std::atomic<int> started{0};

struct ReportUnwind {
  std::string name;
  ~ReportUnwind() { std::printf("%s unwound\n", name.c_str()); }
};

}  // namespace

MCO_MAIN(args) {
  for (int i = 0; i < kSleepers; ++i) {
    // The handle is dropped: the sleeper is detached.
    mco::go_named("sleeper-" + std::to_string(i), [] {
      ReportUnwind report{std::string(mco::this_coroutine::name())};
      started.fetch_add(1);
      for (;;) mco::sleep(std::chrono::hours(24));
    });
  }
  // Wait until every sleeper runs, so that each has something to unwind.
  while (started.load() < kSleepers) mco::yield_now();
  std::printf("main returns 3\n");
  return 3;
}
