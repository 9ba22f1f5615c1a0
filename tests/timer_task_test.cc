// Copyright 2026 The mco Authors.
//
// Tests of rt::TimerTask (runtime/timer.h): one-shot callbacks at a deadline
// on a worker's loop, scheduled and cancelled from coroutines and threads.

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/waker.h"
#include "runtime/clock.h"
#include "runtime/timer.h"
#include "tests/test_util.h"

namespace {

using mco::rt::Nanos;
using mco::rt::now_nanos;
using mco::rt::TimerTask;

constexpr Nanos kMs = 1'000'000;

class TimerTaskTest : public mco_test::WorkersTest {};

TEST_P(TimerTaskTest, FiresOnceNotBeforeDeadline) {
  on_scheduler([] {
    mco_test::Event fired;
    std::atomic<Nanos> at{0};
    std::atomic<int> runs{0};
    const Nanos deadline = now_nanos() + 5 * kMs;
    TimerTask t = TimerTask::schedule(deadline, [&] {
      at = now_nanos();
      runs++;
      fired.set();
    });
    ASSERT_FALSE(t.empty());
    fired.wait();
    EXPECT_GE(at.load(), deadline);
    EXPECT_EQ(runs.load(), 1);
    EXPECT_TRUE(t.fired());
    EXPECT_FALSE(t.cancel());  // too late
  });
}

TEST_P(TimerTaskTest, CancelBeforeDeadlinePreventsCallback) {
  on_scheduler([] {
    std::atomic<int> runs{0};
    TimerTask t = TimerTask::schedule(now_nanos() + 20 * kMs, [&] { runs++; });
    EXPECT_TRUE(t.cancel());
    EXPECT_FALSE(t.cancel());  // once
    // A later timer fires after the cancelled one's deadline: by then the
    // cancelled one would have run.
    mco_test::Event later;
    TimerTask probe =
        TimerTask::schedule(now_nanos() + 40 * kMs, [&] { later.set(); });
    later.wait();
    EXPECT_EQ(runs.load(), 0);
    EXPECT_FALSE(t.fired());
  });
}

TEST_P(TimerTaskTest, ScheduleAndCancelFromPlainThread) {
  on_scheduler([] {
    mco_test::Event fired;
    std::atomic<int> cancelled_runs{0};
    std::thread th([&] {
      TimerTask c = TimerTask::schedule(now_nanos() + 10 * kMs,
                                        [&] { cancelled_runs++; });
      EXPECT_TRUE(c.cancel());
      TimerTask t =
          TimerTask::schedule(now_nanos() + 30 * kMs, [&] { fired.set(); });
      EXPECT_FALSE(t.empty());
    });
    fired.wait();
    th.join();
    EXPECT_EQ(cancelled_runs.load(), 0);
  });
}

TEST_P(TimerTaskTest, ManyTasksAllFire) {
  on_scheduler([] {
    constexpr int kN = 2000;
    std::atomic<int> runs{0};
    mco_test::Event all;
    std::vector<TimerTask> tasks;
    for (int i = 0; i < kN; ++i) {
      tasks.push_back(TimerTask::schedule(now_nanos() + (i % 20) * kMs, [&] {
        if (++runs == kN) all.set();
      }));
    }
    all.wait();
    EXPECT_EQ(runs.load(), kN);
  });
}

TEST(TimerTaskNoScheduler, EmptyWithoutScheduler) {
  TimerTask t = TimerTask::schedule(now_nanos(), [] {});
  EXPECT_TRUE(t.empty());
  EXPECT_FALSE(t.cancel());
}

INSTANTIATE_TEST_SUITE_P(Workers, TimerTaskTest, ::testing::Values(1, 2, 4));

}  // namespace
