// Copyright 2026 The mco Authors.
//
// Tests of mco/util/once_cell.h: OnceCell and Lazy on one thread, many
// coroutines (1 and 2 workers) and many threads racing to initialise, a
// throwing initialiser retried by a waiter, timed waits, and cancellation of
// a waiting coroutine.

#include "mco/util/once_cell.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using mco::util::Lazy;
using mco::util::OnceCell;

TEST(OnceCell, SingleThreadSemantics) {
  OnceCell<std::string> cell;
  EXPECT_EQ(cell.get(), nullptr);
  EXPECT_FALSE(cell.has_value());
  int calls = 0;
  std::string& v = cell.get_or_init([&] {
    ++calls;
    return std::string("hello");
  });
  EXPECT_EQ(v, "hello");
  EXPECT_EQ(cell.get_or_init([&] {
    ++calls;
    return std::string("other");
  }),
            "hello");
  EXPECT_EQ(calls, 1);
  ASSERT_NE(cell.get(), nullptr);
  EXPECT_EQ(*cell.get(), "hello");
  EXPECT_EQ(cell.get(), &v);  // stable address
  EXPECT_FALSE(cell.set("late"));
  EXPECT_EQ(*cell.get(), "hello");
}

TEST(OnceCell, SetFirstWins) {
  OnceCell<std::unique_ptr<int>> cell;  // move-only
  EXPECT_TRUE(cell.set(std::make_unique<int>(7)));
  EXPECT_FALSE(cell.set(std::make_unique<int>(8)));
  EXPECT_EQ(**cell.get(), 7);
  bool called = false;
  EXPECT_EQ(*cell.get_or_init([&] {
    called = true;
    return std::make_unique<int>(9);
  }),
            7);
  EXPECT_FALSE(called);
}

TEST(OnceCell, ThrowingInitLeavesItEmptyAndIsRetried) {
  OnceCell<int> cell;
  EXPECT_THROW(cell.get_or_init([]() -> int { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_EQ(cell.get(), nullptr);
  EXPECT_EQ(cell.get_or_init([] { return 5; }), 5);
}

TEST(OnceCell, DestroysItsValue) {
  auto token = std::make_shared<int>(0);
  {
    OnceCell<std::shared_ptr<int>> cell;
    cell.set(token);
    EXPECT_EQ(token.use_count(), 2);
  }
  EXPECT_EQ(token.use_count(), 1);
}

constexpr int kCallers = 16;

// `kCallers` callers race on one cell. The initialiser does not finish until
// every caller has arrived, so the others wait (park or block) on it.
template <typename Spawn, typename JoinAll, typename Relax>
void race(Spawn spawn, JoinAll join_all, Relax relax) {
  OnceCell<int> cell;
  std::atomic<int> arrived{0};
  std::atomic<int> calls{0};
  std::atomic<int> sum{0};
  for (int i = 0; i < kCallers; ++i) {
    spawn([&, i] {
      arrived.fetch_add(1);
      int& v = cell.get_or_init([&] {
        calls.fetch_add(1);
        while (arrived.load() < kCallers) relax();
        return 1000 + i;
      });
      sum.fetch_add(v);
    });
  }
  join_all();
  EXPECT_EQ(calls.load(), 1);
  ASSERT_NE(cell.get(), nullptr);
  EXPECT_EQ(sum.load(), kCallers * *cell.get());
}

// As `race`, but the first initialiser throws once every caller has arrived;
// one waiter must take over and succeed.
template <typename Spawn, typename JoinAll, typename Relax>
void race_with_failure(Spawn spawn, JoinAll join_all, Relax relax) {
  OnceCell<int> cell;
  std::atomic<int> arrived{0};
  std::atomic<int> calls{0};
  std::atomic<int> failures{0};
  std::atomic<int> successes{0};
  for (int i = 0; i < kCallers; ++i) {
    spawn([&] {
      arrived.fetch_add(1);
      try {
        int v = cell.get_or_init([&] {
          const int n = calls.fetch_add(1);
          while (arrived.load() < kCallers) relax();
          if (n == 0) throw std::runtime_error("first try fails");
          return 42;
        });
        if (v == 42) successes.fetch_add(1);
      } catch (const std::runtime_error&) {
        failures.fetch_add(1);
      }
    });
  }
  join_all();
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(failures.load(), 1);
  EXPECT_EQ(successes.load(), kCallers - 1);
}

class OnceCellCoroutines : public mco_test::WorkersTest {
 protected:
  template <typename Body>
  void run_race(Body body) {
    on_scheduler([&] {
      std::vector<mco::JoinHandle<void>> hs;
      body([&](auto f) { hs.push_back(mco::go(std::move(f))); },
           [&] {
             for (auto& h : hs) h.join();
           },
           [] { mco::yield_now(); });
    });
  }
};

TEST_P(OnceCellCoroutines, OneInitialiserOthersPark) {
  run_race([](auto spawn, auto join_all, auto relax) {
    race(spawn, join_all, relax);
  });
}

TEST_P(OnceCellCoroutines, FailedInitIsRetriedByAWaiter) {
  run_race([](auto spawn, auto join_all, auto relax) {
    race_with_failure(spawn, join_all, relax);
  });
}

TEST_P(OnceCellCoroutines, TimedWaitGivesUpThenSucceeds) {
  on_scheduler([] {
    OnceCell<int> cell;
    std::atomic<bool> in_init{false};
    std::atomic<bool> release{false};
    auto h = mco::go([&] {
      return cell.get_or_init([&] {
        in_init = true;
        while (!release.load()) mco::yield_now();
        return 7;
      });
    });
    while (!in_init.load()) mco::yield_now();
    bool called = false;
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(cell.get_or_init_for(10ms,
                                   [&] {
                                     called = true;
                                     return 0;
                                   }),
              nullptr);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 10ms);
    EXPECT_FALSE(called);
    release = true;
    EXPECT_EQ(h.join(), 7);
    int* v = cell.get_or_init_until(std::chrono::steady_clock::now() + 1h,
                                    [] { return 0; });
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, 7);
  });
}

TEST_P(OnceCellCoroutines, CancelledWaiterThrowsAndCellIsUnaffected) {
  on_scheduler([] {
    OnceCell<int> cell;
    std::atomic<bool> in_init{false};
    std::atomic<bool> release{false};
    auto init = mco::go([&] {
      return cell.get_or_init([&] {
        in_init = true;
        while (!release.load()) mco::yield_now();
        return 3;
      });
    });
    while (!in_init.load()) mco::yield_now();
    std::atomic<bool> waiting{false};
    auto waiter = mco::go([&] {
      waiting = true;
      return cell.get_or_init([] { return -1; });
    });
    while (!waiting.load()) mco::yield_now();
    waiter.cancel();
    EXPECT_THROW(waiter.join(), mco::Cancelled);
    EXPECT_EQ(cell.get(), nullptr);
    release = true;
    EXPECT_EQ(init.join(), 3);
    EXPECT_EQ(*cell.get(), 3);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, OnceCellCoroutines, ::testing::Values(1, 2));

TEST(OnceCellThreads, OneInitialiserOthersBlock) {
  std::vector<std::thread> ts;
  race([&](auto f) { ts.emplace_back(std::move(f)); },
       [&] {
         for (auto& t : ts) t.join();
       },
       [] { std::this_thread::yield(); });
}

TEST(OnceCellThreads, FailedInitIsRetriedByAWaiter) {
  std::vector<std::thread> ts;
  race_with_failure([&](auto f) { ts.emplace_back(std::move(f)); },
                    [&] {
                      for (auto& t : ts) t.join();
                    },
                    [] { std::this_thread::yield(); });
}

TEST(OnceCellThreads, TimedWaitOnAThread) {
  OnceCell<int> cell;
  std::atomic<bool> in_init{false};
  std::atomic<bool> release{false};
  std::thread t([&] {
    cell.get_or_init([&] {
      in_init = true;
      while (!release.load()) std::this_thread::yield();
      return 1;
    });
  });
  while (!in_init.load()) std::this_thread::yield();
  EXPECT_EQ(cell.get_or_init_for(5ms, [] { return 2; }), nullptr);
  release = true;
  t.join();
  EXPECT_EQ(*cell.get_or_init_for(5ms, [] { return 2; }), 1);
}

TEST(Lazy, InitialisesOnFirstAccessOnce) {
  int calls = 0;
  Lazy<std::vector<int>> v([&] {
    ++calls;
    return std::vector<int>{1, 2, 3};
  });
  EXPECT_FALSE(v.is_initialized());
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(v->size(), 3u);
  EXPECT_EQ((*v)[1], 2);
  EXPECT_EQ(v.get().back(), 3);
  ASSERT_NE(v.get_for(1ms), nullptr);
  EXPECT_TRUE(v.is_initialized());
  EXPECT_EQ(calls, 1);
}

TEST(Lazy, RetriesAfterAThrow) {
  int calls = 0;
  Lazy<int> v([&] {
    if (++calls == 1) throw std::runtime_error("first");
    return 9;
  });
  EXPECT_THROW(v.get(), std::runtime_error);
  EXPECT_FALSE(v.is_initialized());
  EXPECT_EQ(*v, 9);
  EXPECT_EQ(calls, 2);
}

class LazyCoroutines : public mco_test::WorkersTest {};

TEST_P(LazyCoroutines, ManyCoroutinesOneInit) {
  on_scheduler([] {
    std::atomic<int> calls{0};
    Lazy<std::string> s([&] {
      calls.fetch_add(1);
      mco::yield_now();  // let others arrive and wait
      return std::string("value");
    });
    std::vector<mco::JoinHandle<size_t>> hs;
    for (int i = 0; i < 32; ++i) {
      hs.push_back(mco::go([&] { return s->size(); }));
    }
    for (auto& h : hs) EXPECT_EQ(h.join(), 5u);
    EXPECT_EQ(calls.load(), 1);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, LazyCoroutines, ::testing::Values(1, 2));

}  // namespace
