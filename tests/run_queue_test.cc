// Copyright 2026 The mco Authors.
//
// Tests of rt::RunQueue (runtime/run_queue.h): order, the `next` slot and its
// fairness bound, overflow, stealing, and an owner racing stealers (every
// coroutine comes out exactly once). The queue never dereferences its
// entries, so the tests use fake pointers.

#include "runtime/run_queue.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace {

using mco::rt::Coroutine;
using mco::rt::RunQueue;

Coroutine* fake(uintptr_t i) { return reinterpret_cast<Coroutine*>(i * 16); }
uintptr_t id(Coroutine* co) { return reinterpret_cast<uintptr_t>(co) / 16; }

// An overflow sink that must not be called.
auto no_overflow = [](Coroutine**, uint32_t) {
  FAIL() << "unexpected overflow";
};

TEST(RunQueue, RingIsFifo) {
  RunQueue q;
  for (uintptr_t i = 1; i <= 10; ++i) q.put(fake(i), no_overflow);
  EXPECT_EQ(q.size(), 10u);
  for (uintptr_t i = 1; i <= 10; ++i) EXPECT_EQ(id(q.get()), i);
  EXPECT_EQ(q.get(), nullptr);
  EXPECT_EQ(q.size(), 0u);
}

TEST(RunQueue, NextRunsFirstAndDisplacedGoesToTheTail) {
  RunQueue q;
  q.put(fake(1), no_overflow);
  q.put_next(fake(2), no_overflow);
  q.put_next(fake(3), no_overflow);  // 2 goes to the ring's tail
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(id(q.get()), 3u);
  EXPECT_EQ(id(q.get()), 1u);
  EXPECT_EQ(id(q.get()), 2u);
  EXPECT_EQ(q.get(), nullptr);
}

TEST(RunQueue, NextCannotStarveTheRing) {
  RunQueue q;
  q.put(fake(1), no_overflow);
  // A ping-pong pair keeps refilling `next`; the ring's coroutine still runs
  // after at most kMaxNextStreak picks of `next`.
  uint32_t picks = 0;
  bool ring_ran = false;
  for (uint32_t i = 0; i < 4 * RunQueue::kMaxNextStreak && !ring_ran; ++i) {
    q.put_next(fake(100 + i), no_overflow);
    Coroutine* co = q.get();
    if (id(co) == 1) {
      ring_ran = true;
    } else {
      ++picks;
    }
  }
  EXPECT_TRUE(ring_ran);
  EXPECT_LE(picks, RunQueue::kMaxNextStreak);
}

TEST(RunQueue, FullRingMovesHalfToOverflow) {
  RunQueue q;
  for (uintptr_t i = 1; i <= RunQueue::kCapacity; ++i) {
    q.put(fake(i), no_overflow);
  }
  std::vector<uintptr_t> spilled;
  q.put(fake(RunQueue::kCapacity + 1), [&](Coroutine** batch, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) spilled.push_back(id(batch[i]));
  });
  // The oldest half and the new one spill, in order.
  ASSERT_EQ(spilled.size(), RunQueue::kCapacity / 2 + 1);
  for (uintptr_t i = 0; i < RunQueue::kCapacity / 2; ++i) {
    EXPECT_EQ(spilled[i], i + 1);
  }
  EXPECT_EQ(spilled.back(), RunQueue::kCapacity + 1);
  EXPECT_EQ(q.size(), RunQueue::kCapacity / 2);
  EXPECT_EQ(id(q.get()), RunQueue::kCapacity / 2 + 1);
}

TEST(RunQueue, StealTakesHalfOfTheRing) {
  RunQueue victim, thief;
  for (uintptr_t i = 1; i <= 10; ++i) victim.put(fake(i), no_overflow);
  Coroutine* first = victim.steal_into(thief, no_overflow);
  EXPECT_EQ(id(first), 1u);
  EXPECT_EQ(thief.size(), 4u);   // 2..5
  EXPECT_EQ(victim.size(), 5u);  // 6..10
  EXPECT_EQ(id(thief.get()), 2u);
  EXPECT_EQ(id(victim.get()), 6u);
}

TEST(RunQueue, NextIsStolenOnlyFromAnOwnerThatStopped) {
  RunQueue victim, thief;
  victim.put_next(fake(7), no_overflow);
  // The owner schedules nothing meanwhile: the stealer may take `next`.
  EXPECT_EQ(id(victim.steal_into(thief, no_overflow)), 7u);
  EXPECT_EQ(victim.size(), 0u);
  EXPECT_EQ(victim.steal_into(thief, no_overflow), nullptr);
}

// One owner puts and gets while two stealers steal: every coroutine comes
// out exactly once.
TEST(RunQueue, OwnerRacingStealersLosesAndDuplicatesNothing) {
  constexpr uintptr_t kItems = 200000;
  RunQueue owner_q;
  std::vector<std::atomic<int>> seen(kItems + 1);
  std::atomic<bool> done{false};
  std::atomic<uintptr_t> taken{0};
  std::vector<Coroutine*> overflowed;  // owner thread only

  auto take = [&](Coroutine* co) {
    seen[id(co)].fetch_add(1);
    taken.fetch_add(1);
  };
  std::vector<std::thread> stealers;
  for (int s = 0; s < 2; ++s) {
    stealers.emplace_back([&] {
      RunQueue mine;
      while (!done.load()) {
        if (Coroutine* co = owner_q.steal_into(mine, no_overflow)) {
          take(co);
          while (Coroutine* more = mine.get()) take(more);
        }
      }
    });
  }
  for (uintptr_t i = 1; i <= kItems; ++i) {
    if (i % 3 == 0) {
      owner_q.put_next(fake(i), [&](Coroutine** batch, uint32_t n) {
        overflowed.insert(overflowed.end(), batch, batch + n);
      });
    } else {
      owner_q.put(fake(i), [&](Coroutine** batch, uint32_t n) {
        overflowed.insert(overflowed.end(), batch, batch + n);
      });
    }
    if (i % 2 == 0) {
      if (Coroutine* co = owner_q.get()) take(co);
    }
  }
  while (Coroutine* co = owner_q.get()) take(co);
  for (Coroutine* co : overflowed) take(co);
  // Stealers may still hold a batch: wait until everything is accounted for
  // (a lost coroutine fails the test after 10 s instead of hanging).
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (taken.load() < kItems && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::yield();
  }
  done = true;
  for (auto& t : stealers) t.join();
  EXPECT_EQ(taken.load(), kItems);
  for (uintptr_t i = 1; i <= kItems; ++i) {
    ASSERT_EQ(seen[i].load(), 1) << "coroutine " << i;
  }
}

}  // namespace
