// Copyright 2026 The mco Authors.
//
// Tests of mco/go.h: spawning, joining, values, exceptions (panic isolation),
// builder options and timed waits, with 1, 2 and 4 workers.

#include "mco/go.h"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/runtime.h"
#include "mco/waker.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;

class GoTest : public mco_test::WorkersTest {};

TEST_P(GoTest, JoinReturnsValue) {
  on_scheduler([] {
    auto h = mco::go([] { return 6 * 7; });
    EXPECT_TRUE(h.joinable());
    EXPECT_EQ(h.join(), 42);
    EXPECT_FALSE(h.joinable());
  });
}

TEST_P(GoTest, JoinMoveOnlyValue) {
  on_scheduler([] {
    auto h = mco::go([] { return std::make_unique<std::string>("moved"); });
    std::unique_ptr<std::string> v = h.join();
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, "moved");
  });
}

TEST_P(GoTest, VoidCoroutine) {
  on_scheduler([] {
    int x = 0;
    auto h = mco::go([&] { x = 5; });
    h.join();
    EXPECT_EQ(x, 5);
  });
}

TEST_P(GoTest, JoinRethrows) {
  on_scheduler([] {
    auto h = mco::go([]() -> int { throw std::runtime_error("boom"); });
    try {
      h.join();
      ADD_FAILURE() << "join did not throw";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "boom");
    }
  });
}

TEST_P(GoTest, JoinEmptyHandleThrowsLogicError) {
  on_scheduler([] {
    mco::JoinHandle<int> h;
    EXPECT_THROW(h.join(), std::logic_error);
  });
}

TEST_P(GoTest, BuilderSetsNameAndStack) {
  on_scheduler([] {
    auto h = mco::Builder().name("worker-7").stack_size(64 << 10).spawn([] {
      // A 32 KiB array fits a 64 KiB stack.
      volatile char buf[32 << 10];
      buf[0] = 1;
      buf[sizeof(buf) - 1] = 2;
      return mco::this_coroutine::name();
    });
    EXPECT_EQ(h.name(), "worker-7");
    EXPECT_GT(h.id(), 0u);
    EXPECT_EQ(h.join(), "worker-7");
  });
}

TEST_P(GoTest, IdsAreUniqueAndMainIsNamed) {
  on_scheduler([] {
    EXPECT_EQ(mco::this_coroutine::name(), "main");
    EXPECT_TRUE(mco::this_coroutine::in_coroutine());
    uint64_t me = mco::this_coroutine::id();
    auto a = mco::go([] { return mco::this_coroutine::id(); });
    auto b = mco::go([] { return mco::this_coroutine::id(); });
    uint64_t ia = a.id(), ib = b.id();
    EXPECT_EQ(a.join(), ia);
    EXPECT_EQ(b.join(), ib);
    EXPECT_NE(ia, ib);
    EXPECT_NE(ia, me);
  });
}

TEST_P(GoTest, WaitForTimesOutThenSucceeds) {
  on_scheduler([] {
    mco::Waker main_waker = mco::current_waker();
    std::atomic<bool> release{false};
    mco::Waker child_waker;
    std::atomic<bool> have_waker{false};
    auto h = mco::go([&] {
      child_waker = mco::current_waker();
      have_waker = true;
      while (!release) mco::park();
      return 1;
    });
    EXPECT_FALSE(h.wait_for(20ms));
    EXPECT_FALSE(h.is_finished());
    while (!have_waker) mco::yield_now();
    release = true;
    child_waker.unpark();
    EXPECT_TRUE(h.wait_for(std::chrono::hours(1)));
    EXPECT_TRUE(h.is_finished());
    EXPECT_EQ(h.join(), 1);
  });
}

TEST_P(GoTest, PanicIsolationReportsUnjoined) {
  testing::internal::CaptureStderr();
  on_scheduler([] {
    {
      auto h =
          mco::go_named("doomed", [] { throw std::runtime_error("kaboom"); });
      while (!h.is_finished()) mco::yield_now();
    }  // dropped unjoined: reported here
    // The program runs on.
    EXPECT_EQ(mco::go([] { return 3; }).join(), 3);
  });
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("'doomed' panicked: kaboom"), std::string::npos) << err;
}

TEST_P(GoTest, PanicOfDetachedCoroutineReportedWhenItEnds) {
  testing::internal::CaptureStderr();
  on_scheduler([] {
    mco::Waker w = mco::current_waker();
    mco::go_named("detached", [w] {
      struct Notify {
        mco::Waker w;
        ~Notify() { w.unpark(); }
      } notify{w};
      throw std::logic_error("late");
    }).detach();
    mco::park();
    // The report is written right after the coroutine's stack is unwound;
    // wait until the coroutine count says it is gone.
  });
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("'detached' panicked: late"), std::string::npos) << err;
}

TEST_P(GoTest, JoinedPanicIsNotReported) {
  testing::internal::CaptureStderr();
  on_scheduler([] {
    auto h = mco::go_named("joined", [] { throw std::runtime_error("x"); });
    EXPECT_THROW(h.join(), std::runtime_error);
  });
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("panicked"), std::string::npos) << err;
}

TEST_P(GoTest, OneMillionSpawnJoin) {
  on_scheduler([] {
    // Under TSan each spawn costs milliseconds: 100 there.
    constexpr int kTotal = mco_test::scaled_spawns(1'000'000) /
                           (mco_test::kSpawnDivisor == 1000 ? 10 : 1);
    constexpr int kBatch = kTotal < 1000 ? kTotal : 1000;
    std::atomic<long> sum{0};
    std::vector<mco::JoinHandle<int>> hs;
    hs.reserve(kBatch);
    for (int done = 0; done < kTotal; done += kBatch) {
      for (int i = 0; i < kBatch; ++i) {
        hs.push_back(mco::go([i] { return i; }));
      }
      for (auto& h : hs) sum += h.join();
      hs.clear();
    }
    EXPECT_EQ(sum.load(),
              long{kTotal / kBatch} * (long{kBatch} * (kBatch - 1) / 2));
  });
}

TEST_P(GoTest, GoFromPlainThreadAndJoinThere) {
  on_scheduler([] {
    std::atomic<int> got{0};
    std::thread t([&] {
      // A thread mco did not start spawns and joins (blocking the thread).
      auto h = mco::go([] { return 11; });
      got = h.join();
    });
    // Park instead of blocking the worker while the thread works.
    while (got.load() == 0) mco::sleep(1ms);
    t.join();
    EXPECT_EQ(got.load(), 11);
  });
}

TEST(GoNoScheduler, GoWithoutSchedulerThrows) {
  EXPECT_THROW(mco::go([] { return 1; }), std::logic_error);
}

TEST(GoNoScheduler, RunFromCoroutineThrows) {
  int rc = mco::run({.workers = 1}, [] {
    bool threw = false;
    try {
      mco::run({}, [] { return 0; });
    } catch (const std::logic_error&) {
      threw = true;
    }
    return threw ? 0 : 1;
  });
  EXPECT_EQ(rc, 0);
}

TEST(GoNoScheduler, RunRethrowsMainException) {
  EXPECT_THROW(mco::run({.workers = 2},
                        []() -> int { throw std::runtime_error("main"); }),
               std::runtime_error);
}

INSTANTIATE_TEST_SUITE_P(Workers, GoTest, ::testing::Values(1, 2, 4));

}  // namespace
