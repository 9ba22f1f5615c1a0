// Copyright 2026 The mco Authors.
//
// Benchmarks of mco/container and mco/queue on plain threads (Google
// Benchmark). The interesting comparison is a read-mostly map:
// `SyncHashMap::load` of stable keys against a flat_hash_map under an
// absl::Mutex reader lock, at 1 and 2 threads.
//
//   bazel run //tools/bench:container_benchmark -- --benchmark_min_time=0.2

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "mco/container/sync_btree_map.h"
#include "mco/container/sync_hash_map.h"
#include "mco/container/sync_vec.h"
#include "mco/queue/mpmc_queue.h"
#include "mco/queue/mpsc_queue.h"
#include "mco/queue/spsc_queue.h"

namespace {

constexpr int kKeys = 1024;

mco::container::SyncHashMap<int, int64_t>& stable_sync_map() {
  static auto* m = [] {
    auto* m = new mco::container::SyncHashMap<int, int64_t>;
    for (int i = 0; i < kKeys; ++i) m->store(i, i);
    for (int r = 0; r < 2; ++r) {
      for (int i = 0; i < kKeys; ++i) (void)m->load(i);  // promote
    }
    return m;
  }();
  return *m;
}

struct MutexMap {
  absl::Mutex mu;
  absl::flat_hash_map<int, int64_t> m;
};

MutexMap& stable_mutex_map() {
  static auto* m = [] {
    auto* m = new MutexMap;
    for (int i = 0; i < kKeys; ++i) m->m[i] = i;
    return m;
  }();
  return *m;
}

void BM_SyncHashMap_LoadStable(benchmark::State& state) {
  auto& m = stable_sync_map();
  int k = state.thread_index() * 97;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.load(k));
    k = (k + 1) & (kKeys - 1);
  }
}
BENCHMARK(BM_SyncHashMap_LoadStable)->Threads(1)->Threads(2);

void BM_MutexHashMap_LoadStable(benchmark::State& state) {
  auto& m = stable_mutex_map();
  int k = state.thread_index() * 97;
  for (auto _ : state) {
    std::optional<int64_t> v;
    {
      absl::ReaderMutexLock lock(&m.mu);
      auto it = m.m.find(k);
      if (it != m.m.end()) v = it->second;
    }
    benchmark::DoNotOptimize(v);
    k = (k + 1) & (kKeys - 1);
  }
}
BENCHMARK(BM_MutexHashMap_LoadStable)->Threads(1)->Threads(2);

void BM_SyncHashMap_StoreExisting(benchmark::State& state) {
  auto& m = stable_sync_map();
  int k = state.thread_index() * 97;
  int64_t v = 0;
  for (auto _ : state) {
    m.store(k, ++v);
    k = (k + 1) & (kKeys - 1);
  }
}
BENCHMARK(BM_SyncHashMap_StoreExisting)->Threads(1)->Threads(2);

void BM_SyncBTreeMap_Load(benchmark::State& state) {
  static auto* m = [] {
    auto* m = new mco::container::SyncBTreeMap<int, int64_t>;
    for (int i = 0; i < kKeys; ++i) m->store(i, i);
    return m;
  }();
  int k = state.thread_index() * 97;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m->load(k));
    k = (k + 1) & (kKeys - 1);
  }
}
BENCHMARK(BM_SyncBTreeMap_Load)->Threads(1)->Threads(2);

void BM_SyncBTreeMap_Range100(benchmark::State& state) {
  mco::container::SyncBTreeMap<int, int64_t> m;
  for (int i = 0; i < kKeys; ++i) m.store(i, i);
  for (auto _ : state) {
    int64_t sum = 0;
    m.range(100, 200, [&](int, int64_t v) { sum += v; });
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_SyncBTreeMap_Range100);

void BM_SyncVec_PushBack(benchmark::State& state) {
  for (auto _ : state) {
    mco::container::SyncVec<int64_t> v;
    for (int i = 0; i < 4096; ++i) v.push_back(i);
    benchmark::DoNotOptimize(v.size());
  }
  state.SetItemsProcessed(state.iterations() * 4096);
}
BENCHMARK(BM_SyncVec_PushBack);

void BM_SpscQueue_PushPop(benchmark::State& state) {
  mco::queue::SpscQueue<int64_t> q(1024);
  int64_t i = 0;
  for (auto _ : state) {
    q.try_push(++i);
    benchmark::DoNotOptimize(q.try_pop());
  }
}
BENCHMARK(BM_SpscQueue_PushPop);

void BM_MpscQueue_PushPop(benchmark::State& state) {
  mco::queue::MpscQueue<int64_t> q;
  int64_t i = 0;
  for (auto _ : state) {
    q.push(++i);
    benchmark::DoNotOptimize(q.try_pop());
  }
}
BENCHMARK(BM_MpscQueue_PushPop);

void BM_MpmcQueue_PushPop(benchmark::State& state) {
  static auto* q = new mco::queue::MpmcQueue<int64_t>(1024);
  int64_t i = 0;
  for (auto _ : state) {
    q->try_push(++i);
    benchmark::DoNotOptimize(q->try_pop());
  }
}
BENCHMARK(BM_MpmcQueue_PushPop)->Threads(1)->Threads(2);

}  // namespace
