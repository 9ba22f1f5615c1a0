// Copyright 2026 The mco Authors.
//
// Tests of mco/chan/select.h: ready cases, fairness, nil channels, default
// and timeout cases, closed channels, send cases (and what happens to their
// values), blocking selects woken by others, cancellation, selects racing
// selects, and the dynamic form. With 1, 2 and 4 workers.

#include "mco/chan/select.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using mco::Chan;

class SelectTest : public mco_test::WorkersTest {};

// A select whose timeout has already expired still lets other coroutines run
// (see ChanFairness in chan_test.cc; bounded: the loop gives up after 5 s).
TEST(SelectFairness, ExpiredTimeoutsLetOthersRun) {
  mco::run({.workers = 1}, [] {
    Chan<int> a(0);
    std::atomic<bool> other_ran{false};
    auto other = mco::go([&] { other_ran = true; });
    const auto give_up = Clock::now() + 5s;
    while (!other_ran.load() && Clock::now() < give_up) {
      const size_t k = mco::select(mco::recv(a, [](std::optional<int>) {}),
                                   mco::timeout(1ns));
      EXPECT_EQ(k, 1u);
    }
    EXPECT_TRUE(other_ran.load());
    other.join();
    return 0;
  });
}

TEST_P(SelectTest, ReadyRecvAndSendCases) {
  on_scheduler([] {
    Chan<int> a(1);
    Chan<std::string> b(1);
    a.send(5);
    int got = 0;
    size_t i =
        mco::select(mco::recv(b, [&](std::optional<std::string>) { got = -1; }),
                    mco::recv(a, [&](std::optional<int> v) { got = *v; }));
    EXPECT_EQ(i, 1u);
    EXPECT_EQ(got, 5);
    bool sent = false;
    std::string s = "hi";
    i = mco::select(mco::recv(a), mco::send(b, s, [&] { sent = true; }));
    EXPECT_EQ(i, 1u);
    EXPECT_TRUE(sent);
    EXPECT_EQ(b.recv(), "hi");
    // A receive case whose function takes nothing.
    a.send(1);
    bool ran = false;
    EXPECT_EQ(mco::select(mco::recv(a, [&] { ran = true; })), 0u);
    EXPECT_TRUE(ran);
  });
}

TEST_P(SelectTest, FairnessBetweenReadyCases) {
  on_scheduler([] {
    constexpr int kSelects = 10'000;
    Chan<int> a(1);
    Chan<int> b(1);
    a.send(0);
    b.send(0);
    int count[2] = {0, 0};
    for (int k = 0; k < kSelects; ++k) {
      const size_t i =
          mco::select(mco::recv(a, [&](std::optional<int>) { a.send(0); }),
                      mco::recv(b, [&](std::optional<int>) { b.send(0); }));
      ++count[i];
    }
    // Binomial(10000, 0.5): sd = 50; 40-60% is 20 sd wide.
    EXPECT_GT(count[0], kSelects * 4 / 10);
    EXPECT_GT(count[1], kSelects * 4 / 10);
    // Three ready cases, two of them on one channel.
    int three[3] = {0, 0, 0};
    for (int k = 0; k < 9'000; ++k) {
      ++three[mco::select(mco::recv(a), mco::recv(a), mco::recv(b))];
      if (a.len() == 0) a.send(0);
      if (b.len() == 0) b.send(0);
    }
    for (int c : three) EXPECT_GT(c, 2'400);
  });
}

TEST_P(SelectTest, NilChannelNeverChosen) {
  on_scheduler([] {
    Chan<int> nil;
    Chan<int> ready(1);
    for (int k = 0; k < 1000; ++k) {
      ready.send(k);
      EXPECT_EQ(
          mco::select(mco::recv(nil), mco::send(nil, 1), mco::recv(ready)), 2u);
    }
    EXPECT_EQ(mco::select(mco::recv(nil), mco::default_case()), 1u);
    const auto t0 = Clock::now();
    EXPECT_EQ(
        mco::select(mco::recv(nil), mco::send(nil, 1), mco::timeout(10ms)), 2u);
    EXPECT_GE(Clock::now() - t0, 10ms);
  });
}

TEST_P(SelectTest, DefaultCase) {
  on_scheduler([] {
    Chan<int> a(1);
    Chan<int> u(0);
    bool dflt = false;
    EXPECT_EQ(mco::select(mco::recv(a), mco::recv(u), mco::send(u, 1),
                          mco::default_case([&] { dflt = true; })),
              3u);
    EXPECT_TRUE(dflt);
    a.send(1);
    EXPECT_EQ(mco::select(mco::default_case(), mco::recv(a)), 1u);
    // A timeout case is never chosen when there is a default.
    EXPECT_EQ(mco::select(mco::timeout(0ms), mco::recv(a), mco::default_case()),
              2u);
  });
}

TEST_P(SelectTest, TimeoutAndDeadlineCases) {
  on_scheduler([] {
    Chan<int> a(0);
    bool timed_out = false;
    auto t0 = Clock::now();
    EXPECT_EQ(mco::select(mco::recv(a),
                          mco::timeout(20ms, [&] { timed_out = true; })),
              1u);
    EXPECT_TRUE(timed_out);
    EXPECT_GE(Clock::now() - t0, 20ms);
    // The earliest of several.
    t0 = Clock::now();
    EXPECT_EQ(
        mco::select(mco::timeout(1h), mco::recv(a),
                    mco::deadline(Clock::now() + 10ms), mco::timeout(30ms)),
        2u);
    const auto took = Clock::now() - t0;
    EXPECT_GE(took, 10ms);
    // An expired timeout still lets a ready case win.
    Chan<int> b(1);
    b.send(1);
    EXPECT_EQ(mco::select(mco::timeout(-1s), mco::recv(b)), 1u);
    EXPECT_EQ(mco::select(mco::timeout(-1s), mco::recv(b)), 0u);
  });
}

TEST_P(SelectTest, ClosedChannels) {
  on_scheduler([] {
    Chan<int> a(1);
    a.close();
    std::optional<int> got = 7;
    EXPECT_EQ(mco::select(mco::recv(a, [&](std::optional<int> v) { got = v; }),
                          mco::default_case()),
              0u);
    EXPECT_EQ(got, std::nullopt);
    try {
      mco::select(mco::send(a, 1), mco::default_case());
      ADD_FAILURE() << "expected ChanClosedError";
    } catch (const mco::ChanClosedError& e) {
      EXPECT_STREQ(e.what(), "send on closed channel");
    }
    // A blocked select is woken by close.
    Chan<int> b(0);
    Chan<int> c(0);
    auto h = mco::go([b, c]() mutable {
      std::optional<int> v = 1;
      const size_t i = mco::select(
          mco::recv(b, [&](std::optional<int> x) { v = x; }), mco::recv(c));
      return i == 0 && !v.has_value();
    });
    for (int k = 0; k < 20; ++k) mco::yield_now();
    b.close();
    EXPECT_TRUE(h.join());
    // A select blocked in a send case throws when its channel closes.
    auto g = mco::go([c]() mutable { mco::select(mco::send(c, 3)); });
    for (int k = 0; k < 20; ++k) mco::yield_now();
    c.close();
    EXPECT_THROW(g.join(), mco::ChanClosedError);
  });
}

TEST_P(SelectTest, SendCaseValueMovedOnlyIfChosen) {
  on_scheduler([] {
    Chan<std::unique_ptr<int>> full(1);
    full.send(std::make_unique<int>(0));
    Chan<std::unique_ptr<int>> room(1);
    auto p = std::make_unique<int>(1);
    auto q = std::make_unique<int>(2);
    EXPECT_EQ(mco::select(mco::send(full, p), mco::default_case()), 1u);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(mco::select(mco::send(full, p), mco::send(room, q)), 1u);
    EXPECT_NE(p, nullptr);
    EXPECT_EQ(q, nullptr);
    EXPECT_EQ(**room.recv(), 2);
    // An rvalue is owned by the case.
    EXPECT_EQ(mco::select(mco::send(room, std::make_unique<int>(3))), 0u);
    EXPECT_EQ(**room.recv(), 3);
  });
}

TEST_P(SelectTest, BlockedSelectWokenBySenderAndReceiver) {
  on_scheduler([] {
    constexpr int kRounds = 1000;
    Chan<int> in(0);
    Chan<int> out(0);
    Chan<int> never(0);
    auto h = mco::go([=]() mutable {
      long sum = 0;
      for (int i = 0; i < kRounds; ++i) {
        int v = 0;
        EXPECT_EQ(
            mco::select(mco::recv(never),
                        mco::recv(in, [&](std::optional<int> x) { v = *x; })),
            1u);
        int reply = v * 2;
        EXPECT_EQ(mco::select(mco::send(out, reply), mco::recv(never)), 0u);
        sum += v;
      }
      return sum;
    });
    long replies = 0;
    for (int i = 0; i < kRounds; ++i) {
      in.send(i);
      replies += *out.recv();
    }
    EXPECT_EQ(h.join(), long{kRounds} * (kRounds - 1) / 2);
    EXPECT_EQ(replies, long{kRounds} * (kRounds - 1));
  });
}

TEST_P(SelectTest, CancelWhileBlockedInSelect) {
  on_scheduler([] {
    Chan<int> a(0);
    Chan<std::unique_ptr<int>> b(0);
    std::atomic<bool> entered{false};
    std::atomic<bool> kept{false};
    auto h = mco::go([&, a, b]() mutable {
      auto p = std::make_unique<int>(4);
      entered = true;
      try {
        mco::select(mco::recv(a), mco::send(b, p));
      } catch (const mco::Cancelled&) {
        kept = p != nullptr;
        throw;
      }
    });
    while (!entered.load()) mco::yield_now();
    for (int k = 0; k < 20; ++k) mco::yield_now();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_TRUE(kept.load());
    // It withdrew from both channels.
    int v = 1;
    EXPECT_FALSE(a.try_send(v));
    EXPECT_TRUE(b.try_recv().timed_out());
    // A select with nothing but a nil channel waits until cancelled.
    auto g = mco::go([] { mco::select(mco::recv(Chan<int>())); });
    h = std::move(g);
    for (int k = 0; k < 10; ++k) mco::yield_now();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
  });
}

// Selecting senders and selecting receivers on two shared channels, with
// timeouts: wakers lose races to other cases and to timeouts, and every
// value must still arrive exactly once.
TEST_P(SelectTest, SelectsRacingSelectsLoseNothing) {
  on_scheduler([] {
    constexpr int kSenders = 8;
    constexpr int kReceivers = 8;
    constexpr int kPerSender = 1000;
    constexpr int kTotal = kSenders * kPerSender;
    Chan<int> a(0);
    Chan<int> b(2);
    Chan<int> done(0);
    std::vector<std::atomic<int>> seen(kTotal);
    for (auto& s : seen) s = 0;
    std::vector<mco::JoinHandle<void>> senders;
    for (int s = 0; s < kSenders; ++s) {
      senders.push_back(mco::go([=]() mutable {
        for (int i = 0; i < kPerSender;) {
          int v = s * kPerSender + i;
          const size_t k =
              mco::select(mco::send(a, v), mco::send(b, v),
                          mco::timeout(std::chrono::microseconds(1 + i % 40)));
          if (k != 2) ++i;
        }
      }));
    }
    std::vector<mco::JoinHandle<void>> receivers;
    for (int r = 0; r < kReceivers; ++r) {
      receivers.push_back(mco::go([&, a, b, done]() mutable {
        for (bool stop = false; !stop;) {
          auto take = [&](std::optional<int> v) { seen[*v].fetch_add(1); };
          mco::select(mco::recv(a, take), mco::recv(b, take),
                      mco::recv(done, [&] { stop = true; }),
                      mco::timeout(std::chrono::microseconds(25)));
        }
      }));
    }
    for (auto& s : senders) s.join();
    done.close();
    for (auto& r : receivers) r.join();
    while (true) {  // values the receivers' timeouts left in b's buffer
      auto r = b.try_recv();
      if (!r.ok()) break;
      seen[*r.value].fetch_add(1);
    }
    int bad = 0;
    for (int i = 0; i < kTotal; ++i) bad += seen[i].load() != 1;
    EXPECT_EQ(bad, 0);
  });
}

TEST_P(SelectTest, SameChannelSendAndRecvCases) {
  on_scheduler([] {
    Chan<int> c(0);
    // Two coroutines each offer to send or receive on c: they pair up.
    auto one = [c]() mutable {
      int mine = 1;
      int got = 0;
      const size_t i =
          mco::select(mco::send(c, mine),
                      mco::recv(c, [&](std::optional<int> v) { got = *v; }));
      return i == 0 ? -1 : got;
    };
    for (int k = 0; k < 200; ++k) {
      auto h1 = mco::go(one);
      auto h2 = mco::go(one);
      const int r1 = h1.join();
      const int r2 = h2.join();
      EXPECT_TRUE((r1 == -1 && r2 == 1) || (r1 == 1 && r2 == -1))
          << r1 << " " << r2;
    }
  });
}

TEST_P(SelectTest, SelectFromVector) {
  on_scheduler([] {
    constexpr int kChans = 10;
    std::vector<Chan<int>> chans;
    for (int i = 0; i < kChans; ++i) chans.emplace_back(1);
    int got = -1;
    auto fn = [&](std::optional<int> v) { got = *v; };
    std::vector<mco::RecvCase<int, decltype(fn)>> cases;
    for (auto& ch : chans) cases.push_back(mco::recv(ch, fn));
    for (int i = kChans - 1; i >= 0; --i) {
      chans[i].send(i * 10);
      EXPECT_EQ(mco::select_from(cases), static_cast<size_t>(i));
      EXPECT_EQ(got, i * 10);
    }
    // Blocking, woken by another coroutine.
    auto h = mco::go([c = chans[3]]() mutable { c.send(33); });
    EXPECT_EQ(mco::select_from(cases), 3u);
    EXPECT_EQ(got, 33);
    h.join();
  });
}

TEST_P(SelectTest, PlainThreadSelects) {
  on_scheduler([] {
    Chan<int> a(0);
    Chan<int> b(0);
    auto h = mco::go([=]() mutable {
      for (int i = 0; i < 500; ++i) (i % 2 ? a : b).send(i);
    });
    long sum = 0;
    Chan<int> thread_done(0);
    std::thread t([&] {
      for (int i = 0; i < 500; ++i) {
        auto add = [&](std::optional<int> v) { sum += *v; };
        mco::select(mco::recv(a, add), mco::recv(b, add));
      }
      EXPECT_EQ(mco::select(mco::recv(a), mco::timeout(5ms)), 1u);
      thread_done.close();
    });
    // Park (never block the worker: with one worker `h` could not run).
    EXPECT_EQ(thread_done.recv(), std::nullopt);
    t.join();
    h.join();
    EXPECT_EQ(sum, 499L * 500 / 2);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, SelectTest, ::testing::Values(1, 2, 4));

}  // namespace
