// Copyright 2026 The mco Authors.
//
// Tests of mco/sync/semaphore.h: bounding concurrency, weighted FIFO (a big
// request is not passed by small ones), timed and cancelled acquires,
// misuse. With 1, 2 and 4 workers.

#include "mco/sync/semaphore.h"

#include <atomic>
#include <chrono>
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
using mco::sync::Semaphore;

class SemaphoreTest : public mco_test::WorkersTest {};

// Yields until someone is queued (a zero-unit try_acquire fails only then).
void until_queued(Semaphore& sem) {
  const auto end = Clock::now() + 5s;
  while (sem.try_acquire(0) && Clock::now() < end) mco::yield_now();
}

TEST_P(SemaphoreTest, BoundsConcurrency) {
  on_scheduler([] {
    Semaphore sem(3);
    std::atomic<int> inside{0};
    std::atomic<int> max_inside{0};
    std::vector<mco::JoinHandle<void>> hs;
    for (int i = 0; i < 24; ++i) {
      hs.push_back(mco::go([&] {
        for (int k = 0; k < 20; ++k) {
          sem.acquire();
          const int n = inside.fetch_add(1) + 1;
          int m = max_inside.load();
          while (n > m && !max_inside.compare_exchange_weak(m, n)) {
          }
          mco::yield_now();
          inside.fetch_sub(1);
          sem.release();
        }
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_LE(max_inside.load(), 3);
    EXPECT_GE(max_inside.load(), 1);
    EXPECT_EQ(sem.held(), 0);
  });
}

TEST_P(SemaphoreTest, WeightedFifo) {
  on_scheduler([] {
    Semaphore sem(10);
    sem.acquire(10);
    std::vector<int> order;  // guarded by the semaphore's hand-offs below
    std::atomic<int> finished{0};
    auto big = mco::go([&] {
      sem.acquire(6);
      order.push_back(6);
      finished.fetch_add(1);
    });
    until_queued(sem);
    auto small = mco::go([&] {
      sem.acquire(1);
      finished.fetch_add(1);
      return 1;
    });
    mco::sleep(2ms);
    sem.release(5);  // 5 free: the big one does not fit, the small one must
                     // not pass it
    EXPECT_FALSE(small.wait_for(20ms));
    EXPECT_EQ(finished.load(), 0);
    EXPECT_FALSE(sem.try_acquire(1));  // and neither may a newcomer
    sem.release(1);  // 6 free: the big one goes; nothing left for the small
    big.join();
    EXPECT_EQ(order, std::vector<int>{6});
    EXPECT_EQ(sem.held(), 10);
    EXPECT_FALSE(small.wait_for(5ms));
    sem.release(1);
    EXPECT_EQ(small.join(), 1);
    sem.release(10);
    EXPECT_EQ(sem.held(), 0);
  });
}

TEST_P(SemaphoreTest, TimedAcquire) {
  on_scheduler([] {
    Semaphore sem(2);
    EXPECT_TRUE(sem.acquire_for(2, 1s));
    const auto t0 = Clock::now();
    EXPECT_FALSE(sem.acquire_for(1, 15ms));
    EXPECT_GE(Clock::now() - t0, 15ms);
    EXPECT_FALSE(sem.acquire_until(1, Clock::now() + 1ms));
    EXPECT_FALSE(sem.try_acquire(1));
    EXPECT_FALSE(sem.acquire_for(3, 1ms));  // more than the size
    sem.release(2);
    EXPECT_TRUE(sem.try_acquire(2));
    sem.release(2);
  });
}

// A big waiter at the front that gives up lets the small ones behind it in.
TEST_P(SemaphoreTest, CancelledFrontWaiterAdmitsOthers) {
  on_scheduler([] {
    Semaphore sem(4);
    sem.acquire(3);
    auto big = mco::go([&] { sem.acquire(4); });
    until_queued(sem);
    auto small = mco::go([&] {
      sem.acquire(1);
      sem.release(1);
    });
    mco::sleep(2ms);
    EXPECT_FALSE(small.is_finished());
    big.cancel();
    EXPECT_THROW(big.join(), mco::Cancelled);
    small.join();
    EXPECT_EQ(sem.held(), 3);
    sem.release(3);
    // And a timed-out one does the same.
    sem.acquire(3);
    auto big2 = mco::go([&] { return sem.acquire_for(4, 10ms); });
    until_queued(sem);
    auto small2 = mco::go([&] { return sem.acquire_for(1, 10s); });
    EXPECT_FALSE(big2.join());
    EXPECT_TRUE(small2.join());
    EXPECT_EQ(sem.held(), 4);
    sem.release(4);
  });
}

TEST_P(SemaphoreTest, MisuseThrowsAndChangesNothing) {
  on_scheduler([] {
    Semaphore sem(2);
    EXPECT_THROW(sem.release(1), std::logic_error);
    sem.acquire(1);
    EXPECT_THROW(sem.release(2), std::logic_error);
    EXPECT_EQ(sem.held(), 1);
    EXPECT_THROW(sem.acquire(-1), std::logic_error);
    EXPECT_THROW(Semaphore(-1), std::invalid_argument);
    sem.release(1);
    EXPECT_EQ(sem.held(), 0);
  });
}

TEST_P(SemaphoreTest, ThreadsAndCoroutines) {
  on_scheduler([] {
    Semaphore sem(1);  // a lock
    long n = 0;
    std::thread t([&] {
      for (int i = 0; i < 2000; ++i) {
        sem.acquire();
        ++n;
        sem.release();
      }
    });
    auto h = mco::go([&] {
      for (int i = 0; i < 2000; ++i) {
        sem.acquire();
        ++n;
        sem.release();
      }
    });
    h.join();
    t.join();
    EXPECT_EQ(n, 4000);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, SemaphoreTest, ::testing::Values(1, 2, 4));

}  // namespace
