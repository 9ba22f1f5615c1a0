// Copyright 2026 The mco Authors.
//
// Tests of mco/signal/signal.h: delivery of raised and killed signals (in
// select too), several channels, stop, full and closed channels, ignore and
// reset, plain threads, bad input, and subscriptions ending with the
// scheduler. With 1, 2 and 4 workers.
//
// Ordering used throughout: raise() runs the handler before it returns, and
// libuv's handler queues one message per arrival on the home loop's pipe,
// which the home worker reads in order. So once a later "marker" signal was
// received, every earlier arrival has been handled.
//
// Never raise a signal nothing is subscribed to: its default action would
// end the test.

#include "mco/signal/signal.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

#include "gtest/gtest.h"
#include "mco/chan/select.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/waker.h"
#include "tests/test_util.h"

namespace {

namespace sig = mco::signal;
using namespace std::chrono_literals;

// The disposition of `sig`: SIG_DFL, SIG_IGN or a handler.
void (*disposition(int sig))(int) {
  struct sigaction sa = {};
  sigaction(sig, nullptr, &sa);
  return sa.sa_handler;
}

class SignalTest : public mco_test::WorkersTest {};

TEST_P(SignalTest, RaisedSignalIsReceived) {
  on_scheduler([] {
    mco::Chan<int> ch(1);
    sig::notify(ch, {SIGUSR1});
    raise(SIGUSR1);
    EXPECT_EQ(ch.recv(), SIGUSR1);
    raise(SIGUSR1);  // again
    EXPECT_EQ(ch.recv(), SIGUSR1);
    sig::stop(ch);
    EXPECT_EQ(disposition(SIGUSR1), SIG_DFL);  // no subscriber left
  });
}

TEST_P(SignalTest, KilledSignalIsReceivedInSelect) {
  on_scheduler([] {
    mco::Chan<int> ch(1);
    mco::Chan<int> other;  // nil: never ready
    sig::notify(ch, {SIGHUP, SIGUSR2});
    ASSERT_EQ(kill(getpid(), SIGHUP), 0);
    std::optional<int> got;
    size_t chosen =
        mco::select(mco::recv(other, [](std::optional<int>) {}),
                    mco::recv(ch, [&](std::optional<int> s) { got = s; }),
                    mco::timeout(30s, [] { ADD_FAILURE() << "no signal"; }));
    EXPECT_EQ(chosen, 1u);
    EXPECT_EQ(got, SIGHUP);
    raise(SIGUSR2);  // the same channel, another signal
    EXPECT_EQ(ch.recv(), SIGUSR2);
    sig::stop(ch);
  });
}

TEST_P(SignalTest, EveryChannelGetsItAndStopEndsDelivery) {
  on_scheduler([] {
    mco::Chan<int> a(4);
    mco::Chan<int> b(4);
    sig::notify(a, {SIGUSR1});
    sig::notify(b, {SIGUSR1});
    sig::notify(b, {SIGUSR1});  // again: still one subscription
    raise(SIGUSR1);
    EXPECT_EQ(a.recv(), SIGUSR1);
    EXPECT_EQ(b.recv(), SIGUSR1);
    EXPECT_EQ(b.len(), 0u);

    sig::stop(a);
    raise(SIGUSR1);
    EXPECT_EQ(b.recv(), SIGUSR1);  // delivered to b, and a is past
    EXPECT_EQ(a.len(), 0u);
    sig::stop(a);  // stopping twice is harmless
    sig::stop(b);
  });
}

TEST_P(SignalTest, FullChannelMissesSignalsClosedOneIsSkipped) {
  on_scheduler([] {
    mco::Chan<int> ch(1);
    mco::Chan<int> closed(1);
    mco::Chan<int> marker(1);
    sig::notify(ch, {SIGUSR1});
    sig::notify(closed, {SIGUSR1});
    sig::notify(marker, {SIGUSR2});
    closed.close();
    for (int i = 0; i < 3; ++i) raise(SIGUSR1);
    raise(SIGUSR2);
    EXPECT_EQ(marker.recv(), SIGUSR2);  // so the three were handled
    EXPECT_EQ(ch.len(), 1u);            // two were dropped
    EXPECT_EQ(ch.recv(), SIGUSR1);
    EXPECT_EQ(closed.recv(), std::nullopt);
    sig::stop(ch);
    sig::stop(closed);
    sig::stop(marker);
  });
}

TEST_P(SignalTest, IgnoreAndReset) {
  on_scheduler([] {
    mco::Chan<int> ch(1);
    mco::Chan<int> marker(1);
    sig::notify(ch, {SIGUSR2});
    sig::notify(marker, {SIGUSR1});
    sig::ignore({SIGUSR2});  // ends ch's subscription too
    EXPECT_EQ(disposition(SIGUSR2), SIG_IGN);
    raise(SIGUSR2);  // ignored: the process lives on
    raise(SIGUSR1);
    EXPECT_EQ(marker.recv(), SIGUSR1);
    EXPECT_EQ(ch.len(), 0u);

    sig::notify(ch, {SIGUSR2});  // handled again
    EXPECT_NE(disposition(SIGUSR2), SIG_IGN);
    raise(SIGUSR2);
    EXPECT_EQ(ch.recv(), SIGUSR2);

    sig::reset({SIGUSR2});
    EXPECT_EQ(disposition(SIGUSR2), SIG_DFL);
    sig::ignore({SIGUSR2});
    sig::reset();  // every signal used: SIGUSR1 and SIGUSR2
    EXPECT_EQ(disposition(SIGUSR1), SIG_DFL);
    EXPECT_EQ(disposition(SIGUSR2), SIG_DFL);
  });
}

TEST_P(SignalTest, PlainThreadSubscribes) {
  on_scheduler([] {
    mco::Chan<int> ch(1);
    mco_test::Event subscribed;
    std::thread t([&] {
      sig::notify(ch, {SIGUSR1});
      subscribed.set();
    });
    subscribed.wait();
    t.join();
    raise(SIGUSR1);
    EXPECT_EQ(ch.recv(), SIGUSR1);
    mco_test::Event stopped;  // (joining at once would block the worker
    std::thread u([&] {       // that stop() waits for)
      sig::stop(ch);
      stopped.set();
    });
    stopped.wait();
    u.join();
    EXPECT_EQ(disposition(SIGUSR1), SIG_DFL);
  });
}

TEST_P(SignalTest, RefusesBadInputAndLeavesSigsegvAlone) {
  on_scheduler([] {
    struct sigaction before = {};
    sigaction(SIGSEGV, nullptr, &before);
    mco::Chan<int> ch(1);
    mco::Chan<int> nil;
    EXPECT_THROW(sig::notify(nil, {SIGUSR1}), std::invalid_argument);
    EXPECT_THROW(sig::notify(ch, {}), std::invalid_argument);
    for (int bad : {0, -1, 1000, SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGFPE,
                    SIGILL, SIGTRAP}) {
      EXPECT_THROW(sig::notify(ch, {SIGUSR1, bad}), std::invalid_argument)
          << bad;
      EXPECT_THROW(sig::ignore({bad}), std::invalid_argument) << bad;
      EXPECT_THROW(sig::reset({bad}), std::invalid_argument) << bad;
    }
    EXPECT_EQ(disposition(SIGUSR1), SIG_DFL);  // nothing was subscribed
    struct sigaction after = {};
    sigaction(SIGSEGV, nullptr, &after);
    EXPECT_EQ(after.sa_sigaction, before.sa_sigaction);
    EXPECT_EQ(after.sa_flags, before.sa_flags);
  });
}

TEST_P(SignalTest, CancelledCoroutineCannotSubscribe) {
  on_scheduler([] {
    mco::Chan<int> ch(1);
    mco_test::Event ready;
    mco::Waker waker;
    std::atomic<bool> cancelled{false};
    auto g = mco::go([&] {
      {
        mco::DeferCancel no_cancel;  // cancelled while it waits here
        waker = mco::current_waker();
        ready.set();
        while (!cancelled.load()) mco::park();
      }
      sig::notify(ch, {SIGUSR1});  // a cancellation point
    });
    ready.wait();
    g.cancel();
    cancelled = true;
    waker.unpark();
    EXPECT_THROW(g.join(), mco::Cancelled);
    EXPECT_EQ(disposition(SIGUSR1), SIG_DFL);  // nothing was subscribed
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, SignalTest, ::testing::Values(1, 2, 4));

TEST(SignalScheduler, SubscriptionsEndWithTheSchedulerAndWorkAfterReboot) {
  for (int round = 0; round < 3; ++round) {
    int rc = mco::run({.workers = 2}, [] {
      mco::Chan<int> ch(1);
      sig::notify(ch, {SIGUSR1, SIGHUP});
      raise(SIGUSR1);
      return ch.recv() == SIGUSR1 ? 0 : 1;
      // No stop(): shutting down ends the subscription.
    });
    EXPECT_EQ(rc, 0);
    EXPECT_EQ(disposition(SIGUSR1), SIG_DFL);
    EXPECT_EQ(disposition(SIGHUP), SIG_DFL);
  }
}

TEST(SignalScheduler, NotifyNeedsARunningScheduler) {
  mco::Chan<int> ch(1);
  EXPECT_THROW(sig::notify(ch, {SIGUSR1}), std::logic_error);
  sig::stop(ch);  // harmless
  sig::ignore({SIGUSR2});
  EXPECT_EQ(disposition(SIGUSR2), SIG_IGN);
  sig::reset({SIGUSR2});
  EXPECT_EQ(disposition(SIGUSR2), SIG_DFL);
}

}  // namespace
