// Copyright 2026 The mco Authors.
//
// Stress tests of the scheduler, each with one worker and with all of them:
//  - spawn storms from several plain threads (and coroutines) at once into a
//    running scheduler: every coroutine runs exactly once, every join gets
//    its value, nothing stays live;
//  - cancellation storms: coroutines cancelled at random moments while in
//    every kind of blocking call (channel send/recv, select, the nil
//    channel, mutex, cond, semaphore, WaitGroup, sleep, join, park), racing
//    with partners that complete those calls; each ends with `Cancelled` as
//    documented, no value is lost or invented, no lock or permit leaks;
//  - exception storms: joiners get exactly the exception their coroutine
//    threw, unjoined panics are reported once each, the scheduler runs on;
//  - 50,000 coroutines parked on one channel close or one WaitGroup,
//    released at once: each runs exactly once (a million in
//    million_parked_test).
// Workloads shrink under the sanitizers (tests/test_util.h). Random choices
// come from fixed seeds.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/chan/select.h"
#include "mco/go.h"
#include "mco/offload/offload.h"
#include "mco/runtime.h"
#include "mco/scope.h"
#include "mco/sync/cond.h"
#include "mco/sync/mutex.h"
#include "mco/sync/semaphore.h"
#include "mco/sync/wait_group.h"
#include "mco/waker.h"
#include "runtime/coroutine.h"
#include "tests/stress/park_and_release.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Rng = std::mt19937_64;

size_t pick(Rng& rng, size_t n) { return static_cast<size_t>(rng() % n); }

// Parameter 0 means "all workers" (the hardware threads, Config's default).
class StressTest : public mco_test::WorkersTest {};

std::string workers_name(const ::testing::TestParamInfo<int>& info) {
  return info.param == 0 ? "AllWorkers"
                         : "Workers" + std::to_string(info.param);
}

using mco_stress::expect_only_caller_live;

// ---------------------------------------------------------------------------

TEST_P(StressTest, SpawnStormFromThreads) {
  on_scheduler([] {
    constexpr int kThreads = 6;
    const int per_thread = mco_test::scaled_spawns(40'000);
    const int total = kThreads * per_thread;
    // Every coroutine bumps its own slot; each must end at exactly 1.
    std::vector<std::atomic<uint8_t>> ran(static_cast<size_t>(total) * 2);
    mco::sync::WaitGroup detached;
    std::atomic<int> ready{0};
    std::atomic<long> joined_sum{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        // All threads start spawning at the same moment.
        ready.fetch_add(1);
        while (ready.load() < kThreads) std::this_thread::yield();
        std::vector<mco::JoinHandle<int>> hs;
        for (int i = 0; i < per_thread; ++i) {
          const int idx = t * per_thread + i;
          if (i % 2 == 0) {
            hs.push_back(mco::go([&ran, idx] {
              ran[idx].fetch_add(1);
              return idx;
            }));
          } else {
            // A detached coroutine that spawns a child of its own.
            detached.add(2);
            mco::go([&ran, &detached, idx, total] {
              ran[idx].fetch_add(1);
              mco::go([&ran, &detached, idx, total] {
                ran[total + idx].fetch_add(1);
                detached.done();
              }).detach();
              detached.done();
            }).detach();
          }
          if (hs.size() == 256) {
            for (auto& h : hs) joined_sum += h.join();
            hs.clear();
          }
        }
        for (auto& h : hs) joined_sum += h.join();
      });
    }
    // The main coroutine spawns too, meanwhile.
    std::vector<mco::JoinHandle<int>> mine;
    for (int i = 0; i < per_thread; ++i) {
      mine.push_back(mco::go([i] { return i; }));
    }
    long mine_sum = 0;
    for (auto& h : mine) mine_sum += h.join();
    EXPECT_EQ(mine_sum, long{per_thread} * (per_thread - 1) / 2);
    mco::offload::block_on([&] {
      for (auto& th : threads) th.join();
    });
    detached.wait();
    long want_sum = 0;
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < per_thread; i += 2) want_sum += t * per_thread + i;
    }
    EXPECT_EQ(joined_sum.load(), want_sum);
    int wrong = 0;
    for (int idx = 0; idx < total; ++idx) {
      const bool has_child = (idx % per_thread) % 2 == 1;
      if (ran[idx].load() != 1) ++wrong;
      if (ran[total + idx].load() != (has_child ? 1 : 0)) ++wrong;
    }
    EXPECT_EQ(wrong, 0) << "coroutines that did not run exactly once";
    expect_only_caller_live("after the spawn storm");
  });
}

// ---------------------------------------------------------------------------
// Cancellation storm.

enum class Point {
  kChanSend,   // send on a channel a drainer sometimes empties
  kChanRecv,   // receive from a channel a feeder sometimes fills
  kSelect,     // select over both of those
  kNilChan,    // receive on the nil channel (only cancellation ends it)
  kTimedRecv,  // receive with a one-hour timeout on an idle channel
  kMutex,      // lock a mutex others hold most of the time
  kCond,       // wait on a cond that is signalled now and then
  kSemaphore,  // acquire a semaphore with few permits
  kWaitGroup,  // wait for a WaitGroup that stays at one
  kSleep,      // sleep for an hour
  kJoin,       // join a coroutine that waits for the end of the test
  kPark,       // park with no one to unpark
  kCount,
};
const char* const kPointNames[] = {
    "chan send", "chan recv", "select",    "nil chan", "timed recv", "mutex",
    "cond",      "semaphore", "waitgroup", "sleep",    "join",       "park"};

struct StormShared {
  mco::Chan<uint64_t> sink{0};    // storm senders -> drainers
  mco::Chan<uint64_t> source{2};  // feeders -> storm receivers
  mco::Chan<uint64_t> idle{0};    // nobody sends
  mco::Chan<int> end{0};          // closed when the storm is over
  mco::sync::Mutex mu;
  int in_mu = 0;  // coroutines inside `mu` (must be 0 or 1)
  mco::sync::Mutex cond_mu;
  mco::sync::Cond cond;
  int in_cond_mu = 0;
  uint64_t cond_ticket = 0;
  static constexpr int64_t kPermits = 3;
  mco::sync::Semaphore sem{kPermits};
  std::atomic<int64_t> sem_held{0};
  mco::sync::WaitGroup never;
  // Per point: coroutines whose cancellation was seen by `check_cancel`
  // between two calls rather than by a call.
  std::atomic<int> cancelled_between[int(Point::kCount)] = {};

  std::mutex record_mu;  // guards the records below
  std::vector<uint64_t> sent_to_sink, received_from_sink;
  std::vector<uint64_t> fed, received_from_source;
  std::vector<std::string> errors;
  void error(std::string e) {
    std::lock_guard<std::mutex> l(record_mu);
    if (errors.size() < 20) errors.push_back(std::move(e));
  }
  void record(std::vector<uint64_t>& v, uint64_t x) {
    std::lock_guard<std::mutex> l(record_mu);
    v.push_back(x);
  }
};

// One storm coroutine: performs its blocking call over and over until the
// cancellation ends it. Returns normally only if something is wrong.
void storm_body(StormShared& sh, Point point, uint64_t id_base) {
  uint64_t next = id_base;
  for (;;) {
    switch (point) {
      case Point::kChanSend: {
        uint64_t v = next++;
        sh.sink.send(v);  // on Cancelled nothing was sent
        sh.record(sh.sent_to_sink, v);
        break;
      }
      case Point::kChanRecv: {
        std::optional<uint64_t> v = sh.source.recv();
        if (!v) sh.error("source closed during the storm");
        if (v) sh.record(sh.received_from_source, *v);
        break;
      }
      case Point::kSelect: {
        uint64_t v = next;
        std::optional<uint64_t> got;
        bool sent = false;
        mco::select(
            mco::recv(sh.source, [&](std::optional<uint64_t> x) { got = x; }),
            mco::send(sh.sink, v, [&] { sent = true; }));
        if (sent) {
          ++next;
          sh.record(sh.sent_to_sink, v);
        } else if (got) {
          sh.record(sh.received_from_source, *got);
        } else {
          sh.error("select: neither case happened");
        }
        break;
      }
      case Point::kNilChan:
        (void)mco::Chan<int>().recv();
        sh.error("receive on the nil channel returned");
        break;
      case Point::kTimedRecv:
        if (!sh.idle.recv_for(1h).timed_out()) sh.error("idle chan delivered");
        break;
      case Point::kMutex: {
        std::lock_guard<mco::sync::Mutex> l(sh.mu);
        if (++sh.in_mu != 1) sh.error("two coroutines inside the mutex");
        mco::DeferCancel finish_the_critical_section;
        mco::yield_now();
        --sh.in_mu;
        break;
      }
      case Point::kCond: {
        std::unique_lock<mco::sync::Mutex> l(sh.cond_mu);
        if (++sh.in_cond_mu != 1) sh.error("two inside the cond's mutex");
        const uint64_t ticket = sh.cond_ticket;
        --sh.in_cond_mu;
        try {
          sh.cond.wait(l, [&] { return sh.cond_ticket != ticket; });
        } catch (const mco::Cancelled&) {
          // Documented: thrown with the lock held again.
          if (!l.owns_lock() || ++sh.in_cond_mu != 1) {
            sh.error("cancelled cond wait without the lock");
          }
          --sh.in_cond_mu;
          throw;
        }
        if (++sh.in_cond_mu != 1) sh.error("cond wait returned without lock");
        --sh.in_cond_mu;
        break;
      }
      case Point::kSemaphore: {
        sh.sem.acquire();
        if (sh.sem_held.fetch_add(1) + 1 > StormShared::kPermits) {
          sh.error("more semaphore holders than permits");
        }
        mco::DeferCancel release_first;
        mco::yield_now();
        sh.sem_held.fetch_sub(1);
        sh.sem.release();
        break;
      }
      case Point::kWaitGroup:
        sh.never.wait();
        sh.error("WaitGroup wait returned");
        break;
      case Point::kSleep:
        mco::sleep(1h);
        sh.error("sleep(1h) returned");
        break;
      case Point::kJoin: {
        mco::Chan<int> end = sh.end;
        auto child = mco::go([end]() mutable { (void)end.recv(); });
        child.join();  // Cancelled: the child is detached, ends at `end`
        sh.error("join of a waiting child returned");
        break;
      }
      case Point::kPark:
        mco::park();  // may return early: park in a loop
        break;
      case Point::kCount:
        break;
    }
    // The call completed (before the cancellation, or racing with it).
    // Some calls succeed even with a request pending, as documented: an
    // uncontended `Mutex::lock`, a `Semaphore::acquire` that finds units
    // free. `check_cancel` is the cancellation point that always acts.
    try {
      mco::check_cancel();
    } catch (const mco::Cancelled&) {
      ++sh.cancelled_between[int(point)];
      throw;
    }
  }
}

TEST_P(StressTest, CancellationStorm) {
  on_scheduler([] {
    // Each yield of the main coroutine waits for a round of the storm's
    // runnable coroutines, so the storm is kept to thousands.
    const int n = mco_test::scaled(3'000);
    StormShared sh;
    sh.never.add(1);
    Rng rng(20261127);

    // Partners that complete the storm's calls now and then.
    std::vector<mco::JoinHandle<void>> partners;
    partners.push_back(mco::go([&] {  // drains the sink
      try {
        for (;;) {
          auto v = sh.sink.recv();
          if (!v) return;
          sh.record(sh.received_from_sink, *v);
        }
      } catch (const mco::Cancelled&) {
      }
    }));
    partners.push_back(mco::go([&] {  // feeds the source
      uint64_t v = uint64_t{1} << 62;
      try {
        for (;;) {
          sh.source.send(v);
          sh.record(sh.fed, v);
          ++v;
        }
      } catch (const mco::Cancelled&) {
      }
    }));
    partners.push_back(mco::go([&] {  // holds the mutex, signals the cond
      try {
        for (;;) {
          {
            std::lock_guard<mco::sync::Mutex> l(sh.mu);
            if (++sh.in_mu != 1) sh.error("two inside the mutex (holder)");
            mco::DeferCancel d;
            mco::yield_now();
            --sh.in_mu;
          }
          {
            std::lock_guard<mco::sync::Mutex> l(sh.cond_mu);
            ++sh.cond_ticket;
            sh.cond.signal();
          }
          mco::yield_now();
        }
      } catch (const mco::Cancelled&) {
      }
    }));

    // The storm: spawn, then cancel each at a random moment (some at once,
    // some after the others have run for a while).
    std::vector<mco::JoinHandle<void>> hs;
    std::vector<Point> points;
    std::vector<int> order;
    for (int i = 0; i < n; ++i) {
      const auto p = static_cast<Point>(pick(rng, size_t(Point::kCount)));
      points.push_back(p);
      order.push_back(i);
      hs.push_back(
          mco::go([&sh, p, i] { storm_body(sh, p, uint64_t(i) << 32); }));
      if (pick(rng, 10) == 0) hs.back().cancel();  // before it even ran
      if (pick(rng, 50) == 0) mco::yield_now();
    }
    std::shuffle(order.begin(), order.end(), rng);
    for (int i : order) {
      hs[i].cancel();
      const size_t r = pick(rng, 100);
      if (r < 20) mco::yield_now();  // let the storm move on in between
    }
    std::vector<int> ended_cancelled(size_t(Point::kCount), 0);
    for (int i = 0; i < n; ++i) {
      try {
        hs[i].join();
        ADD_FAILURE() << kPointNames[int(points[i])]
                      << ": a cancelled coroutine ended normally";
      } catch (const mco::Cancelled&) {
        ++ended_cancelled[int(points[i])];
      } catch (const std::exception& e) {
        ADD_FAILURE() << kPointNames[int(points[i])] << ": threw " << e.what();
      }
    }
    for (auto& p : partners) p.cancel();
    for (auto& p : partners) p.join();
    sh.end.close();  // the kJoin children end

    for (const std::string& e : sh.errors) ADD_FAILURE() << e;
    // Nothing sent was lost or invented, either way.
    std::vector<uint64_t> a = sh.sent_to_sink, b = sh.received_from_sink;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b) << "values sent to the sink vs received from it";
    std::vector<uint64_t> fed = sh.fed, got = sh.received_from_source;
    while (auto r = sh.source.try_recv()) got.push_back(*r.value);
    std::sort(fed.begin(), fed.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(fed, got) << "values fed vs received or left in the buffer";
    // No lock or permit kept by a cancelled waiter.
    EXPECT_TRUE(sh.mu.try_lock());
    sh.mu.unlock();
    EXPECT_TRUE(sh.cond_mu.try_lock());
    sh.cond_mu.unlock();
    EXPECT_TRUE(sh.sem.try_acquire(StormShared::kPermits));
    EXPECT_FALSE(sh.sem.try_acquire(1));
    sh.sem.release(StormShared::kPermits);
    sh.never.done();
    expect_only_caller_live("after the cancellation storm");
    std::string summary;
    for (int p = 0; p < int(Point::kCount); ++p) {
      summary +=
          std::string(kPointNames[p]) + " " +
          std::to_string(ended_cancelled[p] - sh.cancelled_between[p].load()) +
          "/" + std::to_string(ended_cancelled[p]) + ", ";
    }
    std::printf("cancelled in the call/all: %s%zu sent to sink, %zu fed\n",
                summary.c_str(), a.size(), fed.size());
  });
}

// ---------------------------------------------------------------------------
// Exception storm.

struct Boom {
  int index;
};

TEST_P(StressTest, ExceptionStorm) {
  const int n = std::max(mco_test::scaled_spawns(20'000), 40);
  constexpr int kUnjoined = 30;
  testing::internal::CaptureStderr();
  on_scheduler([n] {
    mco::Chan<int> gate(0);
    std::vector<mco::JoinHandle<int>> hs;
    for (int i = 0; i < n; ++i) {
      hs.push_back(mco::go([i, gate]() mutable -> int {
        switch (i % 4) {
          case 0:
            mco::yield_now();
            throw std::runtime_error("boom " + std::to_string(i));
          case 1:
            (void)gate.recv();  // all throw when the gate opens
            throw Boom{i};
          case 2:
            mco::sleep(std::chrono::microseconds(i % 50));
            throw i;  // not a std::exception
          default:
            return i;  // some do not throw at all
        }
      }));
    }
    // Unjoined panics, reported on stderr when their handle goes.
    std::vector<mco::JoinHandle<void>> unjoined;
    for (int i = 0; i < kUnjoined; ++i) {
      unjoined.push_back(mco::go_named("unjoined", [i, gate]() mutable {
        if (i % 2 == 0) (void)gate.recv();
        throw std::runtime_error("unjoined");
      }));
      if (i % 2 == 0) unjoined.back().detach();  // reported when it ends
    }
    gate.close();
    int wrong = 0;
    for (int i = 0; i < n; ++i) {
      try {
        const int v = hs[i].join();
        if (i % 4 != 3 || v != i) ++wrong;
      } catch (const std::runtime_error& e) {
        if (i % 4 != 0 || e.what() != "boom " + std::to_string(i)) ++wrong;
      } catch (const Boom& b) {
        if (i % 4 != 1 || b.index != i) ++wrong;
      } catch (int x) {
        if (i % 4 != 2 || x != i) ++wrong;
      }
    }
    EXPECT_EQ(wrong, 0) << "joins that did not see their coroutine's outcome";
    for (auto& h : unjoined) {
      if (!h.joinable()) continue;
      EXPECT_TRUE(h.wait_for(1h));
      h.detach();  // finished: reported now
    }
    // The scheduler runs on.
    auto after = mco::go([] { return 42; });
    EXPECT_EQ(after.join(), 42);
    // The first exception of a scope, in spawn order, after all joined.
    std::atomic<int> scope_done{0};
    try {
      mco::scope([&](mco::Scope& s) {
        for (int i = 0; i < 64; ++i) {
          s.spawn([i, &scope_done] {
            mco::yield_now();
            scope_done.fetch_add(1);
            if (i % 7 == 3) throw Boom{i};
          });
        }
      });
      ADD_FAILURE() << "scope did not rethrow";
    } catch (const Boom& b) {
      EXPECT_EQ(b.index, 3);
    }
    EXPECT_EQ(scope_done.load(), 64);
    expect_only_caller_live("after the exception storm");
  });
  // mco::run has returned: every report is written.
  const std::string err = testing::internal::GetCapturedStderr();
  int reports = 0;
  for (size_t pos = 0; (pos = err.find("panicked", pos)) != std::string::npos;
       ++pos) {
    ++reports;
  }
  EXPECT_EQ(reports, kUnjoined) << err.substr(0, 2000);
  EXPECT_EQ(err.find("boom"), std::string::npos) << "a joined panic reported";
}

// ---------------------------------------------------------------------------
// Many parked coroutines released at once (a million: million_parked_test).

TEST_P(StressTest, ParkedReleasedByClose) {
  on_scheduler([] {
    mco_stress::park_and_release(mco_stress::Release::kChanClose,
                                 mco_test::scaled_spawns(50'000));
  });
}

TEST_P(StressTest, ParkedReleasedByWaitGroup) {
  on_scheduler([] {
    mco_stress::park_and_release(mco_stress::Release::kWaitGroup,
                                 mco_test::scaled_spawns(50'000));
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, StressTest, ::testing::Values(1, 0),
                         workers_name);

}  // namespace
