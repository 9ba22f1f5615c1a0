// Copyright 2026 The mco Authors.
//
// Tests of mco/waker.h: the park permit, park/unpark between coroutines and
// threads, timed parks, wakers outliving their owner, many parked
// coroutines. With 1, 2 and 4 workers.

#include "mco/waker.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class WakerTest : public mco_test::WorkersTest {};

// Runs `body` on a fresh plain thread (a fresh permit) and joins it.
template <typename F>
void on_thread(F body) {
  std::thread t(body);
  t.join();
}

// Checks the permit semantics on the calling coroutine or thread, whose
// permit must be absent on entry.
void check_permit_semantics() {
  mco::Waker w = mco::current_waker();
  EXPECT_TRUE(static_cast<bool>(w));

  // An unpark before the park is not lost.
  w.unpark();
  mco::park();  // returns at once
  w.unpark();
  EXPECT_TRUE(mco::park_for(1h));
  w.unpark();
  EXPECT_TRUE(mco::park_until(Clock::now() + 1h));

  // Permits do not accumulate.
  w.unpark();
  w.unpark();
  mco::park();
  const auto t0 = Clock::now();
  EXPECT_FALSE(mco::park_for(10ms));
  EXPECT_GE(Clock::now() - t0, 10ms);
}

TEST_P(WakerTest, PermitSemanticsOnCoroutine) {
  on_scheduler([] {
    EXPECT_FALSE(static_cast<bool>(mco::Waker()));
    check_permit_semantics();
    // And on a child coroutine.
    auto h = mco::go([] { check_permit_semantics(); });
    h.join();
  });
}

TEST(WakerPlainThread, PermitSemanticsOnThread) {
  on_thread([] { check_permit_semantics(); });
}

TEST_P(WakerTest, PermitFromAnotherCoroutineDoesNotAccumulate) {
  on_scheduler([] {
    mco::Waker me = mco::current_waker();
    auto h = mco::go([me] {
      me.unpark();
      me.unpark();
    });
    h.join();
    mco::park();  // consumes the one permit
    const auto t0 = Clock::now();
    EXPECT_FALSE(mco::park_for(10ms));
    EXPECT_GE(Clock::now() - t0, 10ms);
  });
}

TEST_P(WakerTest, PingPongBetweenTwoCoroutines) {
  on_scheduler([] {
    constexpr int kRounds = 2000;
    mco::Waker main_waker = mco::current_waker();
    std::atomic<int> turn{-1};  // 2i: the child's turn, 2i + 1: main's
    std::atomic<bool> have_child{false};
    mco::Waker child_waker;
    int payload = 0;  // plain memory, published by unpark/park
    auto h = mco::go([&] {
      child_waker = mco::current_waker();
      have_child = true;
      main_waker.unpark();
      long sum = 0;
      for (int i = 0; i < kRounds; ++i) {
        while (turn.load() != 2 * i) mco::park();
        sum += payload;
        payload = -i;
        turn = 2 * i + 1;
        main_waker.unpark();
      }
      return sum;
    });
    while (!have_child.load()) mco::park();
    long sum = 0;
    for (int i = 0; i < kRounds; ++i) {
      payload = i;
      turn = 2 * i;
      child_waker.unpark();
      while (turn.load() != 2 * i + 1) mco::park();
      EXPECT_EQ(payload, -i);
      sum += i;
    }
    EXPECT_EQ(h.join(), sum);
  });
}

TEST_P(WakerTest, ThreadParkedWokenByCoroutine) {
  on_scheduler([] {
    mco::Waker main_waker = mco::current_waker();
    std::atomic<bool> published{false};
    std::atomic<bool> flag{false};
    std::atomic<bool> thread_done{false};
    mco::Waker thread_waker;
    std::thread t([&] {
      EXPECT_FALSE(mco::this_coroutine::in_coroutine());
      thread_waker = mco::current_waker();
      published = true;
      main_waker.unpark();
      while (!flag.load()) mco::park();
      thread_done = true;
      main_waker.unpark();
    });
    while (!published.load()) mco::park();
    // A coroutine other than main wakes the thread.
    auto h = mco::go([&] {
      flag = true;
      thread_waker.unpark();
    });
    h.join();
    while (!thread_done.load()) mco::park();
    t.join();
  });
}

TEST_P(WakerTest, CoroutineParkedWokenByThread) {
  on_scheduler([] {
    mco::Waker child_waker;
    std::atomic<bool> have_child{false};
    std::atomic<bool> flag{false};
    mco::Waker main_waker = mco::current_waker();
    auto h = mco::go([&] {
      child_waker = mco::current_waker();
      have_child = true;
      main_waker.unpark();
      int parks = 0;
      while (!flag.load()) {
        mco::park();
        ++parks;
      }
      return parks;
    });
    while (!have_child.load()) mco::park();
    std::thread t([&] {
      flag = true;
      child_waker.unpark();
    });
    EXPECT_GE(h.join(), 0);
    t.join();
  });
}

TEST_P(WakerTest, UnparkFromForeignThreads) {
  on_scheduler([] {
    constexpr int kCoroutines = 64;
    constexpr int kThreads = 4;
    std::vector<mco::Waker> wakers(kCoroutines);
    std::vector<int> values(kCoroutines, 0);  // plain memory
    std::vector<std::atomic<bool>> flags(kCoroutines);
    for (auto& f : flags) f = false;
    std::atomic<int> registered{0};
    mco::Waker main_waker = mco::current_waker();
    std::vector<mco::JoinHandle<int>> hs;
    for (int i = 0; i < kCoroutines; ++i) {
      hs.push_back(mco::go([&, i] {
        wakers[i] = mco::current_waker();
        if (registered.fetch_add(1) + 1 == kCoroutines) main_waker.unpark();
        while (!flags[i].load()) mco::park();
        return values[i];
      }));
    }
    while (registered.load() < kCoroutines) mco::park();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = t; i < kCoroutines; i += kThreads) {
          values[i] = 1000 + i;
          flags[i] = true;
          wakers[i].unpark();
        }
      });
    }
    for (int i = 0; i < kCoroutines; ++i) EXPECT_EQ(hs[i].join(), 1000 + i);
    for (auto& t : threads) t.join();
  });
}

TEST_P(WakerTest, ParkForTimesOut) {
  on_scheduler([] {
    for (auto d : {1ms, 10ms, 30ms}) {
      const auto t0 = Clock::now();
      EXPECT_FALSE(mco::park_for(d));
      EXPECT_GE(Clock::now() - t0, d);
    }
    EXPECT_FALSE(mco::park_for(0ms));
    EXPECT_FALSE(mco::park_for(-1s));
    // A child, on whatever worker, too.
    auto h = mco::go([] {
      const auto t0 = Clock::now();
      const bool got = mco::park_for(15ms);
      return std::make_pair(got, Clock::now() - t0);
    });
    auto [got, elapsed] = h.join();
    EXPECT_FALSE(got);
    EXPECT_GE(elapsed, 15ms);
  });
}

TEST(WakerPlainThread, ParkForTimesOut) {
  on_thread([] {
    const auto t0 = Clock::now();
    EXPECT_FALSE(mco::park_for(15ms));
    EXPECT_GE(Clock::now() - t0, 15ms);
    EXPECT_FALSE(mco::park_for(0ms));
  });
}

TEST_P(WakerTest, ParkUntil) {
  on_scheduler([] {
    const auto deadline = Clock::now() + 15ms;
    EXPECT_FALSE(mco::park_until(deadline));
    EXPECT_GE(Clock::now(), deadline);
    // A deadline in the past returns at once.
    EXPECT_FALSE(mco::park_until(Clock::now() - 1s));
    // A time point with another duration type.
    const auto coarse =
        std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()) +
        std::chrono::milliseconds(12);
    EXPECT_FALSE(mco::park_until(coarse));
    EXPECT_GE(Clock::now(), coarse);
    // Woken before the deadline by another coroutine.
    mco::Waker me = mco::current_waker();
    auto h = mco::go([me] { me.unpark(); });
    EXPECT_TRUE(mco::park_until(Clock::now() + 1h));
    h.join();
  });
}

TEST(WakerPlainThread, ParkUntil) {
  on_thread([] {
    const auto deadline = Clock::now() + 15ms;
    EXPECT_FALSE(mco::park_until(deadline));
    EXPECT_GE(Clock::now(), deadline);
    EXPECT_FALSE(mco::park_until(Clock::now() - 1s));
  });
}

TEST(WakerPlainThread, TwoThreadsPingPong) {
  constexpr int kRounds = 500;
  mco::Waker main_waker = mco::current_waker();
  std::atomic<int> ready{0};
  std::atomic<bool> start{false};
  std::atomic<int> turn{0};
  mco::Waker a_waker;
  mco::Waker b_waker;
  // Each thread publishes its waker, then waits for the test's go.
  auto publish = [&](mco::Waker* slot) {
    *slot = mco::current_waker();
    ready.fetch_add(1);
    main_waker.unpark();
    while (!start.load()) mco::park();
  };
  std::thread a([&] {
    publish(&a_waker);
    for (int i = 0; i < kRounds; ++i) {
      while (turn.load() != 2 * i) mco::park();
      turn = 2 * i + 1;
      b_waker.unpark();
    }
  });
  std::thread b([&] {
    publish(&b_waker);
    for (int i = 0; i < kRounds; ++i) {
      while (turn.load() != 2 * i + 1) mco::park();
      turn = 2 * i + 2;
      a_waker.unpark();
    }
  });
  while (ready.load() < 2) mco::park();
  start = true;
  a_waker.unpark();
  b_waker.unpark();
  a.join();
  b.join();
  EXPECT_EQ(turn.load(), 2 * kRounds);
}

TEST_P(WakerTest, WakerOutlivesItsCoroutine) {
  on_scheduler([] {
    auto h = mco::go([] { return mco::current_waker(); });
    mco::Waker w = h.join();  // the coroutine has finished
    ASSERT_TRUE(static_cast<bool>(w));
    w.unpark();
    w.unpark();
    mco::Waker copy = w;
    copy.unpark();
    mco::Waker moved = std::move(copy);
    moved.unpark();
    // One that finished after a timed park and a consumed permit.
    auto g = mco::go([] {
      mco::Waker me = mco::current_waker();
      (void)mco::park_for(1ms);
      me.unpark();
      mco::park();
      return me;
    });
    mco::Waker w2 = g.join();
    w2.unpark();
    // The scheduler keeps working.
    EXPECT_EQ(mco::go([] { return 8; }).join(), 8);
  });
}

TEST(WakerPlainThread, WakerOutlivesItsThread) {
  mco::Waker w;
  on_thread([&] { w = mco::current_waker(); });
  ASSERT_TRUE(static_cast<bool>(w));
  w.unpark();
  w.unpark();
}

TEST_P(WakerTest, ManyParkedThenAllUnparked) {
  on_scheduler([] {
    constexpr int kCoroutines = mco_test::scaled_spawns(10'000);
    std::vector<mco::Waker> wakers(kCoroutines);
    std::atomic<int> registered{0};
    std::atomic<bool> release{false};
    std::atomic<int> woken{0};
    mco::Waker main_waker = mco::current_waker();
    std::vector<mco::JoinHandle<void>> hs;
    hs.reserve(kCoroutines);
    for (int i = 0; i < kCoroutines; ++i) {
      hs.push_back(mco::Builder().stack_size(64 << 10).spawn([&, i] {
        wakers[i] = mco::current_waker();
        if (registered.fetch_add(1) + 1 == kCoroutines) main_waker.unpark();
        while (!release.load()) mco::park();
        woken.fetch_add(1);
      }));
    }
    while (registered.load() < kCoroutines) mco::park();
    EXPECT_EQ(woken.load(), 0);
    release = true;
    for (auto& w : wakers) w.unpark();
    for (auto& h : hs) h.join();
    EXPECT_EQ(woken.load(), kCoroutines);
  });
}

// Boots and shuts the scheduler down many times, each run ending with its
// main coroutine just woken (by another coroutine, by a timer), so other
// workers are being woken as run() shuts down. Runs in a child process, as
// the failure is an abort. Regression test for the shutdown race fixed in
// 4314b82 (uv_async_send() to a worker that had already closed its loop:
// SIGABRT in mco::rt::shutdown()); before the fix it failed here.
TEST(WakerShutdownDeathTest, RepeatedRunsExitCleanly) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        for (int i = 0; i < mco_test::scaled(300); ++i) {
          int rc = mco::run({.workers = 4}, [i] {
            mco::Waker me = mco::current_waker();
            auto h = mco::go([me] { me.unpark(); });
            mco::park();
            h.join();
            if (i % 2 == 1) (void)mco::park_for(1ms);
            return 0;
          });
          if (rc != 0) std::_Exit(2);
        }
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

INSTANTIATE_TEST_SUITE_P(Workers, WakerTest, ::testing::Values(1, 2, 4));

}  // namespace
