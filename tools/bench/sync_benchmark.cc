// Copyright 2026 The mco Authors.
//
// Benchmarks of mco/sync: uncontended Mutex lock/unlock, Mutex contended by
// coroutines, WaitGroup add/done.
//
//   bazel run //tools/bench:sync_benchmark -- --benchmark_repetitions=3

#include <mutex>
#include <vector>

#include "benchmark/benchmark.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/sync/mutex.h"
#include "mco/sync/wait_group.h"

namespace {

// One lock/unlock pair on a free mutex, on a plain thread.
void BM_MutexUncontended(benchmark::State& state) {
  mco::sync::Mutex mu;
  for (auto _ : state) {
    mu.lock();
    mu.unlock();
  }
}
BENCHMARK(BM_MutexUncontended);

// The same with std::mutex, for comparison.
void BM_StdMutexUncontended(benchmark::State& state) {
  std::mutex mu;
  for (auto _ : state) {
    mu.lock();
    mu.unlock();
  }
}
BENCHMARK(BM_StdMutexUncontended);

// `range(0)` coroutines on 2 workers each do kPerCoroutine lock/increment/
// unlock; time per critical section.
void BM_MutexContendedCoroutines(benchmark::State& state) {
  const int coroutines = static_cast<int>(state.range(0));
  constexpr int kPerCoroutine = 20000;
  for (auto _ : state) {
    mco::run({.workers = 2}, [&] {
      mco::sync::Mutex mu;
      long counter = 0;
      std::vector<mco::JoinHandle<void>> hs;
      for (int c = 0; c < coroutines; ++c) {
        hs.push_back(mco::go([&] {
          for (int i = 0; i < kPerCoroutine; ++i) {
            std::lock_guard<mco::sync::Mutex> l(mu);
            ++counter;
          }
        }));
      }
      for (auto& h : hs) h.join();
      benchmark::DoNotOptimize(counter);
      return 0;
    });
  }
  state.SetItemsProcessed(state.iterations() * coroutines * kPerCoroutine);
}
BENCHMARK(BM_MutexContendedCoroutines)
    ->Arg(2)
    ->Arg(8)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// add(1) + done() with no waiter.
void BM_WaitGroupAddDone(benchmark::State& state) {
  mco::sync::WaitGroup wg;
  for (auto _ : state) {
    wg.add(1);
    wg.done();
  }
  wg.wait();
}
BENCHMARK(BM_WaitGroupAddDone);

}  // namespace

// main() comes from benchmark_main.
