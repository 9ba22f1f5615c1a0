// Copyright 2026 The mco Authors.
//
// Tests of mco/queue/spsc_queue.h: single-thread semantics, capacity, move-only
// items, destruction of queued items, and a producer/consumer stress on two
// threads and on coroutines (1 and 2 workers) checking FIFO order and that no
// item is lost or duplicated.

#include "mco/queue/spsc_queue.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/this_coroutine.h"
#include "tests/test_util.h"

namespace {

using mco::queue::SpscQueue;

TEST(SpscQueue, FifoOnOneThread) {
  SpscQueue<int> q(8);
  EXPECT_TRUE(q.empty_approx());
  EXPECT_FALSE(q.try_pop().has_value());
  EXPECT_EQ(q.front(), nullptr);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(q.try_push(i));
  EXPECT_EQ(q.size_approx(), 5u);
  ASSERT_NE(q.front(), nullptr);
  EXPECT_EQ(*q.front(), 0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(q.try_pop(), i);
  EXPECT_FALSE(q.try_pop().has_value());
  EXPECT_TRUE(q.empty_approx());
}

TEST(SpscQueue, CapacityIsRoundedUpAndEnforced) {
  EXPECT_EQ(SpscQueue<int>(0).capacity(), 2u);
  EXPECT_EQ(SpscQueue<int>(1).capacity(), 2u);
  EXPECT_EQ(SpscQueue<int>(5).capacity(), 8u);
  EXPECT_EQ(SpscQueue<int>(64).capacity(), 64u);

  SpscQueue<int> q(4);
  // Many laps around the ring: exactly `capacity` items fit each time.
  for (int lap = 0; lap < 10; ++lap) {
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(q.try_push(lap * 10 + i));
    EXPECT_FALSE(q.try_push(-1));
    EXPECT_EQ(q.size_approx(), 4u);
    EXPECT_EQ(q.try_pop(), lap * 10);
    EXPECT_TRUE(q.try_push(lap * 10 + 4));
    EXPECT_FALSE(q.try_push(-1));
    for (int i = 1; i <= 4; ++i) EXPECT_EQ(q.try_pop(), lap * 10 + i);
    EXPECT_FALSE(q.try_pop().has_value());
  }
}

TEST(SpscQueue, MoveOnlyItemsAndFailedPushKeepsTheItem) {
  SpscQueue<std::unique_ptr<int>> q(2);
  EXPECT_TRUE(q.try_push(std::make_unique<int>(1)));
  EXPECT_TRUE(q.try_emplace(new int(2)));
  auto third = std::make_unique<int>(3);
  EXPECT_FALSE(q.try_push(std::move(third)));
  ASSERT_NE(third, nullptr);  // not consumed by the failed push
  EXPECT_EQ(*third, 3);
  EXPECT_EQ(**q.try_pop(), 1);
  EXPECT_TRUE(q.try_push(std::move(third)));
  EXPECT_EQ(**q.try_pop(), 2);
  EXPECT_EQ(**q.try_pop(), 3);
}

TEST(SpscQueue, DestroysQueuedItems) {
  auto token = std::make_shared<int>(0);
  {
    SpscQueue<std::shared_ptr<int>> q(8);
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(q.try_push(token));
    (void)q.try_pop();
    EXPECT_EQ(token.use_count(), 6);
  }
  EXPECT_EQ(token.use_count(), 1);
}

TEST(SpscQueue, NonTrivialItems) {
  SpscQueue<std::string> q(4);
  for (int lap = 0; lap < 100; ++lap) {
    ASSERT_TRUE(q.try_push(std::string(100, 'a' + lap % 26)));
    ASSERT_TRUE(q.try_emplace(3, 'x'));
    EXPECT_EQ(q.try_pop(), std::string(100, 'a' + lap % 26));
    EXPECT_EQ(q.try_pop(), "xxx");
  }
}

constexpr uint64_t kItems = 200'000;

// Pushes 1..kItems, spinning with `relax()` while full.
template <typename Relax>
void produce(SpscQueue<uint64_t>& q, Relax relax) {
  for (uint64_t i = 1; i <= kItems; ++i) {
    while (!q.try_push(i)) relax();
  }
}

// Pops kItems items, checking they come in order; returns their sum.
template <typename Relax>
uint64_t consume(SpscQueue<uint64_t>& q, Relax relax) {
  uint64_t expect = 1, sum = 0;
  while (expect <= kItems) {
    auto v = q.try_pop();
    if (!v) {
      relax();
      continue;
    }
    if (*v != expect) {
      ADD_FAILURE() << "got " << *v << ", want " << expect;
      return 0;
    }
    sum += *v;
    ++expect;
  }
  return sum;
}

TEST(SpscQueue, StressTwoThreads) {
  SpscQueue<uint64_t> q(64);
  auto relax = [] { std::this_thread::yield(); };
  std::thread producer([&] { produce(q, relax); });
  const uint64_t sum = consume(q, relax);
  producer.join();
  EXPECT_EQ(sum, kItems * (kItems + 1) / 2);
  EXPECT_FALSE(q.try_pop().has_value());
}

class SpscQueueCoroutines : public mco_test::WorkersTest {};

TEST_P(SpscQueueCoroutines, Stress) {
  on_scheduler([] {
    SpscQueue<uint64_t> q(64);
    auto relax = [] { mco::yield_now(); };
    auto producer = mco::go([&] { produce(q, relax); });
    const uint64_t sum = consume(q, relax);
    producer.join();
    EXPECT_EQ(sum, kItems * (kItems + 1) / 2);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, SpscQueueCoroutines, ::testing::Values(1, 2));

}  // namespace
