// Copyright 2026 The mco Authors.
//
// Measures the runtime core: ns per spawn+join, ns per yield (medians of 3
// runs), and what a parked coroutine costs (memory, page tables, time to
// park and release a fresh one; one run). Prints one line per measurement.
//
//   bazel run -c opt //tools/bench:core_bench -- [--parked N] [--workers N]
//                                                [--stack-kib N]

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

// A "Vm...:" line of /proc/self/status, in KiB.
long status_kb(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + strlen(key));
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

// What `n` coroutines parked at once cost: resident memory (their stacks'
// touched pages and the runtime's records) and page tables (VmPTE: with
// 6 MiB stacks each stack's top is in a 2 MiB region of its own, so each
// needs a page-table page of its own), in KB each; and how long spawning
// them until all had parked, and releasing them until all had ended, took,
// in microseconds each.
struct Parked {
  double rss_kb, pte_kb, park_us, release_us;
};

Parked parked_cost(int n) {
  std::vector<mco::Waker> wakers(n);
  std::vector<mco::JoinHandle<void>> hs;
  hs.reserve(n);
  std::atomic<int> parked{0};
  std::atomic<bool> release{false};
  const long rss_before = status_kb("VmRSS:");
  const long pte_before = status_kb("VmPTE:");
  const auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    hs.push_back(mco::go([&, i] {
      wakers[i] = mco::current_waker();
      parked.fetch_add(1);
      while (!release.load()) mco::park();
    }));
  }
  while (parked.load() < n) mco::sleep(std::chrono::milliseconds(5));
  const auto t1 = Clock::now();
  const long rss_during = status_kb("VmRSS:");
  const long pte_during = status_kb("VmPTE:");
  release = true;
  for (auto& w : wakers) w.unpark();
  for (auto& h : hs) h.join();
  const auto t2 = Clock::now();
  using Us = std::chrono::duration<double, std::micro>;
  return {double(rss_during - rss_before) / n,
          double(pte_during - pte_before) / n, Us(t1 - t0).count() / n,
          Us(t2 - t1).count() / n};
}

}  // namespace

int main(int argc, char** argv) {
  int parked = 1'000'000;
  int workers = 0;
  size_t stack_kib = 0;  // 0: the default (6 MiB)
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--stack-kib"))
      stack_kib = std::atol(argv[i + 1]);
    if (!std::strcmp(argv[i], "--parked")) parked = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--workers")) workers = std::atoi(argv[i + 1]);
  }
  return mco::run({.workers = workers, .stack_size = stack_kib << 10}, [&] {
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
      const Parked p = parked_cost(parked);
      std::printf(
          "parked: %.2f KB RSS + %.2f KB page tables per parked coroutine "
          "(%d parked); %.1f us each to spawn until parked, %.1f us each to "
          "release until ended\n",
          p.rss_kb, p.pte_kb, parked, p.park_us, p.release_us);
    }
    std::fflush(stdout);
    return 0;
  });
}
