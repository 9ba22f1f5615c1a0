// Copyright 2026 The mco Authors.
//
// Tests of the scheduler (runtime/scheduler.h): work stealing spreads a
// burst, yield is fair, idle workers sleep, foreign threads spawn and wake.

#include "runtime/scheduler.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/sync/wait_group.h"
#include "mco/waker.h"
#include "runtime/run_queue.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;

// Plain computation that does not block or yield.
uint64_t spin_work(uint64_t iterations) {
  volatile uint64_t x = 1;
  for (uint64_t i = 0; i < iterations; ++i) x = x * 6364136223846793005ull + i;
  return x;
}

TEST(Scheduler, BurstFromOneWorkerSpreadsToAll) {
  mco::run({.workers = 2}, [] {
    const uint64_t steals_before = mco::rt::scheduler_stats().steals;
    std::mutex mu;
    std::set<int> workers_seen;
    std::vector<mco::JoinHandle<void>> hs;
    // All wait on one gate that the main coroutine opens: they become
    // runnable at once, on its worker's queue (however slowly they were
    // spawned, e.g. under a sanitizer).
    mco::Chan<int> gate(0);
    for (int i = 0; i < 64; ++i) {
      hs.push_back(mco::go([&] {
        (void)gate.recv();
        spin_work(2'000'000);
        std::lock_guard<std::mutex> lock(mu);
        workers_seen.insert(mco::this_coroutine::worker_index());
      }));
    }
    gate.close();
    for (auto& h : hs) h.join();
    const auto stats = mco::rt::scheduler_stats();
    EXPECT_EQ(workers_seen.size(), 2u)
        << "steals " << stats.steals << ", wake-ups " << stats.wakeups;
    EXPECT_GT(stats.steals, steals_before);
    return 0;
  });
}

TEST(Scheduler, YieldIsRoundRobinOnOneWorker) {
  mco::run({.workers = 1}, [] {
    std::vector<int> order;
    auto body = [&](int who) {
      for (int i = 0; i < 100; ++i) {
        order.push_back(who);
        mco::yield_now();
      }
    };
    auto a = mco::go([&] { body(0); });
    auto b = mco::go([&] { body(1); });
    auto c = mco::go([&] { body(2); });
    a.join();
    b.join();
    c.join();
    EXPECT_EQ(order.size(), 300u);
    if (order.size() != 300u) return 1;
    for (size_t i = 0; i < order.size(); ++i) {
      EXPECT_EQ(order[i], static_cast<int>(i % 3)) << "at " << i;
    }
    return 0;
  });
}

// A coroutine that spawns in a loop without blocking lets what it spawned
// run once its worker's queue is full, so the backlog of started-but-not-
// running coroutines (each holding a fresh stack) stays bounded.
TEST(Scheduler, SpawnLoopIsBackpressured) {
  mco::run({.workers = 1}, [] {
    // Under sanitizers fewer (a TSan fiber costs ~10 ms to create here), but
    // still 8 run queues' worth, so an unbounded backlog would show.
    constexpr int kSpawns =
        std::max(mco_test::scaled_spawns(20000),
                 8 * static_cast<int>(mco::rt::RunQueue::kCapacity));
    std::atomic<int> started{0};
    int max_backlog = 0;
    mco::sync::WaitGroup wg;
    wg.add(kSpawns);
    for (int i = 0; i < kSpawns; ++i) {
      mco::go([&] {
        started.fetch_add(1);
        wg.done();
      }).detach();
      max_backlog = std::max(max_backlog, i + 1 - started.load());
    }
    wg.wait();
    EXPECT_EQ(started.load(), kSpawns);
    EXPECT_LE(max_backlog, 512);
    return 0;
  });
}

TEST(Scheduler, YieldLetsOthersRunOnBusyWorkers) {
  // Every coroutine makes progress even when there are more than workers.
  mco::run({.workers = 2}, [] {
    constexpr int kN = 8;
    std::atomic<int> counts[kN] = {};
    std::atomic<bool> stop{false};
    std::vector<mco::JoinHandle<void>> hs;
    for (int i = 0; i < kN; ++i) {
      hs.push_back(mco::go([&, i] {
        while (!stop) {
          counts[i]++;
          mco::yield_now();
        }
      }));
    }
    // Wait until every coroutine ran at least 1000 times.
    for (;;) {
      bool all = true;
      for (auto& c : counts) all = all && c.load() >= 1000;
      if (all) break;
      mco::yield_now();
    }
    stop = true;
    for (auto& h : hs) h.join();
    return 0;
  });
}

double cpu_seconds() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

TEST(Scheduler, IdleWorkersUseNoCpu) {
  mco::run({.workers = 2}, [] {
    double before = cpu_seconds();
    mco::sleep(500ms);  // every worker idle meanwhile
    double used = cpu_seconds() - before;
    // A spinning worker would burn ~1 s of CPU here.
    EXPECT_LT(used, 0.05) << "idle process used " << used << " s of CPU";
    return 0;
  });
}

// Under sanitizers 100 per thread (a TSan fiber costs ~10 ms to create).
constexpr int kThreads = 8, kPer = std::max(mco_test::scaled_spawns(2000), 100);

TEST(Scheduler, ForeignThreadsSpawnAndJoin) {
  mco::run({.workers = 2}, [] {
    std::atomic<long> sum{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::vector<mco::JoinHandle<int>> hs;
        for (int i = 0; i < kPer; ++i) {
          hs.push_back(mco::go([t, i] { return t * kPer + i; }));
        }
        for (auto& h : hs) sum += h.join();
      });
    }
    // Join the threads off the scheduler, so workers stay free.
    auto joiner = std::thread([&] {
      for (auto& th : threads) th.join();
    });
    while (sum.load() != long{kThreads * kPer} * (kThreads * kPer - 1) / 2) {
      mco::sleep(1ms);
    }
    joiner.join();
    return 0;
  });
}

TEST(Scheduler, ForeignThreadWakesParkedCoroutine) {
  mco::run({.workers = 2}, [] {
    std::atomic<bool> parked{false};
    std::atomic<bool> flag{false};
    mco::Waker w;
    auto h = mco::go([&] {
      w = mco::current_waker();
      parked = true;
      while (!flag) mco::park();
      return 7;
    });
    while (!parked) mco::yield_now();
    std::thread t([&] {
      flag = true;
      w.unpark();
    });
    EXPECT_EQ(h.join(), 7);
    t.join();
    return 0;
  });
}

TEST(Scheduler, WorkerCountFollowsConfig) {
  for (int n : {1, 3}) {
    mco::run({.workers = n}, [n] {
      EXPECT_EQ(mco::num_workers(), n);
      EXPECT_TRUE(mco::scheduler_running());
      return 0;
    });
  }
  EXPECT_FALSE(mco::scheduler_running());
}

}  // namespace
