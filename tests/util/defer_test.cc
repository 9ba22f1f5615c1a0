// Copyright 2026 The mco Authors.
//
// Tests of mco/util/defer.h: MCO_DEFER order and timing, exceptions and
// cancellation unwinding through defers, ScopeGuard dismiss and move.

#include "mco/util/defer.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "tests/test_util.h"

namespace {

TEST(Defer, RunsAtScopeExitInReverseOrder) {
  std::string log;
  {
    MCO_DEFER(log += "a");
    MCO_DEFER(log += "b");
    MCO_DEFER({
      log += "c";
      log += "d";
    });
    log += "body;";
  }
  EXPECT_EQ(log, "body;cdba");
}

TEST(Defer, SeesVariablesAtRunTimeLikeAReference) {
  int x = 1, seen = 0;
  {
    MCO_DEFER(seen = x);
    x = 2;
  }
  EXPECT_EQ(seen, 2);
}

int early_return(bool early, std::string& log) {
  MCO_DEFER(log += "deferred");
  if (early) return 1;
  log += "late;";
  return 2;
}

TEST(Defer, RunsOnEveryReturnPath) {
  std::string log;
  EXPECT_EQ(early_return(true, log), 1);
  EXPECT_EQ(log, "deferred");
  log.clear();
  EXPECT_EQ(early_return(false, log), 2);
  EXPECT_EQ(log, "late;deferred");
}

TEST(Defer, RunsWhenAnExceptionUnwinds) {
  std::string log;
  EXPECT_THROW(
      {
        MCO_DEFER(log += "1");
        MCO_DEFER(log += "2");
        throw std::runtime_error("boom");
      },
      std::runtime_error);
  EXPECT_EQ(log, "21");
}

TEST(ScopeGuard, DismissAndMove) {
  int runs = 0;
  {
    mco::util::ScopeGuard g([&] { ++runs; });
    EXPECT_TRUE(g.active());
    g.dismiss();
    EXPECT_FALSE(g.active());
  }
  EXPECT_EQ(runs, 0);
  {
    auto make = [&] { return mco::util::ScopeGuard([&] { ++runs; }); };
    auto g = make();
    auto moved = std::move(g);
    EXPECT_FALSE(g.active());
    EXPECT_TRUE(moved.active());
  }
  EXPECT_EQ(runs, 1);  // once, by the moved-to guard
}

class DeferCoroutineTest : public mco_test::WorkersTest {};

TEST_P(DeferCoroutineTest, RunsWhenACancelledCoroutineUnwinds) {
  on_scheduler([] {
    std::atomic<int> runs{0};
    mco_test::Event started;
    auto h = mco::go([&] {
      MCO_DEFER(runs.fetch_add(1));
      started.set();
      for (;;) mco::yield_now();  // a cancellation point
    });
    started.wait();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_EQ(runs.load(), 1);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, DeferCoroutineTest, ::testing::Values(1, 2));

}  // namespace
