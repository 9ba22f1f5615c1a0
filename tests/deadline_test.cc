// Copyright 2026 The mco Authors.
//
// Tests of the workers' deadline heaps (runtime/timer.h): deadlines of parked
// coroutines fire never early, also on a worker that never idles, and waits
// that end early do not leave the heaps growing.

#include <atomic>
#include <chrono>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/sync/wait_group.h"
#include "mco/this_coroutine.h"
#include "runtime/clock.h"
#include "runtime/scheduler.h"
#include "tests/test_util.h"

namespace {

using mco::rt::Nanos;
using mco::rt::now_nanos;
using namespace std::chrono_literals;

class DeadlineTest : public mco_test::WorkersTest {};

TEST_P(DeadlineTest, ManyDeadlinesEndNeverEarly) {
  on_scheduler([] {
    constexpr int kCoroutines = mco_test::scaled(2000);
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> ms(0, 20);
    mco::sync::WaitGroup wg;
    std::atomic<int> early{0};
    std::atomic<int> timed_out{0};
    mco::Chan<int> never(0);  // nobody sends
    wg.add(kCoroutines);
    for (int i = 0; i < kCoroutines; ++i) {
      const auto wait = std::chrono::milliseconds(ms(rng));
      mco::go([&, wait] {
        const Nanos start = now_nanos();
        auto r = never.recv_for(wait);
        if (r.timed_out()) timed_out++;
        if (now_nanos() - start < std::chrono::nanoseconds(wait).count()) {
          early++;
        }
        wg.done();
      }).detach();
    }
    wg.wait();
    EXPECT_EQ(timed_out.load(), kCoroutines);
    EXPECT_EQ(early.load(), 0);
  });
}

// A worker that always has a coroutine to run still ends due deadlines.
TEST_P(DeadlineTest, DeadlinePassesOnABusyWorker) {
  on_scheduler([] {
    std::atomic<bool> woke{false};
    auto sleeper = mco::go([&] {
      mco::sleep(5ms);
      woke = true;
    });
    // Spinners that only yield keep every worker busy until the sleeper wakes
    // (bounded: they give up after 10 s and the test fails).
    std::vector<mco::JoinHandle<void>> spinners;
    for (int i = 0; i < mco::num_workers(); ++i) {
      spinners.push_back(mco::go([&] {
        const Nanos give_up = now_nanos() + Nanos{10'000'000'000};
        while (!woke.load() && now_nanos() < give_up) mco::yield_now();
      }));
    }
    for (auto& s : spinners) s.join();
    sleeper.join();
    EXPECT_TRUE(woke.load());
  });
}

// Receives that are satisfied long before their (far) deadline leave stale
// entries behind; the heaps drop them instead of growing with every wait.
TEST_P(DeadlineTest, EarlyWakeupsDoNotGrowTheHeaps) {
  on_scheduler([] {
    constexpr int kRounds = mco_test::scaled(20000);
    mco::Chan<int> ch(0);  // unbuffered
    const int64_t before =
        static_cast<int64_t>(mco::rt::scheduler_stats().deadline_entries);
    auto receiver = mco::go([&] {
      long sum = 0;
      for (int i = 0; i < kRounds; ++i) {
        auto r = ch.recv_for(1h);
        EXPECT_TRUE(r.ok());
        if (r.ok()) sum += *r.value;
      }
      return sum;
    });
    long expected = 0;
    for (int i = 0; i < kRounds; ++i) {
      ch.send(i);
      expected += i;
    }
    EXPECT_EQ(receiver.join(), expected);
    const int64_t after =
        static_cast<int64_t>(mco::rt::scheduler_stats().deadline_entries);
    // Compaction keeps at most about twice the live entries plus a small
    // floor per worker; without it every round would leave one.
    EXPECT_LT(after - before, 200 * mco::num_workers() + 200);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, DeadlineTest, ::testing::Values(1, 2, 4));

}  // namespace
