// Copyright 2026 The mco Authors.
//
// Tests of runtime/dump.h (mco::coroutine_dump and SIGQUIT): every live
// coroutine appears with its id, name and state, parked ones with a
// symbolised backtrace that reaches the user's function, with 1 and 2
// workers.

#include "runtime/dump.h"

#include <signal.h>

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
#include "runtime/clock.h"
#include "runtime/monitor.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;

// Distinct frames the backtraces must reach. Kept out of line, and with work
// after the blocking call so it is not a tail call.
__attribute__((noinline)) int receive_in_dump_test_frame(mco::Chan<int> ch) {
  std::optional<int> v = ch.recv();
  asm volatile("" ::: "memory");
  return v.value_or(-1);
}

__attribute__((noinline)) void lock_in_dump_test_frame(mco::sync::Mutex* mu) {
  mu->lock();
  asm volatile("" ::: "memory");
  mu->unlock();
}

// The block of the dump about coroutine `id`: its header line and frames.
std::string block_of(const std::string& dump, uint64_t id) {
  const std::string head = "\ncoroutine " + std::to_string(id) + " ";
  const size_t at = dump.find(head);
  if (at == std::string::npos) return "";
  const size_t end = dump.find("\ncoroutine ", at + 1);
  return dump.substr(
      at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
}

// Takes dumps until `ready` holds (the coroutines reached their waits),
// giving up after 10 s.
template <typename Ready>
std::string dump_when(Ready ready) {
  const mco::rt::Nanos until = mco::rt::deadline_after(10'000'000'000);
  std::string dump;
  do {
    dump = mco::coroutine_dump();
    if (ready(dump)) break;
    mco::yield_now();
  } while (mco::rt::now_nanos() < until);
  return dump;
}

class DumpTest : public mco_test::WorkersTest {};

TEST_P(DumpTest, ParkedCoroutinesShowNameReasonAndBacktrace) {
  on_scheduler([] {
    mco::Chan<int> ch(0);
    mco::sync::Mutex mu;
    mu.lock();
    auto receiver = mco::Builder().name("receiver").spawn([ch] {
      return receive_in_dump_test_frame(ch);
    });
    auto locker = mco::Builder().name("locker").spawn(
        [&mu] { lock_in_dump_test_frame(&mu); });
    auto sleeper = mco::Builder().name("sleeper").spawn([] { mco::sleep(1h); });

    const std::string dump = dump_when([&](const std::string& d) {
      return block_of(d, receiver.id()).find("[parked") != std::string::npos &&
             block_of(d, locker.id()).find("[parked") != std::string::npos &&
             block_of(d, sleeper.id()).find("[parked") != std::string::npos;
    });

    const std::string r = block_of(dump, receiver.id());
    EXPECT_NE(r.find("\"receiver\" [parked on chan receive]:"),
              std::string::npos)
        << dump;
    EXPECT_NE(r.find("receive_in_dump_test_frame"), std::string::npos) << dump;
    const std::string l = block_of(dump, locker.id());
    EXPECT_NE(l.find("\"locker\" [parked on mutex]:"), std::string::npos)
        << dump;
    EXPECT_NE(l.find("lock_in_dump_test_frame"), std::string::npos) << dump;
    EXPECT_NE(block_of(dump, sleeper.id()).find("[parked on sleep]"),
              std::string::npos)
        << dump;
    // The caller is running, and its own backtrace is taken in place.
    const std::string self = block_of(dump, mco::this_coroutine::id());
    EXPECT_NE(self.find("\"main\" [running on worker "), std::string::npos)
        << dump;
    EXPECT_NE(self.find("coroutine_dump"), std::string::npos) << dump;
    EXPECT_NE(dump.find("mco: "), std::string::npos);

    ch.send(7);
    EXPECT_EQ(receiver.join(), 7);
    mu.unlock();
    locker.join();
    sleeper.cancel();
    EXPECT_THROW(sleeper.join(), mco::Cancelled);
  });
}

TEST_P(DumpTest, CancelRequestIsShown) {
  on_scheduler([] {
    mco::Chan<int> ch(0);
    auto h = mco::go([ch]() mutable {
      mco::DeferCancel defer;  // parks on, despite the request
      (void)ch.recv();
    });
    h.cancel();
    const std::string dump = dump_when([&](const std::string& d) {
      return block_of(d, h.id()).find("[parked") != std::string::npos;
    });
    EXPECT_NE(block_of(dump, h.id())
                  .find("[parked on chan receive, cancel requested]"),
              std::string::npos)
        << dump;
    ch.send(1);
    h.join();
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, DumpTest, ::testing::Values(1, 2));

TEST(Dump, RunningCoroutineOnAnotherWorker) {
  int rc = mco::run({.workers = 2}, [] {
    std::atomic<bool> started{false}, stop{false};
    // Never switches out until told: its worker cannot pause.
    auto spinner = mco::Builder().name("spinner").spawn([&] {
      started.store(true);
      while (!stop.load()) {
      }
    });
    while (!started.load()) mco::yield_now();
    const std::string dump = mco::coroutine_dump();
    stop.store(true);
    const uint64_t id = spinner.id();
    spinner.join();
    const std::string s = block_of(dump, id);
    EXPECT_NE(s.find("\"spinner\" [running on worker "), std::string::npos)
        << dump;
    EXPECT_EQ(s.find("#0"), std::string::npos) << dump;  // no backtrace
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(Dump, FromAPlainThread) {
  int rc = mco::run({.workers = 2}, [] {
    mco::Chan<int> ch(0);
    auto receiver = mco::Builder().name("receiver").spawn([ch] {
      return receive_in_dump_test_frame(ch);
    });
    std::string dump;
    std::thread t([&] {
      const mco::rt::Nanos until = mco::rt::deadline_after(10'000'000'000);
      do {
        dump = mco::coroutine_dump();
      } while (block_of(dump, receiver.id()).find("[parked") ==
                   std::string::npos &&
               mco::rt::now_nanos() < until);
    });
    t.join();  // blocks this worker: the dump waits for it, then goes on
    EXPECT_NE(block_of(dump, receiver.id()).find("receive_in_dump_test_frame"),
              std::string::npos)
        << dump;
    ch.send(1);
    receiver.join();
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(Dump, WithoutScheduler) {
  EXPECT_EQ(mco::coroutine_dump(), "mco: no scheduler is running\n");
}

TEST(Dump, SigquitPrintsTheDumpAndTheProgramGoesOn) {
  int rc = mco::run({.workers = 2}, [] {
    mco::Chan<int> ch(0);
    auto receiver = mco::Builder().name("quit-receiver").spawn([ch] {
      return receive_in_dump_test_frame(ch);
    });
    const uint64_t before = mco::rt::monitor_stats().dumps;
    ::testing::internal::CaptureStderr();
    raise(SIGQUIT);
    while (mco::rt::monitor_stats().dumps == before) {
      mco::yield_now();
    }
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("\"quit-receiver\""), std::string::npos) << err;
    EXPECT_NE(err.find("\"main\""), std::string::npos) << err;
    ch.send(3);
    EXPECT_EQ(receiver.join(), 3);
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

}  // namespace
