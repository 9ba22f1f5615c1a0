// Copyright 2026 The mco Authors.
//
// Tests of mco/queue/mpmc_queue.h: single-thread semantics, capacity, move-only
// items, a throwing constructor, destruction of queued items, and a stress of
// several producers and consumers on threads and on coroutines (1 and 2
// workers) checking that every item is taken exactly once.

#include "mco/queue/mpmc_queue.h"

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

using mco::queue::MpmcQueue;

TEST(MpmcQueue, FifoOnOneThread) {
  MpmcQueue<std::string> q(16);
  EXPECT_FALSE(q.try_pop().has_value());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(q.try_push(std::to_string(i)));
  EXPECT_EQ(q.size_approx(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(q.try_pop(), std::to_string(i));
  EXPECT_FALSE(q.try_pop().has_value());
  EXPECT_EQ(q.size_approx(), 0u);
}

TEST(MpmcQueue, CapacityIsRoundedUpAndEnforced) {
  EXPECT_EQ(MpmcQueue<int>(0).capacity(), 2u);
  EXPECT_EQ(MpmcQueue<int>(3).capacity(), 4u);
  EXPECT_EQ(MpmcQueue<int>(1000).capacity(), 1024u);
  MpmcQueue<int> q(8);
  for (int lap = 0; lap < 10; ++lap) {
    for (int i = 0; i < 8; ++i) EXPECT_TRUE(q.try_push(i));
    EXPECT_FALSE(q.try_push(99));
    EXPECT_EQ(q.try_pop(), 0);
    EXPECT_TRUE(q.try_push(8));
    EXPECT_FALSE(q.try_push(99));
    for (int i = 1; i <= 8; ++i) EXPECT_EQ(q.try_pop(), i);
    EXPECT_FALSE(q.try_pop().has_value());
  }
}

TEST(MpmcQueue, MoveOnlyItemsAndFailedPushKeepsTheItem) {
  MpmcQueue<std::unique_ptr<int>> q(2);
  EXPECT_TRUE(q.try_push(std::make_unique<int>(1)));
  EXPECT_TRUE(q.try_emplace(new int(2)));
  auto third = std::make_unique<int>(3);
  EXPECT_FALSE(q.try_push(std::move(third)));
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(**q.try_pop(), 1);
  EXPECT_TRUE(q.try_push(std::move(third)));
  EXPECT_EQ(**q.try_pop(), 2);
  EXPECT_EQ(**q.try_pop(), 3);
}

TEST(MpmcQueue, DestroysQueuedItems) {
  auto token = std::make_shared<int>(0);
  {
    MpmcQueue<std::shared_ptr<int>> q(8);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(q.try_push(token));
    EXPECT_EQ(token.use_count(), 6);
  }
  EXPECT_EQ(token.use_count(), 1);
}

struct Throws {
  explicit Throws(int v) : v(v) {
    if (v < 0) throw std::runtime_error("ctor");
  }
  int v;
};

TEST(MpmcQueue, ThrowingConstructorLeavesAHoleThatIsSkipped) {
  MpmcQueue<Throws> q(4);
  EXPECT_TRUE(q.try_emplace(1));
  EXPECT_THROW(q.try_emplace(-1), std::runtime_error);
  EXPECT_TRUE(q.try_emplace(2));
  EXPECT_EQ(q.try_pop()->v, 1);
  EXPECT_EQ(q.try_pop()->v, 2);
  EXPECT_FALSE(q.try_pop().has_value());
  // The ring still works on later laps.
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(q.try_emplace(i));
    EXPECT_EQ(q.try_pop()->v, i);
  }
}

constexpr int kProducers = 3;
constexpr int kConsumers = 3;
constexpr uint64_t kPerProducer = 40'000;
constexpr uint64_t kTotal = kProducers * kPerProducer;

// Shared bookkeeping: each item value is taken exactly once.
struct Tally {
  std::vector<std::atomic<uint8_t>> seen =
      std::vector<std::atomic<uint8_t>>(kTotal);
  std::atomic<uint64_t> taken{0};
  std::atomic<uint64_t> sum{0};
  std::atomic<uint64_t> duplicates{0};

  void take(uint64_t v) {
    if (seen[v].fetch_add(1) != 0) duplicates.fetch_add(1);
    sum.fetch_add(v);
    taken.fetch_add(1);
  }
};

template <typename Relax>
void producer(MpmcQueue<uint64_t>& q, int p, Relax relax) {
  for (uint64_t i = 0; i < kPerProducer; ++i) {
    while (!q.try_push(p * kPerProducer + i)) relax();
  }
}

template <typename Relax>
void consumer(MpmcQueue<uint64_t>& q, Tally& t, Relax relax) {
  while (t.taken.load() < kTotal) {
    if (auto v = q.try_pop()) {
      t.take(*v);
    } else {
      relax();
    }
  }
}

void check(const Tally& t) {
  EXPECT_EQ(t.taken.load(), kTotal);
  EXPECT_EQ(t.duplicates.load(), 0u);
  EXPECT_EQ(t.sum.load(), kTotal * (kTotal - 1) / 2);
  for (uint64_t v = 0; v < kTotal; ++v) {
    if (t.seen[v].load() != 1) {
      ADD_FAILURE() << "item " << v << " taken " << int{t.seen[v].load()};
      break;
    }
  }
}

TEST(MpmcQueue, StressThreads) {
  MpmcQueue<uint64_t> q(64);
  Tally t;
  auto relax = [] { std::this_thread::yield(); };
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] { producer(q, p, relax); });
  }
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back([&] { consumer(q, t, relax); });
  }
  for (auto& th : threads) th.join();
  check(t);
  EXPECT_FALSE(q.try_pop().has_value());
}

class MpmcQueueCoroutines : public mco_test::WorkersTest {};

TEST_P(MpmcQueueCoroutines, Stress) {
  on_scheduler([] {
    MpmcQueue<uint64_t> q(64);
    Tally t;
    auto relax = [] { mco::yield_now(); };
    std::vector<mco::JoinHandle<void>> hs;
    for (int p = 0; p < kProducers; ++p) {
      hs.push_back(mco::go([&, p] { producer(q, p, relax); }));
    }
    for (int c = 0; c < kConsumers; ++c) {
      hs.push_back(mco::go([&] { consumer(q, t, relax); }));
    }
    for (auto& h : hs) h.join();
    check(t);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, MpmcQueueCoroutines, ::testing::Values(1, 2));

}  // namespace
