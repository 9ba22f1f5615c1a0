// Copyright 2026 The mco Authors.
//
// Tests of mco/offload/offload.h: results, void and move-only results,
// exceptions, plain threads, 100 calls that block on each other (so they
// must all run at once, off the workers), cancellation and deadlines while
// the call runs on, the thread limit and idle threads leaving. With 1, 2
// and 4 workers.

#include "mco/offload/offload.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/cancel.h"
#include "mco/go.h"
#include "mco/sync/wait_group.h"
#include "mco/this_coroutine.h"
#include "mco/time/duration.h"
#include "tests/test_util.h"

namespace {

using mco::time::Millisecond;
using mco::time::Second;
namespace offload = mco::offload;

// A gate plain threads block on until it opens (C++17 has no std::latch).
class Gate {
 public:
  void open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // False if it did not open within `limit` (the test then fails instead of
  // hanging).
  bool wait(std::chrono::seconds limit = std::chrono::seconds(30)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Opens when `n` callers have arrived; each caller blocks until then.
class Latch {
 public:
  explicit Latch(int n) : left_(n) {}
  bool arrive_and_wait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--left_ == 0) cv_.notify_all();
    return cv_.wait_for(lock, std::chrono::seconds(30),
                        [&] { return left_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int left_;
};

// Polls `pred` (bounded): for pool states nothing signals.
template <typename Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 10000; ++i) {
    if (pred()) return true;
    mco::sleep(std::chrono::milliseconds(1));
  }
  return pred();
}

class OffloadTest : public mco_test::WorkersTest {};

TEST_P(OffloadTest, ReturnsTheResultFromAnotherThread) {
  on_scheduler([] {
    const std::thread::id caller = std::this_thread::get_id();
    std::thread::id ran_on;
    int v = offload::block_on([&] {
      ran_on = std::this_thread::get_id();
      return 6 * 7;
    });
    EXPECT_EQ(v, 42);
    EXPECT_NE(ran_on, caller);

    bool ran = false;
    offload::block_on([&] { ran = true; });  // void
    EXPECT_TRUE(ran);

    std::unique_ptr<std::string> p = offload::block_on(
        [] { return std::make_unique<std::string>("move-only"); });
    EXPECT_EQ(*p, "move-only");

    // The callable is destroyed (on the pool thread) before block_on
    // returns.
    auto token = std::make_shared<int>(1);
    std::weak_ptr<int> weak = token;
    offload::block_on([t = std::move(token)] { return *t; });
    EXPECT_TRUE(weak.expired());
  });
}

TEST_P(OffloadTest, ExceptionsAreRethrownToTheCaller) {
  on_scheduler([] {
    try {
      offload::block_on([]() -> int { throw std::runtime_error("boom"); });
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "boom");
    }
    EXPECT_THROW((void)offload::block_on_for(
                     [] { throw std::out_of_range("x"); }, Second),
                 std::out_of_range);
  });
}

TEST_P(OffloadTest, PlainThreadCallsInline) {
  on_scheduler([] {
    mco_test::Event done;
    bool same = false;
    std::thread t([&] {
      const std::thread::id me = std::this_thread::get_id();
      same =
          offload::block_on([&] { return std::this_thread::get_id(); }) == me;
      done.set();
    });
    done.wait();
    t.join();
    EXPECT_TRUE(same);
  });
}

TEST_P(OffloadTest, HundredBlockingCallsRunAtOnceOffTheWorkers) {
  on_scheduler([] {
    constexpr int kCalls = 100;
    Latch latch(kCalls);  // releases only once all 100 are blocked in it
    std::vector<mco::JoinHandle<int>> hs;
    for (int i = 0; i < kCalls; ++i) {
      hs.push_back(mco::go([&latch, i] {
        return offload::block_on(
            [&latch, i] { return latch.arrive_and_wait() ? i : -1; });
      }));
    }
    // The workers are free meanwhile: a coroutine still runs.
    EXPECT_EQ(mco::go([] { return 1; }).join(), 1);
    int sum = 0;
    for (auto& h : hs) sum += h.join();
    EXPECT_EQ(sum, kCalls * (kCalls - 1) / 2);
  });
}

TEST_P(OffloadTest, CancelledCallerStopsWaitingWhileTheCallRunsOn) {
  on_scheduler([] {
    auto gate = std::make_shared<Gate>();
    mco_test::Event started;
    mco_test::Event finished;
    auto h = mco::go([&, gate] {
      return offload::block_on([&, gate] {
        started.set();
        const bool opened = gate->wait();
        finished.set();
        return opened ? 1 : 0;
      });
    });
    started.wait();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    gate->open();  // the call was still running
    finished.wait();
  });
}

TEST_P(OffloadTest, DeadlineVariants) {
  on_scheduler([] {
    absl::StatusOr<int> fast =
        offload::block_on_for([] { return 7; }, 10 * Second);
    ASSERT_TRUE(fast.ok());
    EXPECT_EQ(*fast, 7);
    EXPECT_TRUE(offload::block_on_for([] {}, 10 * Second).ok());

    auto gate = std::make_shared<Gate>();
    mco_test::Event finished;
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<int> slow = offload::block_on_for(
        [&, gate] {
          gate->wait();
          finished.set();
          return 1;
        },
        20 * Millisecond);
    EXPECT_GE(std::chrono::steady_clock::now() - start,
              std::chrono::milliseconds(20));
    EXPECT_EQ(slow.status().code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_EQ(slow.status().message(), "offload: deadline exceeded");
    gate->open();
    finished.wait();

    // A deadline already passed: nothing runs.
    bool ran = false;
    absl::Status late = offload::block_on_until(
        [&] { ran = true; }, mco::time::Instant::now() - Second);
    EXPECT_EQ(late.code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_FALSE(ran);
  });
}

TEST_P(OffloadTest, ThreadLimitQueuesAndIdleThreadsLeave) {
  on_scheduler([] {
    EXPECT_THROW(offload::set_max_threads(0), std::invalid_argument);
    offload::set_max_threads(2);  // surplus threads leave
    EXPECT_TRUE(eventually([] { return offload::stats().threads <= 2; }));

    auto gate = std::make_shared<Gate>();
    mco::sync::WaitGroup started;
    started.add(2);
    std::atomic<int> ran{0};
    std::vector<mco::JoinHandle<void>> hs;
    for (int i = 0; i < 3; ++i) {
      hs.push_back(mco::go([&, gate] {
        offload::block_on([&, gate] {
          if (ran.fetch_add(1) < 2) started.done();
          gate->wait();
        });
      }));
    }
    started.wait();  // two calls run, on the two threads
    EXPECT_TRUE(eventually([] { return offload::stats().queued == 1; }));
    EXPECT_EQ(offload::stats().threads, 2);
    EXPECT_EQ(ran.load(), 2);  // the third waits for a thread
    gate->open();
    for (auto& h : hs) h.join();
    EXPECT_EQ(ran.load(), 3);

    offload::set_idle_timeout(20 * Millisecond);
    EXPECT_EQ(offload::idle_timeout(), 20 * Millisecond);
    offload::set_max_threads(1);
    offload::block_on([] {});  // the last thread idles with the new timeout
    EXPECT_TRUE(eventually([] { return offload::stats().threads == 0; }));
    offload::block_on([] {});  // a thread is created again on demand
    offload::set_idle_timeout(10 * Second);
    offload::set_max_threads(256);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, OffloadTest, ::testing::Values(1, 2, 4));

TEST(OffloadNoScheduler, CallsInline) {
  const std::thread::id me = std::this_thread::get_id();
  EXPECT_EQ(offload::block_on([] { return std::this_thread::get_id(); }), me);
  absl::StatusOr<int> r = offload::block_on_until(
      [] { return 3; }, mco::time::Instant::now() - Second);
  EXPECT_EQ(r.value_or(0), 3);  // no deadline on a plain thread
  EXPECT_THROW(offload::block_on([] { throw std::logic_error("x"); }),
               std::logic_error);
}

}  // namespace
