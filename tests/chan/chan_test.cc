// Copyright 2026 The mco Authors.
//
// Tests of mco/chan/chan.h: unbuffered rendezvous, buffered FIFO, close
// semantics, nil channels, move-only elements, try/timed operations (and
// timeouts racing with transfers), cancellation, plain threads, the
// concurrent prime sieve, and many-producer/many-consumer stress with
// checksums. With 1, 2 and 4 workers.

#include "mco/chan/chan.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
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
using mco::Chan;
using mco::ChanClosedError;
using mco::ChanStatus;

class ChanTest : public mco_test::WorkersTest {};

// A blocking receive whose timeout has already expired still lets other
// coroutines run: on one worker, a loop of such receives must not starve the
// coroutine that would end it (bounded: the loop gives up after 5 s).
TEST(ChanFairness, ExpiredTimeoutsLetOthersRun) {
  mco::run({.workers = 1}, [] {
    Chan<int> ch(0);
    std::atomic<bool> other_ran{false};
    auto other = mco::go([&] { other_ran = true; });
    const auto give_up = Clock::now() + 5s;
    while (!other_ran.load() && Clock::now() < give_up) {
      auto r = ch.recv_for(1ns);
      EXPECT_TRUE(r.timed_out());
      EXPECT_FALSE(ch.send_for(1, 1ns));
    }
    EXPECT_TRUE(other_ran.load());
    other.join();
    return 0;
  });
}

// Expects `f()` to throw ChanClosedError with Go's message `what`.
template <typename F>
void expect_closed_error(F f, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << "expected ChanClosedError(\"" << what << "\")";
  } catch (const ChanClosedError& e) {
    EXPECT_EQ(std::string(e.what()), what);
  }
}

TEST_P(ChanTest, UnbufferedSendReturnsOnlyAfterReceiverTookValue) {
  on_scheduler([] {
    constexpr int kRounds = 500;
    Chan<int> ch(0);
    std::atomic<int> recv_calls{0};  // receives started
    std::atomic<int> received{0};
    auto h = mco::go([&] {
      for (int i = 0; i < kRounds; ++i) {
        recv_calls.fetch_add(1);
        std::optional<int> v = ch.recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(*v, i);
        received.fetch_add(1);
      }
    });
    for (int i = 0; i < kRounds; ++i) {
      ch.send(i);
      // The rendezvous: the receiver had entered its i-th receive, and the
      // value is with it, not in the channel.
      EXPECT_GE(recv_calls.load(), i + 1);
      EXPECT_EQ(ch.len(), 0u);
    }
    h.join();
    EXPECT_EQ(received.load(), kRounds);
    EXPECT_EQ(ch.cap(), 0u);
  });
}

TEST_P(ChanTest, UnbufferedSendBlocksWithoutReceiver) {
  on_scheduler([] {
    Chan<int> ch(0);
    int v = 7;
    EXPECT_FALSE(ch.try_send(v));
    EXPECT_FALSE(ch.send_for(v, 5ms));
    EXPECT_EQ(v, 7);
    // A sender stays blocked until a receiver arrives.
    std::atomic<bool> sent{false};
    auto h = mco::go([&] {
      ch.send(42);
      sent = true;
    });
    for (int i = 0; i < 50; ++i) mco::yield_now();
    EXPECT_FALSE(sent.load());
    EXPECT_EQ(ch.recv(), 42);
    h.join();
    EXPECT_TRUE(sent.load());
  });
}

TEST_P(ChanTest, BufferedFifoLenCap) {
  on_scheduler([] {
    Chan<int> ch(10);
    EXPECT_EQ(ch.cap(), 10u);
    EXPECT_EQ(ch.len(), 0u);
    for (int i = 0; i < 10; ++i) {
      ch.send(i);
      EXPECT_EQ(ch.len(), static_cast<size_t>(i + 1));
    }
    int extra = 99;
    EXPECT_FALSE(ch.try_send(extra));
    // Interleave to wrap the ring around.
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < 5; ++i) EXPECT_EQ(ch.recv(), round * 5 + i);
      for (int i = 0; i < 5; ++i) ch.send(10 + round * 5 + i);
    }
    for (int i = 15; i < 25; ++i) EXPECT_EQ(ch.recv(), i);
    EXPECT_EQ(ch.len(), 0u);
    EXPECT_EQ(ch.cap(), 10u);
  });
}

TEST_P(ChanTest, BlockedSendersRefillBufferInOrder) {
  on_scheduler([] {
    Chan<int> ch(2);
    ch.send(0);
    ch.send(1);
    std::atomic<int> started{0};
    // Senders 2, 3, 4 queue up, one after another.
    std::vector<mco::JoinHandle<void>> hs;
    for (int i = 2; i < 5; ++i) {
      hs.push_back(mco::go([&, i] {
        started.fetch_add(1);
        ch.send(i);
      }));
      while (started.load() < i - 1) mco::yield_now();
      // Give it the chance to park before the next one queues.
      for (int k = 0; k < 20; ++k) mco::yield_now();
    }
    for (int i = 0; i < 5; ++i) EXPECT_EQ(ch.recv(), i);
    for (auto& h : hs) h.join();
  });
}

TEST_P(ChanTest, CloseDrainsThenReportsClosed) {
  on_scheduler([] {
    Chan<std::string> ch(4);
    ch.send("a");
    ch.send("b");
    EXPECT_FALSE(ch.is_closed());
    ch.close();
    EXPECT_TRUE(ch.is_closed());
    EXPECT_EQ(ch.len(), 2u);
    EXPECT_EQ(ch.recv(), "a");
    auto r = ch.try_recv();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r.value, "b");
    EXPECT_EQ(ch.recv(), std::nullopt);
    EXPECT_EQ(ch.recv(), std::nullopt);
    EXPECT_TRUE(ch.try_recv().closed());
    EXPECT_TRUE(ch.recv_for(1h).closed());
    expect_closed_error([&] { ch.send("c"); }, "send on closed channel");
    std::string keep = "keep";
    expect_closed_error([&] { (void)ch.try_send(keep); },
                        "send on closed channel");
    expect_closed_error([&] { (void)ch.send_for(keep, 1ms); },
                        "send on closed channel");
    EXPECT_EQ(keep, "keep");
    expect_closed_error([&] { ch.close(); }, "close of closed channel");
    Chan<int> nil;
    expect_closed_error([&] { nil.close(); }, "close of nil channel");
  });
}

TEST_P(ChanTest, CloseWakesBlockedReceiversAndSenders) {
  on_scheduler([] {
    constexpr int kEach = 8;
    Chan<int> rch(0);  // receivers block here
    Chan<int> sch(1);  // senders block here (buffer full)
    sch.send(-1);
    std::atomic<int> entered{0};
    std::atomic<int> saw_closed{0};
    std::atomic<int> threw{0};
    std::vector<mco::JoinHandle<void>> hs;
    for (int i = 0; i < kEach; ++i) {
      hs.push_back(mco::go([&] {
        entered.fetch_add(1);
        if (!rch.recv().has_value()) saw_closed.fetch_add(1);
      }));
      hs.push_back(mco::go([&, i] {
        entered.fetch_add(1);
        try {
          sch.send(i);
        } catch (const ChanClosedError& e) {
          EXPECT_STREQ(e.what(), "send on closed channel");
          threw.fetch_add(1);
        }
      }));
    }
    while (entered.load() < 2 * kEach) mco::yield_now();
    for (int k = 0; k < 20; ++k) mco::yield_now();  // let them park
    rch.close();
    sch.close();
    for (auto& h : hs) h.join();
    EXPECT_EQ(saw_closed.load(), kEach);
    EXPECT_EQ(threw.load(), kEach);
    EXPECT_EQ(sch.recv(), -1);  // the buffered value survives the close
    EXPECT_EQ(sch.recv(), std::nullopt);
  });
}

TEST_P(ChanTest, NilChannel) {
  on_scheduler([] {
    Chan<int> nil;
    EXPECT_FALSE(static_cast<bool>(nil));
    EXPECT_EQ(nil.len(), 0u);
    EXPECT_EQ(nil.cap(), 0u);
    EXPECT_FALSE(nil.is_closed());
    int v = 1;
    EXPECT_FALSE(nil.try_send(v));
    EXPECT_TRUE(nil.try_recv().timed_out());
    const auto t0 = Clock::now();
    EXPECT_FALSE(nil.send_for(v, 5ms));
    EXPECT_TRUE(nil.recv_for(5ms).timed_out());
    EXPECT_GE(Clock::now() - t0, 10ms);
    // Blocks until cancelled.
    auto h = mco::go([nil]() mutable { (void)nil.recv(); });
    for (int k = 0; k < 10; ++k) mco::yield_now();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    Chan<int> a(1);
    Chan<int> b = a;
    EXPECT_TRUE(a == b);
    EXPECT_TRUE(a != nil);
  });
}

TEST_P(ChanTest, MoveOnlyElements) {
  on_scheduler([] {
    for (size_t cap : {0u, 1u, 4u}) {
      Chan<std::unique_ptr<int>> ch(cap);
      auto h = mco::go([ch]() mutable {
        for (int i = 0; i < 100; ++i) ch.send(std::make_unique<int>(i));
        ch.close();
      });
      int expect = 0;
      for (std::unique_ptr<int> p : ch) {
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(*p, expect++);
      }
      EXPECT_EQ(expect, 100);
      h.join();
    }
    // try_send leaves the value alone on failure, moves it on success.
    Chan<std::unique_ptr<int>> ch(1);
    auto p = std::make_unique<int>(5);
    EXPECT_TRUE(ch.try_send(p));
    EXPECT_EQ(p, nullptr);
    auto q = std::make_unique<int>(6);
    EXPECT_FALSE(ch.try_send(q));
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(*q, 6);
    EXPECT_FALSE(ch.send_for(std::move(q), 1ms));
    ASSERT_NE(q, nullptr);  // not moved from: it was not sent
    EXPECT_EQ(**ch.recv(), 5);
  });
}

// Counts moves and copies of elements.
struct Counted {
  static std::atomic<int> copies;
  static std::atomic<int> moves;
  int v = 0;
  explicit Counted(int x) : v(x) {}
  Counted(const Counted& o) : v(o.v) { copies.fetch_add(1); }
  Counted(Counted&& o) noexcept : v(o.v) { moves.fetch_add(1); }
  Counted& operator=(const Counted& o) {
    v = o.v;
    copies.fetch_add(1);
    return *this;
  }
  Counted& operator=(Counted&& o) noexcept {
    v = o.v;
    moves.fetch_add(1);
    return *this;
  }
};
std::atomic<int> Counted::copies{0};
std::atomic<int> Counted::moves{0};

TEST_P(ChanTest, NoCopiesAndOneMovePerHop) {
  on_scheduler([] {
    Counted::copies = 0;
    Counted::moves = 0;
    Chan<Counted> buffered(1);
    buffered.send(Counted(1));                     // sender -> buffer: one move
    std::optional<Counted> got = buffered.recv();  // buffer -> result: one
    EXPECT_EQ(got->v, 1);
    EXPECT_EQ(Counted::moves.load(), 2);
    // Unbuffered, receiver waiting: one move, sender straight into result.
    Counted::moves = 0;
    Chan<Counted> unbuffered(0);
    auto h = mco::go([unbuffered]() mutable { return unbuffered.recv()->v; });
    Counted c(2);
    unbuffered.send(std::move(c));
    EXPECT_EQ(h.join(), 2);
    // Whichever side came first, the value moved once: sender -> result.
    EXPECT_EQ(Counted::moves.load(), 1);
    EXPECT_EQ(Counted::copies.load(), 0);
  });
}

TEST_P(ChanTest, RangeForUntilClose) {
  on_scheduler([] {
    Chan<int> ch(3);
    auto h = mco::go([ch]() mutable {
      for (int i = 1; i <= 1000; ++i) ch.send(i);
      ch.close();
    });
    long sum = 0;
    int n = 0;
    for (int v : ch) {
      sum += v;
      ++n;
    }
    h.join();
    EXPECT_EQ(n, 1000);
    EXPECT_EQ(sum, 1000L * 1001 / 2);
  });
}

TEST_P(ChanTest, TrySendTryRecv) {
  on_scheduler([] {
    Chan<int> ch(1);
    EXPECT_TRUE(ch.try_recv().timed_out());
    EXPECT_TRUE(ch.try_send(1));
    EXPECT_FALSE(ch.try_send(2));
    auto r = ch.try_recv();
    EXPECT_EQ(r.status, ChanStatus::kOk);
    EXPECT_EQ(r.value, 1);
    // Unbuffered: try_send succeeds only with a receiver waiting.
    Chan<int> u(0);
    auto h = mco::go([u]() mutable { return *u.recv(); });
    int v = 9;
    while (!u.try_send(v)) mco::yield_now();
    EXPECT_EQ(h.join(), 9);
    // And try_recv only with a sender waiting.
    auto g = mco::go([u]() mutable { u.send(10); });
    mco::RecvResult<int> got;
    while (!(got = u.try_recv()).ok()) mco::yield_now();
    EXPECT_EQ(got.value, 10);
    g.join();
  });
}

TEST_P(ChanTest, TimedOperations) {
  on_scheduler([] {
    Chan<int> ch(1);
    auto t0 = Clock::now();
    auto r = ch.recv_for(20ms);
    EXPECT_TRUE(r.timed_out());
    EXPECT_FALSE(r.value.has_value());
    EXPECT_GE(Clock::now() - t0, 20ms);
    ch.send(1);
    t0 = Clock::now();
    int v = 2;
    EXPECT_FALSE(ch.send_until(v, Clock::now() + 20ms));
    EXPECT_GE(Clock::now() - t0, 20ms);
    EXPECT_EQ(v, 2);
    EXPECT_TRUE(ch.recv_until(Clock::now() + 1h).ok());
    EXPECT_TRUE(ch.send_for(v, 1h));
    EXPECT_EQ(ch.recv_for(0ms).value, 2);  // a ready value beats a 0 timeout
    // A timed receive woken by a sender.
    auto h = mco::go([ch]() mutable { ch.send(3); });
    EXPECT_EQ(ch.recv_for(1h).value, 3);
    h.join();
  });
}

// Timeouts race with transfers: every value is either received or, if the
// timeout won, still the sender's (send_for false) or in the buffer.
TEST_P(ChanTest, TimeoutsRacingWithTransfersLoseNothing) {
  on_scheduler([] {
    for (size_t cap : {0u, 1u}) {
      constexpr int kRounds = 2000;
      Chan<std::unique_ptr<int>> ch(cap);
      std::atomic<long> sent_sum{0};
      std::atomic<long> kept_sum{0};
      auto sender = mco::go([&, ch]() mutable {
        for (int i = 1; i <= kRounds; ++i) {
          auto p = std::make_unique<int>(i);
          if (ch.send_for(p, std::chrono::microseconds(i % 50))) {
            EXPECT_EQ(p, nullptr);
            sent_sum.fetch_add(i);
          } else {
            ASSERT_NE(p, nullptr);  // returned to the sender, intact
            EXPECT_EQ(*p, i);
            kept_sum.fetch_add(i);
          }
        }
      });
      long got = 0;
      for (int i = 0; i < kRounds; ++i) {
        auto r = ch.recv_for(std::chrono::microseconds((i * 7) % 60));
        if (r.ok()) got += **r.value;
      }
      sender.join();
      while (true) {  // what the receiver's timeouts left in the buffer
        auto r = ch.try_recv();
        if (!r.ok()) break;
        got += **r.value;
      }
      EXPECT_EQ(got, sent_sum.load()) << "cap " << cap;
      EXPECT_EQ(sent_sum.load() + kept_sum.load(),
                long{kRounds} * (kRounds + 1) / 2);
    }
  });
}

TEST_P(ChanTest, CancelWhileBlockedInSendAndRecv) {
  on_scheduler([] {
    Chan<std::unique_ptr<int>> ch(0);
    std::atomic<int> entered{0};
    auto receiver = mco::go([&, ch]() mutable {
      entered.fetch_add(1);
      (void)ch.recv();
    });
    std::atomic<bool> value_intact{false};
    Chan<std::unique_ptr<int>> full(1);
    full.send(std::make_unique<int>(0));
    auto sender = mco::go([&, full]() mutable {
      auto p = std::make_unique<int>(1);
      entered.fetch_add(1);
      try {
        full.send(std::move(p));
      } catch (const mco::Cancelled&) {
        value_intact = p != nullptr && *p == 1;
        throw;
      }
    });
    while (entered.load() < 2) mco::yield_now();
    for (int k = 0; k < 20; ++k) mco::yield_now();
    receiver.cancel();
    sender.cancel();
    EXPECT_THROW(receiver.join(), mco::Cancelled);
    EXPECT_THROW(sender.join(), mco::Cancelled);
    EXPECT_TRUE(value_intact.load());
    // Nothing was left behind: the receiver withdrew, the sender too.
    auto p = std::make_unique<int>(2);
    EXPECT_FALSE(ch.try_send(p));
    EXPECT_EQ(full.len(), 1u);
    EXPECT_EQ(**full.recv(), 0);
    EXPECT_TRUE(full.try_recv().timed_out());
    // A pending cancellation fires at the next blocking call even when it
    // would not block.
    Chan<int> go_on(0);
    Chan<int> ready(1);
    ready.send(1);
    auto h = mco::go([go_on, ready]() mutable {
      {
        mco::DeferCancel defer;  // this receive is not interrupted
        (void)go_on.recv();
      }
      (void)ready.recv();  // would not block, but a request is pending
    });
    h.cancel();
    go_on.send(0);
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_EQ(ready.len(), 1u);
  });
}

TEST_P(ChanTest, PlainThreadAndCoroutine) {
  on_scheduler([] {
    constexpr int kN = 2000;
    Chan<int> to_co(0);
    Chan<int> to_thread(0);
    auto co = mco::go([&] {
      long sum = 0;
      for (int i = 0; i < kN; ++i) {
        int v = *to_co.recv();
        sum += v;
        to_thread.send(v * 2);
      }
      return sum;
    });
    long thread_sum = 0;
    Chan<int> thread_done(0);
    std::thread t([&] {
      for (int i = 0; i < kN; ++i) {
        to_co.send(i);
        thread_sum += *to_thread.recv();
      }
      // Timed ops block the thread too.
      EXPECT_TRUE(to_thread.recv_for(5ms).timed_out());
      thread_done.close();
    });
    // Park (never block the worker: with one worker `co` could not run).
    EXPECT_EQ(thread_done.recv(), std::nullopt);
    t.join();
    EXPECT_EQ(co.join(), long{kN} * (kN - 1) / 2);
    EXPECT_EQ(thread_sum, long{kN} * (kN - 1));
  });
}

TEST(ChanPlainThread, ThreadsOnly) {
  Chan<int> ch(0);
  std::thread t([&] {
    for (int i = 0; i < 1000; ++i) ch.send(i);
    ch.close();
  });
  long sum = 0;
  for (int v : ch) sum += v;
  t.join();
  EXPECT_EQ(sum, 999L * 1000 / 2);
}

// The concurrent prime sieve (https://go.dev/doc/play/sieve.go).
std::vector<int> sieve(int n) {
  Chan<int> ch(0);
  auto gen = mco::go([ch]() mutable {
    try {
      for (int i = 2;; ++i) ch.send(i);
    } catch (const mco::Cancelled&) {
    }
  });
  std::vector<mco::JoinHandle<void>> filters;
  std::vector<int> primes;
  for (int i = 0; i < n; ++i) {
    const int prime = *ch.recv();
    primes.push_back(prime);
    Chan<int> next(0);
    filters.push_back(mco::go([in = ch, out = next, prime]() mutable {
      try {
        for (;;) {
          const int v = *in.recv();
          if (v % prime != 0) out.send(v);
        }
      } catch (const mco::Cancelled&) {
      }
    }));
    ch = next;
  }
  gen.cancel();
  for (auto& f : filters) f.cancel();
  gen.join();
  for (auto& f : filters) f.join();
  return primes;
}

TEST_P(ChanTest, PrimeSieve) {
  on_scheduler([] {
    std::vector<int> primes = sieve(100);
    ASSERT_EQ(primes.size(), 100u);
    std::vector<int> expect;
    for (int k = 2; expect.size() < 100; ++k) {
      bool prime = true;
      for (int d = 2; d * d <= k; ++d) prime = prime && k % d != 0;
      if (prime) expect.push_back(k);
    }
    EXPECT_EQ(primes, expect);
    EXPECT_EQ(primes.back(), 541);
  });
}

TEST_P(ChanTest, ManyProducersManyConsumersChecksum) {
  on_scheduler([] {
    constexpr int kProducers = 4;
    constexpr int kConsumers = 4;
    constexpr int kItems = 100'000;
    for (size_t cap : {0u, 64u}) {
      Chan<int> ch(cap);
      std::vector<mco::JoinHandle<void>> producers;
      for (int p = 0; p < kProducers; ++p) {
        producers.push_back(mco::go([ch, p]() mutable {
          for (int i = p; i < kItems; i += kProducers) ch.send(i);
        }));
      }
      std::vector<mco::JoinHandle<std::pair<long, long>>> consumers;
      for (int c = 0; c < kConsumers; ++c) {
        consumers.push_back(mco::go([ch]() mutable {
          long sum = 0;
          long count = 0;
          for (int v : ch) {
            sum += v;
            ++count;
          }
          return std::make_pair(sum, count);
        }));
      }
      for (auto& p : producers) p.join();
      ch.close();
      long sum = 0;
      long count = 0;
      for (auto& c : consumers) {
        auto [s, n] = c.join();
        sum += s;
        count += n;
      }
      EXPECT_EQ(count, kItems) << "cap " << cap;
      EXPECT_EQ(sum, long{kItems} * (kItems - 1) / 2) << "cap " << cap;
    }
  });
}

// Many coroutines, mixed blocking/try/timed operations: every element is
// received exactly once.
TEST_P(ChanTest, StressNoElementLostOrDuplicated) {
  on_scheduler([] {
    constexpr int kProducers = 32;
    constexpr int kConsumers = 32;
    constexpr int kPerProducer = 1000;
    constexpr int kTotal = kProducers * kPerProducer;
    for (size_t cap : {0u, 1u, 16u}) {
      Chan<int> ch(cap);
      std::vector<std::atomic<int>> seen(kTotal);
      for (auto& s : seen) s = 0;
      std::vector<mco::JoinHandle<void>> producers;
      for (int p = 0; p < kProducers; ++p) {
        producers.push_back(mco::go([ch, p]() mutable {
          for (int i = 0; i < kPerProducer; ++i) {
            int v = p * kPerProducer + i;
            switch (i % 3) {
              case 0:
                ch.send(v);
                break;
              case 1:
                while (!ch.try_send(v)) mco::yield_now();
                break;
              default:
                while (!ch.send_for(v, std::chrono::microseconds(20))) {
                }
            }
          }
        }));
      }
      std::vector<mco::JoinHandle<void>> consumers;
      for (int c = 0; c < kConsumers; ++c) {
        consumers.push_back(mco::go([ch, c, &seen]() mutable {
          for (int k = 0;; ++k) {
            std::optional<int> v;
            if ((k + c) % 2 == 0) {
              v = ch.recv();
              if (!v) return;
            } else {
              auto r = ch.recv_for(std::chrono::microseconds(30));
              if (r.closed()) return;
              if (!r.ok()) continue;
              v = std::move(r.value);
            }
            seen[*v].fetch_add(1);
          }
        }));
      }
      for (auto& p : producers) p.join();
      ch.close();
      for (auto& c : consumers) c.join();
      int bad = 0;
      for (int i = 0; i < kTotal; ++i) bad += seen[i].load() != 1;
      EXPECT_EQ(bad, 0) << "cap " << cap;
    }
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, ChanTest, ::testing::Values(1, 2, 4));

}  // namespace
