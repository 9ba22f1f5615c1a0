// Copyright 2026 The mco Authors.
//
// Tests of sleep (mco/this_coroutine.h): never early, ordered by deadline,
// 100,000 sleepers at once, and plain threads.

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class SleepTest : public ::testing::TestWithParam<int> {};

TEST_P(SleepTest, NeverReturnsEarly) {
  mco::run({.workers = GetParam()}, [] {
    for (auto d : {0us, 100us, 1000us, 2500us, 10000us, 30000us}) {
      auto t0 = Clock::now();
      mco::sleep(d);
      EXPECT_GE(Clock::now() - t0, d);
    }
    return 0;
  });
}

// On one worker all timers share one loop, so they fire in deadline order
// whatever the timing. (Across workers, each loop fires its own timers, and
// a busy worker fires late: no order is promised there.)
TEST(SleepOrder, WakesInDeadlineOrderOnOneWorker) {
  mco::run({.workers = 1}, [] {
    std::vector<int> order;
    std::mutex mu;
    std::vector<mco::JoinHandle<void>> hs;
    for (int ms : {60, 20, 40}) {
      hs.push_back(mco::go([&, ms] {
        mco::sleep(std::chrono::milliseconds(ms));
        std::lock_guard<std::mutex> lock(mu);
        order.push_back(ms);
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_EQ(order, (std::vector<int>{20, 40, 60}));
    return 0;
  });
}

TEST_P(SleepTest, HundredThousandSleepersAtOnce) {
  mco::run({.workers = GetParam()}, [] {
    constexpr int kN = mco_test::scaled_spawns(100'000);
    std::atomic<int> woke{0};
    std::vector<mco::JoinHandle<void>> hs;
    hs.reserve(kN);
    auto t0 = Clock::now();
    for (int i = 0; i < kN; ++i) {
      hs.push_back(mco::go([&] {
        auto s = Clock::now();
        mco::sleep(50ms);
        if (Clock::now() - s >= 50ms) woke++;
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_EQ(woke.load(), kN);
    EXPECT_GE(Clock::now() - t0, 50ms);
    return 0;
  });
}

TEST(SleepThread, PlainThreadSleeps) {
  auto t0 = Clock::now();
  mco::sleep(5ms);
  EXPECT_GE(Clock::now() - t0, 5ms);
  EXPECT_FALSE(mco::this_coroutine::in_coroutine());
  EXPECT_EQ(mco::this_coroutine::id(), 0u);
}

TEST(SleepThread, SleepUntilPast) {
  mco::run({.workers = 1}, [] {
    mco::sleep_until(Clock::now() - 1s);  // returns at once
    mco::sleep(-5ms);
    return 0;
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, SleepTest, ::testing::Values(1, 2));

}  // namespace
