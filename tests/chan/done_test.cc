// Copyright 2026 The mco Authors.
//
// Tests of mco/chan/done.h: a coroutine's completion in select.

#include "mco/chan/done.h"

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "gtest/gtest.h"
#include "mco/chan/select.h"
#include "mco/go.h"
#include "mco/waker.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;

class DoneTest : public mco_test::WorkersTest {};

TEST_P(DoneTest, ClosedWhenTheCoroutineFinishes) {
  on_scheduler([] {
    mco::Chan<int> gate(0);
    auto h = mco::go([gate]() mutable { return *gate.recv(); });
    mco::Chan<std::monostate> d = mco::done(h);
    EXPECT_TRUE(d.try_recv().timed_out());  // still running
    gate.send(5);
    EXPECT_FALSE(d.recv().has_value());  // closed
    EXPECT_EQ(h.join(), 5);              // the outcome is still join()'s
  });
}

TEST_P(DoneTest, AlreadyFinishedIsClosedAtOnce) {
  on_scheduler([] {
    auto h = mco::go([] { return 1; });
    while (!h.is_finished()) mco::yield_now();
    EXPECT_TRUE(mco::done(h).try_recv().closed());
    EXPECT_EQ(h.join(), 1);
  });
}

TEST_P(DoneTest, SelectsCompletionAgainstATimeout) {
  on_scheduler([] {
    auto slow = mco::go([] { mco::sleep(std::chrono::hours(1)); });
    bool timed_out = false;
    mco::select(mco::recv(mco::done(slow), [&](auto) {}),
                mco::timeout(10ms, [&] { timed_out = true; }));
    EXPECT_TRUE(timed_out);
    slow.cancel();
    bool finished = false;
    mco::select(mco::recv(mco::done(slow), [&](auto) { finished = true; }),
                mco::timeout(std::chrono::hours(1), [] {}));
    EXPECT_TRUE(finished);
    EXPECT_THROW(slow.join(), mco::Cancelled);
  });
}

TEST_P(DoneTest, PanickedCoroutineClosesDoneToo) {
  on_scheduler([] {
    auto h = mco::go([]() -> int { throw std::runtime_error("x"); });
    EXPECT_FALSE(mco::done(h).recv().has_value());
    EXPECT_THROW(h.join(), std::runtime_error);
  });
}

TEST_P(DoneTest, EmptyHandleThrows) {
  on_scheduler([] {
    mco::JoinHandle<int> empty;
    EXPECT_THROW(mco::done(empty), std::logic_error);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, DoneTest, ::testing::Values(1, 2, 4));

}  // namespace
