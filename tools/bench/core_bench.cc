// Copyright 2026 The mco Authors.
//
// Measures the runtime core: ns per spawn+join, ns per yield, and RSS per
// parked coroutine. Prints one line per measurement; medians of 3 runs.
//
//   bazel run -c opt //tools/bench:core_bench -- [--parked N] [--workers N]

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/waker.h"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

long rss_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

double spawn_join_ns(int total, int batch) {
  std::vector<mco::JoinHandle<int>> hs;
  hs.reserve(batch);
  long sum = 0;
  auto t0 = Clock::now();
  for (int done = 0; done < total; done += batch) {
    for (int i = 0; i < batch; ++i) hs.push_back(mco::go([i] { return i; }));
    for (auto& h : hs) sum += h.join();
    hs.clear();
  }
  auto t1 = Clock::now();
  if (sum != long{total / batch} * (long{batch} * (batch - 1) / 2)) {
    std::fprintf(stderr, "spawn_join: wrong sum\n");
    std::exit(1);
  }
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / total;
}

double yield_ns(int per_coroutine) {
  std::atomic<long> count{0};
  auto body = [&] {
    for (int i = 0; i < per_coroutine; ++i) {
      mco::yield_now();
      count.fetch_add(1, std::memory_order_relaxed);
    }
  };
  auto t0 = Clock::now();
  auto a = mco::go(body);
  auto b = mco::go(body);
  a.join();
  b.join();
  auto t1 = Clock::now();
  if (count != 2L * per_coroutine) std::exit(1);
  return std::chrono::duration<double, std::nano>(t1 - t0).count() /
         (2.0 * per_coroutine);
}

double parked_kb(int n) {
  std::vector<mco::Waker> wakers(n);
  std::vector<mco::JoinHandle<void>> hs;
  hs.reserve(n);
  std::atomic<int> parked{0};
  std::atomic<bool> release{false};
  long before = rss_kb();
  for (int i = 0; i < n; ++i) {
    hs.push_back(mco::go([&, i] {
      wakers[i] = mco::current_waker();
      parked.fetch_add(1);
      while (!release.load()) mco::park();
    }));
  }
  while (parked.load() < n) mco::sleep(std::chrono::milliseconds(5));
  long during = rss_kb();
  release = true;
  for (auto& w : wakers) w.unpark();
  for (auto& h : hs) h.join();
  return double(during - before) / n;
}

}  // namespace

int main(int argc, char** argv) {
  int parked = 1'000'000;
  int workers = 0;
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--parked")) parked = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--workers")) workers = std::atoi(argv[i + 1]);
  }
  return mco::run({.workers = workers}, [&] {
    std::vector<double> sj, y;
    for (int r = 0; r < 3; ++r) sj.push_back(spawn_join_ns(1'000'000, 1000));
    std::printf(
        "spawn+join: %.1f ns per coroutine (median of 3, batches of 1000, %d "
        "workers)\n",
        median(sj), mco::num_workers());
    for (int r = 0; r < 3; ++r) y.push_back(yield_ns(1'000'000));
    std::printf(
        "yield: %.1f ns per yield (median of 3, 2 coroutines, %d workers)\n",
        median(y), mco::num_workers());
    if (parked > 0) {
      std::printf("parked: %.2f KB RSS per parked coroutine (%d parked)\n",
                  parked_kb(parked), parked);
    }
    std::fflush(stdout);
    return 0;
  });
}
