// Copyright 2026 The mco Authors.
//
// Tests of mco/sync/cond.h: signal and broadcast, no lost wake-ups, timed
// waits, cancellation (throws with the lock held), plain threads. With 1, 2
// and 4 workers.

#include "mco/sync/cond.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/cancel.h"
#include "mco/go.h"
#include "mco/sync/mutex.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using mco::sync::Cond;
using mco::sync::Mutex;

class CondTest : public mco_test::WorkersTest {};

// Ping-pong through one condition: every hand-over needs a wake-up, so a
// lost one hangs the test.
TEST_P(CondTest, PingPongNoLostWakeup) {
  on_scheduler([] {
    constexpr int kRounds = 2000;
    Mutex mu;
    Cond cv;
    int turn = 0;  // even: child's turn, odd: main's
    auto child = mco::go([&] {
      for (int i = 0; i < kRounds; ++i) {
        std::unique_lock<Mutex> l(mu);
        cv.wait(l, [&] { return turn == 2 * i; });
        ++turn;
        cv.signal();
      }
    });
    for (int i = 0; i < kRounds; ++i) {
      std::unique_lock<Mutex> l(mu);
      cv.wait(l, [&] { return turn == 2 * i + 1; });
      ++turn;
      cv.notify_one();
    }
    child.join();
    EXPECT_EQ(turn, 2 * kRounds);
  });
}

TEST_P(CondTest, ProducersConsumers) {
  on_scheduler([] {
    constexpr int kItems = 4000;
    Mutex mu;
    Cond not_empty;
    std::vector<int> queue;
    long sum = 0;
    int consumed = 0;
    std::vector<mco::JoinHandle<void>> hs;
    for (int c = 0; c < 4; ++c) {
      hs.push_back(mco::go([&] {
        for (;;) {
          std::unique_lock<Mutex> l(mu);
          not_empty.wait(l,
                         [&] { return !queue.empty() || consumed == kItems; });
          if (queue.empty()) return;
          sum += queue.back();
          queue.pop_back();
          if (++consumed == kItems) not_empty.broadcast();
        }
      }));
    }
    for (int p = 0; p < 2; ++p) {
      hs.push_back(mco::go([&, p] {
        for (int i = p; i < kItems; i += 2) {
          std::lock_guard<Mutex> l(mu);
          queue.push_back(i);
          not_empty.signal();
        }
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_EQ(consumed, kItems);
    EXPECT_EQ(sum, long{kItems} * (kItems - 1) / 2);
  });
}

TEST_P(CondTest, BroadcastWakesAll) {
  on_scheduler([] {
    constexpr int kWaiters = 20;
    Mutex mu;
    Cond cv;
    bool go = false;
    int waiting = 0;
    std::vector<mco::JoinHandle<void>> hs;
    for (int i = 0; i < kWaiters; ++i) {
      hs.push_back(mco::go([&] {
        std::unique_lock<Mutex> l(mu);
        ++waiting;
        cv.broadcast();  // tell main (a signal might wake a sibling)
        cv.wait(l, [&] { return go; });
      }));
    }
    {
      std::unique_lock<Mutex> l(mu);
      cv.wait(l, [&] { return waiting == kWaiters; });
      go = true;
    }
    cv.broadcast();
    for (auto& h : hs) h.join();
    cv.notify_all();  // with nobody waiting: nothing happens
  });
}

TEST_P(CondTest, TimedWaits) {
  on_scheduler([] {
    Mutex mu;
    Cond cv;
    std::unique_lock<Mutex> l(mu);
    auto t0 = Clock::now();
    EXPECT_EQ(cv.wait_for(l, 15ms), std::cv_status::timeout);
    EXPECT_GE(Clock::now() - t0, 15ms);
    EXPECT_TRUE(l.owns_lock());
    EXPECT_FALSE(mu.try_lock());  // still ours
    EXPECT_EQ(cv.wait_until(l, Clock::now() + 2ms), std::cv_status::timeout);
    EXPECT_EQ(cv.wait_until(l, std::chrono::system_clock::now() + 2ms),
              std::cv_status::timeout);
    EXPECT_FALSE(cv.wait_for(l, 5ms, [] { return false; }));
    EXPECT_TRUE(cv.wait_for(l, 5ms, [] { return true; }));
    EXPECT_FALSE(cv.wait_until(l, Clock::now() + 2ms, [] { return false; }));
    // Signalled before the deadline.
    bool flag = false;
    auto h = mco::go([&] {
      std::lock_guard<Mutex> g(mu);
      flag = true;
      cv.signal();
    });
    EXPECT_TRUE(cv.wait_for(l, 10s, [&] { return flag; }));
    l.unlock();
    h.join();
  });
}

TEST_P(CondTest, CancelledWaiterThrowsWithLockHeld) {
  on_scheduler([] {
    Mutex mu;
    Cond cv;
    std::atomic<bool> waiting{false};
    std::atomic<bool> held_when_thrown{false};
    auto h = mco::go([&] {
      std::unique_lock<Mutex> l(mu);
      waiting = true;
      try {
        cv.wait(l);
      } catch (const mco::Cancelled&) {
        held_when_thrown = l.owns_lock() && !mu.try_lock();
        throw;
      }
    });
    while (!waiting.load()) mco::yield_now();
    {
      std::lock_guard<Mutex> l(mu);  // the child is now parked in wait
    }
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_TRUE(held_when_thrown.load());
    // The unique_lock released the mutex; the Cond still works.
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
    bool flag = false;
    auto g = mco::go([&] {
      std::unique_lock<Mutex> l(mu);
      cv.wait(l, [&] { return flag; });
    });
    {
      std::lock_guard<Mutex> l(mu);
      flag = true;
    }
    cv.signal();
    g.join();
  });
}

TEST_P(CondTest, ThreadWaiterCoroutineSignaller) {
  on_scheduler([] {
    Mutex mu;
    Cond cv;
    int stage = 0;
    std::thread t([&] {
      std::unique_lock<Mutex> l(mu);
      stage = 1;
      cv.broadcast();
      cv.wait(l, [&] { return stage == 2; });
      stage = 3;
      cv.broadcast();
    });
    {
      std::unique_lock<Mutex> l(mu);
      cv.wait(l, [&] { return stage == 1; });
      stage = 2;
      cv.broadcast();
      cv.wait(l, [&] { return stage == 3; });
    }
    t.join();
  });
}

TEST(CondPlainThread, WorksWithStdMutex) {
  std::mutex mu;
  Cond cv;
  bool ready = false;
  std::thread t([&] {
    std::lock_guard<std::mutex> l(mu);
    ready = true;
    cv.signal();
  });
  std::unique_lock<std::mutex> l(mu);
  cv.wait(l, [&] { return ready; });
  l.unlock();
  t.join();
}

INSTANTIATE_TEST_SUITE_P(Workers, CondTest, ::testing::Values(1, 2, 4));

}  // namespace
