// Copyright 2026 The mco Authors.
//
// Tests of mco/time/instant.h: monotonic instants, wall clock, sleep.

#include "mco/time/instant.h"

#include <string>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/runtime.h"

namespace {

using namespace mco::time;

TEST(Instant, ArithmeticAndOrder) {
  Instant a = Instant::now();
  Instant b = a + 5 * Second;
  EXPECT_LT(a, b);
  EXPECT_EQ(b - a, 5 * Second);
  EXPECT_EQ(b - 5 * Second, a);
  EXPECT_EQ(b.since(a), 5 * Second);
  EXPECT_EQ(b.nanos() - a.nanos(), (5 * Second).nanoseconds());
}

TEST(Instant, SleepInCoroutineAndThread) {
  Instant t0 = Instant::now();
  sleep(3 * Millisecond);  // plain thread
  EXPECT_GE(t0.elapsed(), 3 * Millisecond);
  mco::run({.workers = 2}, [] {
    Instant start = Instant::now();
    sleep(5 * Millisecond);
    EXPECT_GE(start.elapsed(), 5 * Millisecond);
    Instant until = Instant::now() + 4 * Millisecond;
    sleep_until(until);
    EXPECT_GE(Instant::now(), until);
    return 0;
  });
}

TEST(Instant, WallClockFormats) {
  std::string s = format_rfc3339(absl::FromUnixSeconds(0));
  EXPECT_EQ(s, "1970-01-01T00:00:00+00:00");
  EXPECT_GT(now(), absl::FromUnixSeconds(1700000000));
}

}  // namespace
