// Copyright 2026 The mco Authors.
//
// 1,000,000 coroutines parked on one gate and released at once, each
// running exactly once: on one worker released by a channel close, on all
// workers by a WaitGroup (scheduler_stress_test runs every combination with
// 50,000). Slow on these VMs: the million fresh stacks cost a page fault
// each. Scaled down under the sanitizers.

#include "gtest/gtest.h"
#include "mco/runtime.h"
#include "tests/stress/park_and_release.h"
#include "tests/test_util.h"

namespace {

constexpr int kMillion = mco_test::scaled_spawns(1'000'000);

TEST(MillionParked, ReleasedByCloseOnOneWorker) {
  const int rc = mco::run({.workers = 1}, [] {
    mco_stress::park_and_release(mco_stress::Release::kChanClose, kMillion);
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(MillionParked, ReleasedByWaitGroupOnAllWorkers) {
  const int rc = mco::run({}, [] {
    mco_stress::park_and_release(mco_stress::Release::kWaitGroup, kMillion);
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

}  // namespace
