// Copyright 2026 The mco Authors.
//
// Tests of mco/sync/once.h: one run among concurrent callers, retry after a
// throwing initialiser, timed and cancelled waits. With 1, 2 and 4 workers.

#include "mco/sync/once.h"

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
using mco::sync::Once;

class OnceTest : public mco_test::WorkersTest {};

TEST_P(OnceTest, RunsOnceAmongConcurrentCallers) {
  on_scheduler([] {
    Once once;
    std::atomic<int> runs{0};
    int value = 0;  // plain: published by Once
    std::vector<mco::JoinHandle<int>> hs;
    for (int i = 0; i < 32; ++i) {
      hs.push_back(mco::go([&] {
        once.call([&] {
          runs.fetch_add(1);
          mco::sleep(5ms);  // others arrive and wait meanwhile
          value = 42;
        });
        return value;
      }));
    }
    std::thread t([&] {
      once.call([&] {
        runs.fetch_add(1);
        value = 42;
      });
      EXPECT_EQ(value, 42);
    });
    for (auto& h : hs) EXPECT_EQ(h.join(), 42);
    t.join();
    EXPECT_EQ(runs.load(), 1);
    EXPECT_TRUE(once.done());
  });
}

TEST_P(OnceTest, ThrowingInitialiserIsRetried) {
  on_scheduler([] {
    Once once;
    int attempts = 0;
    EXPECT_THROW(once.call([&] {
      ++attempts;
      throw std::runtime_error("first");
    }),
                 std::runtime_error);
    EXPECT_FALSE(once.done());
    once.call([&] { ++attempts; });
    EXPECT_TRUE(once.done());
    once.call([&] { ++attempts; });
    EXPECT_EQ(attempts, 2);
  });
}

TEST_P(OnceTest, WaitersRetryAfterTheRunnerThrows) {
  on_scheduler([] {
    Once once;
    std::atomic<int> calls{0};
    mco_test::Event runner_in;
    auto runner = mco::go([&] {
      once.call([&] {
        calls.fetch_add(1);
        runner_in.set();
        mco::sleep(5ms);
        throw std::runtime_error("boom");
      });
    });
    runner_in.wait();
    std::vector<mco::JoinHandle<void>> hs;
    for (int i = 0; i < 4; ++i) {
      hs.push_back(mco::go([&] { once.call([&] { calls.fetch_add(1); }); }));
    }
    EXPECT_THROW(runner.join(), std::runtime_error);
    for (auto& h : hs) h.join();
    EXPECT_EQ(calls.load(), 2);  // the thrower, then one waiter
    EXPECT_TRUE(once.done());
  });
}

TEST_P(OnceTest, TimedAndCancelledWaits) {
  on_scheduler([] {
    Once once;
    mco_test::Event runner_in;
    std::atomic<bool> release{false};
    auto runner = mco::go([&] {
      once.call([&] {
        runner_in.set();
        while (!release.load()) mco::sleep(1ms);
      });
    });
    runner_in.wait();
    bool ran = false;
    EXPECT_FALSE(once.call_for(10ms, [&] { ran = true; }));
    EXPECT_FALSE(once.call_until(std::chrono::steady_clock::now() + 1ms,
                                 [&] { ran = true; }));
    EXPECT_FALSE(ran);
    auto waiter = mco::go([&] { once.call([] {}); });
    mco::sleep(1ms);
    waiter.cancel();
    EXPECT_THROW(waiter.join(), mco::Cancelled);
    release = true;
    runner.join();
    EXPECT_TRUE(once.done());
    EXPECT_TRUE(once.call_for(0ms, [&] { ran = true; }));
    EXPECT_FALSE(ran);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, OnceTest, ::testing::Values(1, 2, 4));

}  // namespace
