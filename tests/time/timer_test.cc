// Copyright 2026 The mco Authors.
//
// Tests of mco/time/timer.h and mco/time/ticker.h: firing, stop and reset
// semantics, no stale values, Ticker drop behaviour, after() and tick().

#include "mco/time/timer.h"

#include <optional>
#include <stdexcept>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/time/ticker.h"
#include "tests/test_util.h"

namespace {

using namespace mco::time;

class TimerTest : public mco_test::WorkersTest {};

TEST_P(TimerTest, FiresOnceAfterDuration) {
  on_scheduler([] {
    Instant start = Instant::now();
    Timer t(10 * Millisecond);
    std::optional<Instant> fired = t.c().recv();
    ASSERT_TRUE(fired.has_value());
    EXPECT_GE(*fired - start, 10 * Millisecond);
    EXPECT_GE(start.elapsed(), 10 * Millisecond);
    EXPECT_FALSE(t.stop());  // already fired
    auto again = t.c().recv_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(again.timed_out());  // fires once
  });
}

TEST_P(TimerTest, StopBeforeFiringPreventsIt) {
  on_scheduler([] {
    Timer t(20 * Millisecond);
    EXPECT_TRUE(t.stop());
    EXPECT_FALSE(t.stop());
    auto r = t.c().recv_for(std::chrono::milliseconds(60));
    EXPECT_TRUE(r.timed_out());
  });
}

TEST_P(TimerTest, StopDrainsAValueNotYetReceived) {
  on_scheduler([] {
    Timer t(Millisecond);
    // Wait until the value is in the channel without receiving it.
    while (t.c().len() == 0) mco::sleep(std::chrono::milliseconds(1));
    EXPECT_FALSE(t.stop());      // it had fired
    EXPECT_EQ(t.c().len(), 0u);  // and no stale value remains
  });
}

TEST_P(TimerTest, ResetRestartsFromNow) {
  on_scheduler([] {
    Timer t(Hour);
    Instant start = Instant::now();
    EXPECT_TRUE(t.reset(15 * Millisecond));
    ASSERT_TRUE(t.c().recv().has_value());
    EXPECT_GE(start.elapsed(), 15 * Millisecond);
    EXPECT_FALSE(t.reset(5 * Millisecond));  // was expired
    ASSERT_TRUE(t.c().recv().has_value());   // fires again
  });
}

TEST_P(TimerTest, ZeroOrNegativeFiresAtOnce) {
  on_scheduler([] {
    Timer a{Duration()};
    Timer b(-Second);
    EXPECT_TRUE(a.c().recv().has_value());
    EXPECT_TRUE(b.c().recv().has_value());
  });
}

TEST_P(TimerTest, AfterFiresOnce) {
  on_scheduler([] {
    Instant start = Instant::now();
    mco::Chan<Instant> c = after(5 * Millisecond);
    ASSERT_TRUE(c.recv().has_value());
    EXPECT_GE(start.elapsed(), 5 * Millisecond);
    EXPECT_EQ(c.cap(), 1u);
  });
}

TEST_P(TimerTest, TickerTicksAtItsPeriod) {
  on_scheduler([] {
    Instant start = Instant::now();
    Ticker ticker(5 * Millisecond);
    Instant prev = start;
    for (int i = 1; i <= 5; ++i) {
      std::optional<Instant> t = ticker.c().recv();
      ASSERT_TRUE(t.has_value());
      EXPECT_GE(*t - start, i * 5 * Millisecond);  // due at start + k*period
      EXPECT_GT(*t, prev);
      prev = *t;
    }
    ticker.stop();
    auto r = ticker.c().recv_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(r.timed_out());
  });
}

TEST_P(TimerTest, TickerDropsTicksForASlowReceiver) {
  on_scheduler([] {
    Ticker ticker(2 * Millisecond);
    mco::sleep(std::chrono::milliseconds(30));  // ~15 ticks go by
    EXPECT_LE(ticker.c().len(), 1u);            // at most one is kept
    ASSERT_TRUE(ticker.c().recv().has_value());
    // Ticks go on after the slow phase.
    ASSERT_TRUE(ticker.c().recv().has_value());
    ticker.stop();
  });
}

TEST_P(TimerTest, TickerResetChangesPeriod) {
  on_scheduler([] {
    Ticker ticker(Hour);
    Instant start = Instant::now();
    ticker.reset(3 * Millisecond);
    ASSERT_TRUE(ticker.c().recv().has_value());
    EXPECT_GE(start.elapsed(), 3 * Millisecond);
    EXPECT_THROW(ticker.reset(Duration()), std::invalid_argument);
  });
}

// Under ASan, LeakSanitizer also checks that tick()'s never-stopped ticker
// is freed when the scheduler stops.
TEST_P(TimerTest, TickReturnsNilForBadPeriod) {
  on_scheduler([] {
    EXPECT_FALSE(static_cast<bool>(tick(Duration())));
    mco::Chan<Instant> c = tick(Millisecond);
    EXPECT_TRUE(c.recv().has_value());
  });
}

TEST(TimerNoScheduler, ThrowsWithoutScheduler) {
  EXPECT_THROW(Timer{Millisecond}, std::logic_error);
  EXPECT_THROW(after(Millisecond), std::logic_error);
  EXPECT_THROW(Ticker{Millisecond}, std::logic_error);
}

INSTANTIATE_TEST_SUITE_P(Workers, TimerTest, ::testing::Values(1, 2, 4));

}  // namespace
