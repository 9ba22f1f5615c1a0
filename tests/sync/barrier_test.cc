// Copyright 2026 The mco Authors.
//
// Tests of mco/sync/barrier.h: generations with N coroutines, one last
// party per generation, timed and cancelled waits withdrawing their
// arrival. With 1, 2 and 4 workers.

#include "mco/sync/barrier.h"

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
using mco::sync::Barrier;

class BarrierTest : public mco_test::WorkersTest {};

TEST_P(BarrierTest, SeveralGenerations) {
  on_scheduler([] {
    constexpr int kParties = 16;
    constexpr int kRounds = 20;
    Barrier barrier(kParties);
    std::atomic<int> lasts{0};
    std::atomic<int> errors{0};
    Barrier* b = &barrier;
    std::vector<mco::JoinHandle<void>> hs;
    // Party p writes slot p of round r's row before arriving (plain memory,
    // published by the barrier).
    std::vector<std::vector<int>> seen(kRounds, std::vector<int>(kParties));
    for (int p = 0; p < kParties; ++p) {
      hs.push_back(mco::go([&, p] {
        for (int r = 0; r < kRounds; ++r) {
          seen[r][p] = r + 1;
          if (p % 3 == 0) mco::yield_now();
          if (b->arrive_and_wait()) lasts.fetch_add(1);
          // Everyone's write for round r is visible now.
          for (int q = 0; q < kParties; ++q) {
            if (seen[r][q] != r + 1) errors.fetch_add(1);
          }
        }
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(lasts.load(), kRounds);
    EXPECT_EQ(barrier.generation(), uint64_t{kRounds});
  });
}

TEST_P(BarrierTest, TimedOutPartyWithdraws) {
  on_scheduler([] {
    Barrier barrier(2);
    EXPECT_FALSE(barrier.arrive_and_wait_for(10ms));  // alone: gives up
    EXPECT_EQ(barrier.generation(), 0u);
    // Its arrival was withdrawn: it still takes two.
    auto h = mco::go([&] { return barrier.arrive_and_wait(); });
    EXPECT_TRUE(barrier.arrive_and_wait_for(10s));
    h.join();
    EXPECT_EQ(barrier.generation(), 1u);
  });
}

TEST_P(BarrierTest, CancelledPartyWithdraws) {
  on_scheduler([] {
    Barrier barrier(2);
    auto waiter = mco::go([&] { barrier.arrive_and_wait(); });
    mco::sleep(2ms);
    waiter.cancel();
    EXPECT_THROW(waiter.join(), mco::Cancelled);
    EXPECT_EQ(barrier.generation(), 0u);
    auto h = mco::go([&] { return barrier.arrive_and_wait(); });
    const bool last_here = barrier.arrive_and_wait();
    EXPECT_NE(last_here, h.join());  // exactly one was last
    EXPECT_EQ(barrier.generation(), 1u);
  });
}

TEST_P(BarrierTest, ThreadsAndCoroutines) {
  on_scheduler([] {
    Barrier barrier(3);
    std::thread t([&] {
      for (int r = 0; r < 50; ++r) barrier.arrive_and_wait();
    });
    auto h = mco::go([&] {
      for (int r = 0; r < 50; ++r) barrier.arrive_and_wait();
    });
    for (int r = 0; r < 50; ++r) barrier.arrive_and_wait();
    h.join();
    t.join();
    EXPECT_EQ(barrier.generation(), 50u);
  });
}

TEST(BarrierArgs, RejectsNoParties) {
  EXPECT_THROW(Barrier(0), std::invalid_argument);
  Barrier one(1);
  EXPECT_TRUE(one.arrive_and_wait());
  EXPECT_TRUE(one.arrive_and_wait());
}

INSTANTIATE_TEST_SUITE_P(Workers, BarrierTest, ::testing::Values(1, 2, 4));

}  // namespace
