// Copyright 2026 The mco Authors.
//
// Tests of mco/sync/mutex.h: mutual exclusion among coroutines and threads,
// the std lock adaptors, timed locking, cancellation while waiting, misuse,
// and starvation mode. With 1, 2 and 4 workers.

#include "mco/sync/mutex.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/cancel.h"
#include "mco/go.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using mco::sync::Mutex;

class MutexTest : public mco_test::WorkersTest {};

TEST_P(MutexTest, ManyCoroutinesIncrementPlainInt) {
  on_scheduler([] {
    constexpr int kCoroutines = 32;
    constexpr int kIncrements = 2000;
    Mutex mu;
    int counter = 0;  // plain: the mutex makes this safe
    std::vector<mco::JoinHandle<void>> hs;
    for (int c = 0; c < kCoroutines; ++c) {
      hs.push_back(mco::go([&, c] {
        for (int i = 0; i < kIncrements; ++i) {
          std::lock_guard<Mutex> l(mu);
          const int seen = counter;
          if ((i + c) % 64 == 0) mco::yield_now();  // contention while held
          counter = seen + 1;
        }
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_EQ(counter, kCoroutines * kIncrements);
  });
}

TEST_P(MutexTest, PlainThreadsAndCoroutinesContend) {
  on_scheduler([] {
    constexpr int kCoroutines = 8;
    constexpr int kThreads = 2;
    constexpr int kIncrements = 3000;
    Mutex mu;
    long counter = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        EXPECT_FALSE(mco::this_coroutine::in_coroutine());
        for (int i = 0; i < kIncrements; ++i) {
          std::lock_guard<Mutex> l(mu);
          ++counter;
        }
      });
    }
    std::vector<mco::JoinHandle<void>> hs;
    for (int c = 0; c < kCoroutines; ++c) {
      hs.push_back(mco::go([&] {
        for (int i = 0; i < kIncrements; ++i) {
          std::unique_lock<Mutex> l(mu);
          ++counter;
          if (i % 100 == 0) mco::yield_now();
        }
      }));
    }
    for (auto& h : hs) h.join();
    for (auto& t : threads) t.join();
    EXPECT_EQ(counter, long{kIncrements} * (kCoroutines + kThreads));
  });
}

TEST_P(MutexTest, StdLockAdaptorsWork) {
  on_scheduler([] {
    Mutex a;
    Mutex b;
    {
      std::lock_guard<Mutex> l(a);
      EXPECT_FALSE(a.try_lock());
    }
    {
      std::unique_lock<Mutex> l(a, std::defer_lock);
      EXPECT_FALSE(l.owns_lock());
      l.lock();
      EXPECT_TRUE(l.owns_lock());
      l.unlock();
      EXPECT_TRUE(l.try_lock_for(1ms));
      l.unlock();
      EXPECT_TRUE(l.try_lock_until(Clock::now() + 1ms));
    }
    {
      std::scoped_lock l(a, b);
      EXPECT_FALSE(a.try_lock());
      EXPECT_FALSE(b.try_lock());
    }
    EXPECT_TRUE(a.try_lock());
    EXPECT_TRUE(b.try_lock());
    a.unlock();
    b.unlock();
    // std::lock over two mutexes from two coroutines in opposite orders.
    long n = 0;
    auto body = [&](Mutex& x, Mutex& y) {
      for (int i = 0; i < 500; ++i) {
        std::scoped_lock l(x, y);
        ++n;
      }
    };
    auto h1 = mco::go([&] { body(a, b); });
    auto h2 = mco::go([&] { body(b, a); });
    h1.join();
    h2.join();
    EXPECT_EQ(n, 1000);
  });
}

TEST_P(MutexTest, TryLockForTimesOutWhileHeld) {
  on_scheduler([] {
    Mutex mu;
    mu.lock();
    auto h = mco::go([&] {
      const auto t0 = Clock::now();
      const bool got = mu.try_lock_for(20ms);
      EXPECT_GE(Clock::now() - t0, 20ms);
      EXPECT_FALSE(mu.try_lock_until(Clock::now() + 5ms));
      EXPECT_FALSE(mu.try_lock_until(std::chrono::system_clock::now() + 5ms));
      EXPECT_FALSE(mu.try_lock_for(0ms));
      EXPECT_FALSE(mu.try_lock_for(-1s));
      return got;
    });
    EXPECT_FALSE(h.join());
    // A plain thread times out too.
    std::thread t([&] { EXPECT_FALSE(mu.try_lock_for(10ms)); });
    t.join();
    mu.unlock();
    // The timed-out waiters left nothing behind.
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
    auto g = mco::go([&] { return mu.try_lock_for(1s); });
    EXPECT_TRUE(g.join());
    mu.unlock();
  });
}

TEST_P(MutexTest, TimedLockSucceedsWhenReleased) {
  on_scheduler([] {
    Mutex mu;
    mu.lock();
    mco_test::Event locked_by_child;
    std::atomic<bool> waiting{false};
    auto h = mco::go([&] {
      waiting = true;
      const bool got = mu.try_lock_for(10s);
      locked_by_child.set();
      if (got) mu.unlock();
      return got;
    });
    while (!waiting.load()) mco::yield_now();
    mco::sleep(2ms);  // let it queue (contention, not synchronisation)
    mu.unlock();
    locked_by_child.wait();
    EXPECT_TRUE(h.join());
  });
}

TEST_P(MutexTest, CancelWhileWaitingThrowsAndLeavesMutexUsable) {
  on_scheduler([] {
    Mutex mu;
    mu.lock();
    std::atomic<bool> started{false};
    std::atomic<bool> got_lock{false};
    auto h = mco::go([&] {
      started = true;
      mu.lock();  // waits: the mutex is held
      got_lock = true;
      mu.unlock();
    });
    while (!started.load()) mco::yield_now();
    mco::sleep(2ms);  // most likely parked in lock() by now; either way works
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_FALSE(got_lock.load());
    // Still held by us, and nobody is left queued.
    EXPECT_FALSE(mu.try_lock());
    mu.unlock();
    auto g = mco::go([&] {
      std::lock_guard<Mutex> l(mu);
      return 7;
    });
    EXPECT_EQ(g.join(), 7);
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
  });
}

TEST_P(MutexTest, CancelOneOfSeveralWaitersOthersStillServed) {
  on_scheduler([] {
    Mutex mu;
    mu.lock();
    std::atomic<int> started{0};
    int served = 0;
    std::vector<mco::JoinHandle<void>> hs;
    for (int i = 0; i < 5; ++i) {
      hs.push_back(mco::go([&] {
        started.fetch_add(1);
        std::lock_guard<Mutex> l(mu);
        ++served;
      }));
    }
    while (started.load() < 5) mco::yield_now();
    mco::sleep(2ms);
    hs[2].cancel();
    EXPECT_THROW(hs[2].join(), mco::Cancelled);
    mu.unlock();
    for (int i = 0; i < 5; ++i) {
      if (i != 2) hs[i].join();
    }
    EXPECT_EQ(served, 4);
  });
}

TEST_P(MutexTest, DeferCancelMakesLockUninterruptible) {
  on_scheduler([] {
    Mutex mu;
    mu.lock();
    std::atomic<bool> started{false};
    auto h = mco::go([&] {
      mco::DeferCancel no_cancel;
      started = true;
      mu.lock();
      mu.unlock();
      return mco::is_cancelled();
    });
    while (!started.load()) mco::yield_now();
    h.cancel();
    mco::sleep(2ms);
    mu.unlock();
    EXPECT_TRUE(h.join());
  });
}

TEST_P(MutexTest, UnlockOfUnlockedThrowsAndChangesNothing) {
  on_scheduler([] {
    Mutex mu;
    EXPECT_THROW(mu.unlock(), std::logic_error);
    try {
      mu.unlock();
    } catch (const std::logic_error& e) {
      EXPECT_STREQ(e.what(), "sync: unlock of unlocked mutex");
    }
    mu.lock();
    EXPECT_FALSE(mu.try_lock());
    mu.unlock();
    EXPECT_THROW(mu.Unlock(), std::logic_error);
    EXPECT_TRUE(mu.TryLock());
    mu.Unlock();
  });
}

// A coroutine that re-locks in a tight loop (holding the mutex across a
// yield, so there is always contention) cannot starve a waiter: after 1 ms
// the mutex goes into starvation mode and is handed to the waiter.
TEST_P(MutexTest, HogCannotStarveAWaiter) {
  on_scheduler([] {
    Mutex mu;
    std::atomic<bool> waiter_done{false};
    std::atomic<bool> hog_running{false};
    auto hog = mco::go([&] {
      long iterations = 0;
      const auto limit = Clock::now() + 2s;
      while (!waiter_done.load() && Clock::now() < limit) {
        mu.lock();
        hog_running = true;
        mco::yield_now();
        mu.unlock();
        ++iterations;
      }
      return std::make_pair(waiter_done.load(), iterations);
    });
    while (!hog_running.load()) mco::yield_now();
    auto waiter = mco::go([&] {
      mu.lock();
      waiter_done = true;
      mu.unlock();
    });
    waiter.join();
    auto [served_while_hogging, iterations] = hog.join();
    EXPECT_TRUE(served_while_hogging)
        << "waiter not served within 2 s; hog iterations: " << iterations;
  });
}

// Same with the hog on a plain thread and no yield: the holder re-locks at
// once after unlocking.
TEST_P(MutexTest, ThreadHogCannotStarveACoroutine) {
  on_scheduler([] {
    Mutex mu;
    std::atomic<bool> waiter_done{false};
    std::atomic<bool> hog_running{false};
    long iterations = 0;
    bool served_while_hogging = false;
    std::thread hog([&] {
      const auto limit = Clock::now() + 2s;
      while (!waiter_done.load() && Clock::now() < limit) {
        mu.lock();
        hog_running = true;
        for (volatile int i = 0; i < 200; i = i + 1) {
        }
        mu.unlock();
        ++iterations;
      }
      served_while_hogging = waiter_done.load();
    });
    while (!hog_running.load()) mco::yield_now();
    auto waiter = mco::go([&] {
      mu.lock();
      waiter_done = true;
      mu.unlock();
    });
    waiter.join();
    hog.join();
    EXPECT_TRUE(served_while_hogging)
        << "waiter not served within 2 s; hog iterations: " << iterations;
  });
}

TEST(MutexPlainThread, ThreadsOnly) {
  Mutex mu;
  long counter = 0;
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        std::lock_guard<Mutex> l(mu);
        ++counter;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(counter, 80000);
  mu.lock();
  std::thread t([&] { EXPECT_FALSE(mu.try_lock_for(5ms)); });
  t.join();
  mu.unlock();
}

INSTANTIATE_TEST_SUITE_P(Workers, MutexTest, ::testing::Values(1, 2, 4));

}  // namespace
