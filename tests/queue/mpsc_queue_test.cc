// Copyright 2026 The mco Authors.
//
// Tests of mco/queue/mpsc_queue.h: single-thread semantics, move-only items,
// destruction of queued items, a throwing constructor, and a stress of many
// producers and one consumer on threads and on coroutines (1 and 2 workers)
// checking per-producer FIFO order and that no item is lost or duplicated.

#include "mco/queue/mpsc_queue.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/this_coroutine.h"
#include "tests/test_util.h"

namespace {

using mco::queue::MpscQueue;

TEST(MpscQueue, FifoOnOneThread) {
  MpscQueue<std::string> q;
  EXPECT_TRUE(q.empty_approx());
  EXPECT_FALSE(q.try_pop().has_value());
  for (int i = 0; i < 100; ++i) q.push(std::to_string(i));
  q.emplace(3, 'z');
  EXPECT_FALSE(q.empty_approx());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(q.try_pop(), std::to_string(i));
  EXPECT_EQ(q.try_pop(), "zzz");
  EXPECT_FALSE(q.try_pop().has_value());
  EXPECT_TRUE(q.empty_approx());
}

TEST(MpscQueue, MoveOnlyItems) {
  MpscQueue<std::unique_ptr<int>> q;
  q.push(std::make_unique<int>(7));
  q.emplace(new int(8));
  EXPECT_EQ(**q.try_pop(), 7);
  EXPECT_EQ(**q.try_pop(), 8);
}

TEST(MpscQueue, DestroysQueuedItems) {
  auto token = std::make_shared<int>(0);
  {
    MpscQueue<std::shared_ptr<int>> q;
    for (int i = 0; i < 10; ++i) q.push(token);
    (void)q.try_pop();
    EXPECT_EQ(token.use_count(), 10);
  }
  EXPECT_EQ(token.use_count(), 1);
}

struct Throws {
  explicit Throws(bool do_throw) {
    if (do_throw) throw std::runtime_error("ctor");
  }
};

TEST(MpscQueue, ThrowingConstructorLeavesQueueUnchanged) {
  MpscQueue<Throws> q;
  q.emplace(false);
  EXPECT_THROW(q.emplace(true), std::runtime_error);
  EXPECT_TRUE(q.try_pop().has_value());
  EXPECT_FALSE(q.try_pop().has_value());
}

constexpr int kProducers = 4;
constexpr uint64_t kPerProducer = 50'000;

uint64_t encode(int producer, uint64_t seq) {
  return (uint64_t{static_cast<uint32_t>(producer)} << 32) | seq;
}

// Pops every item; checks per-producer order; returns the sum of `seq`s.
template <typename Relax>
uint64_t consume_all(MpscQueue<uint64_t>& q, Relax relax) {
  std::vector<uint64_t> next(kProducers, 1);
  uint64_t got = 0, sum = 0;
  while (got < kProducers * kPerProducer) {
    auto v = q.try_pop();
    if (!v) {
      relax();
      continue;
    }
    const int p = static_cast<int>(*v >> 32);
    const uint64_t seq = *v & 0xffffffffu;
    if (p < 0 || p >= kProducers || seq != next[p]) {
      ADD_FAILURE() << "producer " << p << " item " << seq;
      return 0;
    }
    ++next[p];
    sum += seq;
    ++got;
  }
  return sum;
}

constexpr uint64_t kWantSum =
    kProducers * (kPerProducer * (kPerProducer + 1) / 2);

TEST(MpscQueue, StressThreads) {
  MpscQueue<uint64_t> q;
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&q, p] {
      for (uint64_t i = 1; i <= kPerProducer; ++i) q.push(encode(p, i));
    });
  }
  const uint64_t sum = consume_all(q, [] { std::this_thread::yield(); });
  for (auto& t : producers) t.join();
  EXPECT_EQ(sum, kWantSum);
  EXPECT_FALSE(q.try_pop().has_value());
}

class MpscQueueCoroutines : public mco_test::WorkersTest {};

TEST_P(MpscQueueCoroutines, Stress) {
  on_scheduler([] {
    MpscQueue<uint64_t> q;
    std::vector<mco::JoinHandle<void>> producers;
    for (int p = 0; p < kProducers; ++p) {
      producers.push_back(mco::go([&q, p] {
        for (uint64_t i = 1; i <= kPerProducer; ++i) {
          q.push(encode(p, i));
          if (i % 1024 == 0) mco::yield_now();
        }
      }));
    }
    const uint64_t sum = consume_all(q, [] { mco::yield_now(); });
    for (auto& h : producers) h.join();
    EXPECT_EQ(sum, kWantSum);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, MpscQueueCoroutines, ::testing::Values(1, 2));

}  // namespace
