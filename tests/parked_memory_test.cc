// Copyright 2026 The mco Authors.
//
// 1,000,000 coroutines parked at once with the default configuration (6 MiB
// stacks) under Linux's default vm.max_map_count, and the RSS each costs;
// then all released at once by one channel close.
// Prints "parked: N coroutines, X KB RSS each, M mappings".

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/waker.h"
#include "runtime/stack_pool.h"

namespace {

long status_kb(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + strlen(key));
  }
  return -1;
}

int count_mappings() {
  std::ifstream f("/proc/self/maps");
  std::string line;
  int n = 0;
  while (std::getline(f, line)) ++n;
  return n;
}

TEST(ParkedMemory, OneMillionParkedWithDefaultConfig) {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "measures memory; meaningless under a sanitizer";
#endif
  static constexpr int kN = 1'000'000;
  int rc = mco::run({}, [] {
    EXPECT_EQ(mco::default_stack_size(), mco::kDefaultStackSize);
    // All park on one channel and are released at once by its close.
    mco::Chan<int> gate(0);
    std::vector<mco::JoinHandle<void>> hs;
    hs.reserve(kN);
    std::atomic<int> parked{0};
    std::atomic<int> released{0};
    const long rss_before = status_kb("VmRSS:");
    for (int i = 0; i < kN; ++i) {
      hs.push_back(mco::go([&, gate]() mutable {
        parked.fetch_add(1);
        if (!gate.recv().has_value()) released.fetch_add(1);  // closed
      }));
    }
    // Wait (parked, not spinning) until every coroutine has parked.
    while (parked.load() < kN) mco::sleep(std::chrono::milliseconds(10));
    const long rss_during = status_kb("VmRSS:");
    const int maps = count_mappings();
    const double kb_each = double(rss_during - rss_before) / kN;
    std::printf("parked: %d coroutines, %.2f KB RSS each, %d mappings\n", kN,
                kb_each, maps);
    std::fflush(stdout);
    // Touched pages only: a stack that committed its whole 6 MiB would show
    // here as thousands of KB.
    EXPECT_LT(kb_each, 16.0);
    // Leaves room under Linux's default vm.max_map_count (65530) for the
    // rest of the process.
    EXPECT_LT(maps, 55000);
    EXPECT_EQ(released.load(), 0);
    gate.close();
    for (auto& h : hs) h.join();
    EXPECT_EQ(released.load(), kN);  // each ran exactly once, after the close
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

}  // namespace
