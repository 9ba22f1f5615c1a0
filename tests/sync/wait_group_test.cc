// Copyright 2026 The mco Authors.
//
// Tests of mco/sync/wait_group.h: waiting for coroutines and threads,
// reuse over rounds, misuse, timed and cancelled waits. With 1, 2 and 4
// workers.

#include "mco/sync/wait_group.h"

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
using mco::sync::WaitGroup;

class WaitGroupTest : public mco_test::WorkersTest {};

TEST_P(WaitGroupTest, ReusedOverRounds) {
  on_scheduler([] {
    constexpr int kRounds = 8;
    constexpr int kCoroutines = 50;
    WaitGroup wg;
    std::vector<int> done(kCoroutines, 0);  // plain: published by wait()
    for (int round = 1; round <= kRounds; ++round) {
      wg.add(kCoroutines);
      for (int i = 0; i < kCoroutines; ++i) {
        mco::go([&, i, round] {
          if (i % 7 == 0) mco::yield_now();
          done[i] = round;
          wg.done();
        });
      }
      // A second waiter, on another coroutine.
      auto other = mco::go([&] { wg.wait(); });
      wg.wait();
      other.join();
      EXPECT_EQ(wg.count(), 0);
      for (int i = 0; i < kCoroutines; ++i) ASSERT_EQ(done[i], round);
    }
  });
}

TEST_P(WaitGroupTest, WaitOnZeroReturnsAtOnce) {
  on_scheduler([] {
    WaitGroup wg;
    wg.wait();
    EXPECT_TRUE(wg.wait_for(0ms));
    wg.add(2);
    wg.add(-2);
    wg.wait();
  });
}

TEST_P(WaitGroupTest, NegativeCounterThrowsAndChangesNothing) {
  on_scheduler([] {
    WaitGroup wg;
    EXPECT_THROW(wg.done(), std::logic_error);
    EXPECT_EQ(wg.count(), 0);
    wg.add(1);
    EXPECT_THROW(wg.add(-2), std::logic_error);
    EXPECT_EQ(wg.count(), 1);
    auto h = mco::go([&] { wg.done(); });
    wg.wait();
    h.join();
    EXPECT_EQ(wg.count(), 0);
  });
}

TEST_P(WaitGroupTest, TimedWaitAndCancellation) {
  on_scheduler([] {
    WaitGroup wg;
    wg.add(1);
    const auto t0 = Clock::now();
    EXPECT_FALSE(wg.wait_for(15ms));
    EXPECT_GE(Clock::now() - t0, 15ms);
    EXPECT_FALSE(wg.wait_until(Clock::now() + 1ms));
    std::atomic<bool> started{false};
    auto waiter = mco::go([&] {
      started = true;
      wg.wait();
    });
    while (!started.load()) mco::yield_now();
    mco::sleep(1ms);
    waiter.cancel();
    EXPECT_THROW(waiter.join(), mco::Cancelled);
    // Still usable: a new waiter is released by done().
    auto again = mco::go([&] { wg.wait(); });
    wg.done();
    again.join();
    EXPECT_EQ(wg.count(), 0);
  });
}

TEST_P(WaitGroupTest, ThreadsDoneCoroutineWaits) {
  on_scheduler([] {
    WaitGroup wg;
    std::atomic<int> n{0};
    std::vector<std::thread> ts;
    wg.add(4);
    for (int t = 0; t < 4; ++t) {
      ts.emplace_back([&] {
        n.fetch_add(1);
        wg.done();
      });
    }
    wg.wait();
    EXPECT_EQ(n.load(), 4);
    for (auto& t : ts) t.join();
    // And a thread waiting for coroutines.
    // (Main must not block its worker in std::thread::join meanwhile.)
    wg.add(3);
    mco_test::Event waiter_done;
    std::thread waiter([&] {
      wg.wait();
      waiter_done.set();
    });
    for (int i = 0; i < 3; ++i) mco::go([&] { wg.done(); });
    waiter_done.wait();
    waiter.join();
  });
}

// Go lets the waiter free a WaitGroup as soon as wait() returns, while the
// last done() may still be inside the WaitGroup waking other waiters. Two
// waiters (a coroutine and a thread) and one releaser per round; the
// coroutine waiter deletes the WaitGroup at once. Under ASan a late touch by
// the releaser is a use after free; without it, it crashed (TSan run).
TEST_P(WaitGroupTest, WaiterMayDestroyItOnceWaitReturns) {
  on_scheduler([] {
    constexpr int kRounds = mco_test::scaled_spawns(2000);
    for (int round = 0; round < kRounds; ++round) {
      auto* wg = new WaitGroup;
      wg->add(1);
      mco_test::Event thread_waiting;
      std::thread other([&] {
        thread_waiting.set();
        wg->wait();  // returns before the delete below can happen
      });
      thread_waiting.wait();
      auto releaser = mco::go([wg] { wg->done(); });
      wg->wait();
      other.join();
      delete wg;
      releaser.join();
    }
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, WaitGroupTest, ::testing::Values(1, 2, 4));

}  // namespace
