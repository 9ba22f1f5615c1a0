// Copyright 2026 The mco Authors.
//
// Tests of runtime/monitor.h, the deadlock detector: a program whose
// coroutines all wait on each other stops with Go's message, the dump and
// status 2; anything outside the coroutines that could still wake one (a
// deadline, a pending timer, an ExternalWakeSource, a plain thread of the
// program) keeps it from reporting.

#include "runtime/monitor.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/sync/mutex.h"
#include "mco/this_coroutine.h"
#include "mco/time/timer.h"
#include "runtime/clock.h"

namespace {

using namespace std::chrono_literals;

// Every coroutine waits on another: main on a channel nobody sends to, one
// coroutine on a mutex main holds.
int deadlocked_program(int workers) {
  return mco::run({.workers = workers}, [] {
    mco::Chan<int> never(0);
    mco::sync::Mutex mu;
    mu.lock();
    auto locker = mco::Builder().name("locker").spawn([&mu] {
      mu.lock();
      mu.unlock();
    });
    (void)never.recv();
    return 0;
  });
}

TEST(DeadlockDeathTest, AllAsleepIsReportedWithTheDump) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (int workers : {1, 2}) {
    EXPECT_EXIT(deadlocked_program(workers), ::testing::ExitedWithCode(2),
                "mco: fatal: all coroutines are asleep - deadlock!"
                ".*coroutine 1 \"main\" \\[parked on chan receive\\]"
                ".*\"locker\" \\[parked on mutex\\]")
        << workers << " workers";
  }
}

// Waits (on a plain thread) until the detector has looked at the program
// while `main` was parked, and found it could still go on.
void wait_for_a_check_while_parked() {
  const mco::rt::Nanos until = mco::rt::deadline_after(20'000'000'000);
  // Once a dump shows main parked, it stays parked until this thread wakes
  // it; after the dump the workers go idle again, which makes the detector
  // look. The count is read before the dump, so that look cannot be missed.
  uint64_t before = 0;
  for (;;) {
    before = mco::rt::monitor_stats().deadlock_checks;
    if (mco::coroutine_dump().find("\"main\" [parked on chan receive]") !=
        std::string::npos) {
      break;
    }
    ASSERT_LT(mco::rt::now_nanos(), until);
    std::this_thread::yield();
  }
  while (mco::rt::monitor_stats().deadlock_checks == before) {
    ASSERT_LT(mco::rt::now_nanos(), until);
    std::this_thread::yield();
  }
}

TEST(Deadlock, PendingTimerIsNotADeadlock) {
  mco::Chan<int> wake(1);
  std::thread helper;
  int rc = mco::run({.workers = 2}, [&] {
    // Only the timer could wake someone; nobody reads it, but the detector
    // cannot know that.
    mco::Chan<mco::time::Instant> later = mco::time::after(mco::time::Hour);
    helper = std::thread([wake]() mutable {
      wait_for_a_check_while_parked();
      wake.send(1);
    });
    return *wake.recv() == 1 ? 0 : 1;
  });
  helper.join();
  EXPECT_EQ(rc, 0);
}

TEST(Deadlock, ExternalWakeSourceIsNotADeadlock) {
  mco::Chan<int> wake(1);
  std::thread helper;
  int rc = mco::run({.workers = 2}, [&] {
    helper = std::thread([wake, source = mco::ExternalWakeSource()]() mutable {
      wait_for_a_check_while_parked();
      wake.send(1);
    });
    return *wake.recv() == 1 ? 0 : 1;
  });
  helper.join();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(mco::rt::wake_sources(), 0);
}

// A plain thread of the program may wake a coroutine without holding a wake
// source (runtime/threads.h): while it is alive, a quiet scheduler is not a
// deadlock.
TEST(Deadlock, PlainThreadAliveIsNotADeadlock) {
  mco::Chan<int> wake(1);
  std::thread helper;
  int rc = mco::run({.workers = 2}, [&] {
    helper = std::thread([wake]() mutable {
      wait_for_a_check_while_parked();
      wake.send(1);
    });
    return *wake.recv() == 1 ? 0 : 1;
  });
  helper.join();
  EXPECT_EQ(rc, 0);
}

TEST(Deadlock, TimedWaitIsNotADeadlock) {
  // main sleeps past the grace period while another coroutine waits for
  // good: the sleep's deadline will wake main, so there is no deadlock.
  int rc = mco::run({.workers = 2}, [] {
    mco::Chan<int> never(0);
    auto waiter = mco::go([never]() mutable { (void)never.recv(); });
    const uint64_t before = mco::rt::monitor_stats().deadlock_checks;
    mco::sleep(3 * std::chrono::nanoseconds(mco::rt::kGracePeriod));
    EXPECT_GT(mco::rt::monitor_stats().deadlock_checks, before);
    waiter.cancel();
    EXPECT_THROW(waiter.join(), mco::Cancelled);
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(Deadlock, ProgramThatFinishesIsNotReported) {
  // Coroutines that all end, with idle moments on the way.
  int rc = mco::run({.workers = 2}, [] {
    mco::Chan<int> ch(0);
    auto producer = mco::go([ch]() mutable {
      for (int i = 0; i < 100; ++i) ch.send(i);
      ch.close();
    });
    int sum = 0;
    for (int v : ch) sum += v;
    producer.join();
    return sum == 4950 ? 0 : 1;
  });
  EXPECT_EQ(rc, 0);
}

}  // namespace
