// Copyright 2026 The mco Authors.
//
// Tests of mco/cancel.h: cancelling coroutines parked in sleep, join, park
// and yield_now, or not yet blocked; DeferCancel regions; is_cancelled and
// check_cancel; catching Cancelled; no panic report for cancelled coroutines;
// plain threads; cancelling finished coroutines. With 1, 2 and 4 workers.

#include "mco/cancel.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/waker.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class CancelTest : public mco_test::WorkersTest {};

using mco_test::Event;

// Sets a flag in its destructor.
struct SetOnDestroy {
  std::atomic<bool>* flag;
  ~SetOnDestroy() { flag->store(true); }
};

// Spawns `f` in a coroutine and cancels it before `f` starts: the coroutine
// spins (no cancellation point) until the request has been made.
template <typename F>
auto go_cancelled(F f) {
  auto released = std::make_shared<std::atomic<bool>>(false);
  auto h = mco::go([released, f = std::move(f)]() mutable {
    while (!released->load()) {
    }
    return f();
  });
  h.cancel();
  released->store(true);
  return h;
}

TEST_P(CancelTest, CancelSleepingCoroutineUnwindsItsStack) {
  on_scheduler([] {
    std::atomic<bool> destroyed{false};
    std::atomic<bool> after_sleep{false};
    Event started;
    auto h = mco::go([&] {
      SetOnDestroy guard{&destroyed};
      started.set();
      mco::sleep(1h);
      after_sleep = true;
    });
    started.wait();
    EXPECT_FALSE(destroyed.load());
    const auto t0 = Clock::now();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_LT(Clock::now() - t0, 60s);
    EXPECT_TRUE(destroyed.load());
    EXPECT_FALSE(after_sleep.load());
    EXPECT_FALSE(h.joinable());
  });
}

TEST_P(CancelTest, CancelFromPlainThread) {
  on_scheduler([] {
    std::atomic<bool> destroyed{false};
    Event started;
    auto h = mco::go([&] {
      SetOnDestroy guard{&destroyed};
      started.set();
      mco::sleep(1h);
    });
    started.wait();
    std::thread t([&] { h.cancel(); });
    t.join();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_TRUE(destroyed.load());
  });
}

TEST_P(CancelTest, CancelBeforeFirstBlockingCall) {
  on_scheduler([] {
    std::atomic<bool> saw_request{false};
    std::atomic<int> work{0};
    std::atomic<bool> after_sleep{false};
    auto h = go_cancelled([&] {
      // Plain computation is not interrupted.
      saw_request = mco::is_cancelled();
      for (int i = 0; i < 1000; ++i) work.fetch_add(1);
      mco::sleep(1h);  // the first blocking call throws at once
      after_sleep = true;
    });
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_TRUE(saw_request.load());
    EXPECT_EQ(work.load(), 1000);
    EXPECT_FALSE(after_sleep.load());
  });
}

TEST_P(CancelTest, EachKindOfBlockingCallThrowsWhenAlreadyCancelled) {
  on_scheduler([] {
    EXPECT_THROW(go_cancelled([] { mco::yield_now(); }).join(), mco::Cancelled);
    EXPECT_THROW(go_cancelled([] { mco::sleep(0ms); }).join(), mco::Cancelled);
    EXPECT_THROW(go_cancelled([] { mco::sleep(1h); }).join(), mco::Cancelled);
    EXPECT_THROW(go_cancelled([] { mco::park(); }).join(), mco::Cancelled);
    EXPECT_THROW(go_cancelled([] { (void)mco::park_for(1h); }).join(),
                 mco::Cancelled);

    // join() of a coroutine that has not finished.
    std::atomic<bool> release{false};
    mco::Waker other_waker;
    Event other_ready;
    auto other = mco::go([&] {
      other_waker = mco::current_waker();
      other_ready.set();
      while (!release.load()) mco::park();
      return 1;
    });
    other_ready.wait();
    EXPECT_THROW(go_cancelled([&] { return other.join(); }).join(),
                 mco::Cancelled);
    // The failed join left `other` joinable.
    EXPECT_TRUE(other.joinable());
    release = true;
    other_waker.unpark();
    EXPECT_EQ(other.join(), 1);
  });
}

TEST_P(CancelTest, CancelWhileJoiningAnotherCoroutine) {
  on_scheduler([] {
    std::atomic<bool> release_b{false};
    mco::Waker b_waker;
    Event b_ready;
    auto b = mco::go([&] {
      b_waker = mco::current_waker();
      b_ready.set();
      while (!release_b.load()) mco::park();
      return 5;
    });
    b_ready.wait();

    std::atomic<bool> join_threw{false};
    std::atomic<bool> destroyed{false};
    Event a_joining;
    auto a = mco::go([&] {
      SetOnDestroy guard{&destroyed};
      a_joining.set();
      try {
        (void)b.join();
      } catch (const mco::Cancelled&) {
        join_threw = true;
        throw;
      }
    });
    a_joining.wait();
    a.cancel();
    EXPECT_THROW(a.join(), mco::Cancelled);
    EXPECT_TRUE(join_threw.load());
    EXPECT_TRUE(destroyed.load());

    // Cancelling the joiner did not touch the joined coroutine, and the
    // interrupted join left its handle joinable.
    EXPECT_TRUE(b.joinable());
    EXPECT_FALSE(b.is_finished());
    release_b = true;
    b_waker.unpark();
    EXPECT_EQ(b.join(), 5);
  });
}

TEST_P(CancelTest, CancelWhileParked) {
  on_scheduler([] {
    std::atomic<bool> destroyed{false};
    std::atomic<int> wakeups{0};
    Event started;
    auto h = mco::go([&] {
      SetOnDestroy guard{&destroyed};
      started.set();
      for (;;) {
        mco::park();  // nobody unparks it
        ++wakeups;
      }
    });
    started.wait();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_TRUE(destroyed.load());
    EXPECT_EQ(wakeups.load(), 0);
  });
}

TEST_P(CancelTest, CancelWhileInTimedPark) {
  on_scheduler([] {
    Event started;
    auto h = mco::go([&] {
      started.set();
      return mco::park_for(1h);
    });
    started.wait();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
  });
}

TEST_P(CancelTest, CancelWhileYielding) {
  on_scheduler([] {
    std::atomic<bool> destroyed{false};
    std::atomic<long> yields{0};
    Event started;
    auto h = mco::go([&] {
      SetOnDestroy guard{&destroyed};
      started.set();
      for (;;) {
        mco::yield_now();
        yields.fetch_add(1);
      }
    });
    started.wait();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_TRUE(destroyed.load());
  });
}

TEST_P(CancelTest, DeferCancelRegionIsNotInterrupted) {
  on_scheduler([] {
    std::atomic<bool> cancel_sent{false};
    mco::Waker child;
    Event in_region;
    std::atomic<bool> seen_inside{false};
    std::atomic<bool> region_done{false};
    std::atomic<bool> after_region{false};
    std::atomic<int64_t> slept_ns{0};
    auto h = mco::go([&] {
      {
        mco::DeferCancel no_cancel;
        child = mco::current_waker();
        in_region.set();
        // The request arrives while parked here: the park is not ended by it.
        while (!cancel_sent.load()) mco::park();
        seen_inside = mco::is_cancelled();
        const auto t0 = Clock::now();
        mco::sleep(5ms);  // completes
        slept_ns = std::chrono::nanoseconds(Clock::now() - t0).count();
        mco::yield_now();
        mco::check_cancel();
        (void)mco::park_for(1ms);  // a Waker park: not interrupted either
        region_done = true;
      }
      mco::sleep(1h);  // the pending request fires here
      after_region = true;
    });
    in_region.wait();
    h.cancel();
    cancel_sent = true;
    child.unpark();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_TRUE(seen_inside.load());
    EXPECT_TRUE(region_done.load());
    EXPECT_GE(slept_ns.load(), std::chrono::nanoseconds(5ms).count());
    EXPECT_FALSE(after_region.load());
  });
}

TEST_P(CancelTest, DeferCancelJoinWaitsForTheChild) {
  on_scheduler([] {
    auto h = go_cancelled([] {
      mco::DeferCancel no_cancel;
      auto child = mco::go([] {
        mco::sleep(5ms);
        return 3;
      });
      return child.join();  // not interrupted
    });
    EXPECT_EQ(h.join(), 3);  // returned normally: the request never fired
  });
}

TEST_P(CancelTest, NestedDeferCancel) {
  on_scheduler([] {
    std::atomic<int> stage{0};
    auto h = go_cancelled([&] {
      {
        mco::DeferCancel outer;
        {
          mco::DeferCancel inner;
          mco::sleep(1ms);
          mco::yield_now();
          stage = 1;
        }
        // Still deferred by `outer`.
        mco::sleep(1ms);
        mco::yield_now();
        mco::check_cancel();
        EXPECT_TRUE(mco::is_cancelled());
        stage = 2;
      }
      try {
        mco::yield_now();
      } catch (const mco::Cancelled&) {
        stage = 3;
        throw;
      }
      stage = 4;
    });
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_EQ(stage.load(), 3);
  });
}

TEST_P(CancelTest, IsCancelledAndCheckCancel) {
  on_scheduler([] {
    // Not cancelled: neither reports anything.
    EXPECT_FALSE(mco::is_cancelled());
    EXPECT_NO_THROW(mco::check_cancel());
    auto plain = mco::go([] {
      mco::check_cancel();
      return mco::is_cancelled();
    });
    EXPECT_FALSE(plain.join());

    std::atomic<int> throws{0};
    std::atomic<bool> deferred_ok{false};
    auto h = go_cancelled([&] {
      EXPECT_TRUE(mco::is_cancelled());
      for (int i = 0; i < 2; ++i) {
        try {
          mco::check_cancel();
        } catch (const mco::Cancelled&) {
          ++throws;  // the request stays pending: it throws every time
        }
      }
      {
        mco::DeferCancel no_cancel;
        mco::check_cancel();  // deferred: no throw
        deferred_ok = mco::is_cancelled();
      }
      mco::check_cancel();
    });
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_EQ(throws.load(), 2);
    EXPECT_TRUE(deferred_ok.load());
  });
}

TEST_P(CancelTest, CatchCancelledAndReturnValue) {
  on_scheduler([] {
    std::atomic<bool> caught{false};
    std::atomic<bool> threw_again{false};
    Event started;
    auto h = mco::go([&] {
      started.set();
      try {
        mco::sleep(1h);
      } catch (const mco::Cancelled&) {
        caught = true;
      }
      // The request stays pending: the next blocking call throws again...
      try {
        mco::yield_now();
      } catch (const mco::Cancelled&) {
        threw_again = true;
      }
      // ...but cleanup may block inside a DeferCancel region.
      {
        mco::DeferCancel no_cancel;
        mco::sleep(1ms);
      }
      return 42;
    });
    started.wait();
    h.cancel();
    EXPECT_EQ(h.join(), 42);
    EXPECT_TRUE(caught.load());
    EXPECT_TRUE(threw_again.load());
  });
}

TEST_P(CancelTest, CancelledCoroutineIsNotReportedAsPanic) {
  testing::internal::CaptureStderr();
  on_scheduler([] {
    // Joined: join rethrows Cancelled.
    {
      Event started;
      auto h = mco::go_named("joined", [&] {
        started.set();
        mco::sleep(1h);
      });
      started.wait();
      h.cancel();
      EXPECT_THROW(h.join(), mco::Cancelled);
    }
    // Finished cancelled, then dropped without join.
    {
      Event started;
      auto h = mco::go_named("dropped", [&] {
        started.set();
        mco::sleep(1h);
      });
      started.wait();
      h.cancel();
      EXPECT_TRUE(h.wait_for(1h));
    }
    // Detached while running, then cancelled (its end is reported, if at all,
    // when it finishes; run() waits for that).
    {
      Event unwound;
      Event started;
      auto h = mco::go_named("detached", [&] {
        struct Notify {
          Event* e;
          ~Notify() { e->set(); }
        } notify{&unwound};
        started.set();
        mco::sleep(1h);
      });
      started.wait();
      h.cancel();
      h.detach();
      unwound.wait();
    }
    // Control: a real panic of a dropped handle is reported.
    {
      auto h = mco::go_named("control", [] { throw std::runtime_error("x"); });
      EXPECT_TRUE(h.wait_for(1h));
    }
  });
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("'control' panicked: x"), std::string::npos) << err;
  EXPECT_EQ(err.find("'joined'"), std::string::npos) << err;
  EXPECT_EQ(err.find("'dropped'"), std::string::npos) << err;
  EXPECT_EQ(err.find("'detached'"), std::string::npos) << err;
  EXPECT_EQ(err.find("cancelled"), std::string::npos) << err;
}

TEST_P(CancelTest, CancelFinishedCoroutineIsHarmless) {
  on_scheduler([] {
    auto h = mco::go([] { return 9; });
    EXPECT_TRUE(h.wait_for(1h));
    h.cancel();
    h.cancel();
    EXPECT_EQ(h.join(), 9);
    h.cancel();  // empty handle: no-op
    mco::JoinHandle<int> empty;
    empty.cancel();
    EXPECT_FALSE(empty.joinable());
  });
}

TEST_P(CancelTest, CancelIgnoredWithoutBlockingCall) {
  on_scheduler([] {
    // A coroutine that never reaches a cancellation point ends normally.
    auto h = go_cancelled([] {
      int s = 0;
      for (int i = 0; i < 100; ++i) s += i;
      return s;
    });
    EXPECT_EQ(h.join(), 4950);
  });
}

TEST_P(CancelTest, PlainThreadInsideSchedulerIsNotCancellable) {
  on_scheduler([] {
    std::atomic<bool> ok{false};
    Event done;
    std::thread t([&] {
      EXPECT_FALSE(mco::this_coroutine::in_coroutine());
      EXPECT_FALSE(mco::is_cancelled());
      EXPECT_NO_THROW(mco::check_cancel());
      {
        mco::DeferCancel a;
        {
          mco::DeferCancel b;
          mco::sleep(1ms);
          mco::yield_now();
        }
        auto h = mco::go([] { return 4; });
        EXPECT_EQ(h.join(), 4);
        ok = true;
      }
      done.set();
    });
    done.wait();  // parks: with one worker, the thread's coroutine needs it
    t.join();
    EXPECT_TRUE(ok.load());
  });
}

TEST(CancelPlainThread, NothingIsCancellableAndDeferIsNoOp) {
  EXPECT_FALSE(mco::this_coroutine::in_coroutine());
  EXPECT_FALSE(mco::is_cancelled());
  EXPECT_NO_THROW(mco::check_cancel());
  {
    mco::DeferCancel a;
    mco::DeferCancel b;
    EXPECT_FALSE(mco::is_cancelled());
    EXPECT_NO_THROW(mco::check_cancel());
    const auto t0 = Clock::now();
    mco::sleep(2ms);
    EXPECT_GE(Clock::now() - t0, 2ms);
  }
  EXPECT_NO_THROW(mco::yield_now());
  EXPECT_NO_THROW(mco::check_cancel());
}

INSTANTIATE_TEST_SUITE_P(Workers, CancelTest, ::testing::Values(1, 2, 4));

}  // namespace
