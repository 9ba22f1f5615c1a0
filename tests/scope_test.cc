// Copyright 2026 The mco Authors.
//
// Tests of mco/scope.h: children borrowing the parent's locals, nested
// spawns, child exceptions, cancellation of the children when the body
// throws, named children. With 1, 2 and 4 workers.

#include "mco/scope.h"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mco/cancel.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/waker.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class ScopeTest : public mco_test::WorkersTest {};

using mco_test::Event;

TEST_P(ScopeTest, ChildrenBorrowLocalsAndAreDoneOnReturn) {
  on_scheduler([] {
    constexpr int kChildren = 100;
    std::vector<int> out(kChildren, -1);  // borrowed, written per index
    const std::vector<int> in = [] {
      std::vector<int> v;
      for (int i = 0; i < kChildren; ++i) v.push_back(i * 3);
      return v;
    }();
    std::atomic<int> done{0};
    mco::scope([&](mco::Scope& s) {
      for (int i = 0; i < kChildren; ++i) {
        s.spawn([&, i] {
          mco::sleep(2ms);  // still running when the body returns
          mco::yield_now();
          out[i] = in[i] * in[i];
          done.fetch_add(1);
        });
      }
    });
    EXPECT_EQ(done.load(), kChildren);
    for (int i = 0; i < kChildren; ++i) EXPECT_EQ(out[i], 9 * i * i) << i;
  });
}

TEST_P(ScopeTest, EmptyScopeReturns) {
  on_scheduler([] {
    bool ran = false;
    mco::scope([&](mco::Scope&) { ran = true; });
    EXPECT_TRUE(ran);
  });
}

TEST_P(ScopeTest, NestedSpawnsFromChildrenAreJoined) {
  on_scheduler([] {
    std::atomic<int> children{0};
    std::atomic<int> grandchildren{0};
    std::atomic<int> great{0};
    mco::scope([&](mco::Scope& s) {
      for (int i = 0; i < 4; ++i) {
        s.spawn([&] {
          // Spawn after the body has returned and joining has begun.
          mco::sleep(1ms);
          for (int j = 0; j < 4; ++j) {
            s.spawn([&] {
              mco::yield_now();
              s.spawn([&] {
                mco::sleep(2ms);
                great.fetch_add(1);
              });
              mco::sleep(1ms);
              grandchildren.fetch_add(1);
            });
          }
          children.fetch_add(1);
        });
      }
    });
    EXPECT_EQ(children.load(), 4);
    EXPECT_EQ(grandchildren.load(), 16);
    EXPECT_EQ(great.load(), 16);
  });
}

TEST_P(ScopeTest, ChildExceptionRethrownAfterAllAreJoined) {
  on_scheduler([] {
    constexpr int kChildren = 8;
    std::atomic<int> completed{0};
    bool threw = false;
    try {
      mco::scope([&](mco::Scope& s) {
        for (int i = 0; i < kChildren; ++i) {
          if (i == 3) {
            s.spawn([] { throw std::runtime_error("child 3"); });
          } else {
            s.spawn([&] {
              mco::sleep(5ms);
              completed.fetch_add(1);
            });
          }
        }
      });
    } catch (const std::runtime_error& e) {
      threw = true;
      EXPECT_STREQ(e.what(), "child 3");
      // The other children were not cancelled and all ended first.
      EXPECT_EQ(completed.load(), kChildren - 1);
    }
    EXPECT_TRUE(threw);
    EXPECT_EQ(completed.load(), kChildren - 1);
  });
}

TEST_P(ScopeTest, FirstExceptionInSpawnOrderWinsOthersAreNotPanics) {
  testing::internal::CaptureStderr();
  on_scheduler([] {
    std::atomic<int> completed{0};
    bool threw = false;
    try {
      mco::scope([&](mco::Scope& s) {
        s.spawn([] {
          mco::sleep(10ms);  // throws last in time, first in spawn order
          throw std::runtime_error("first");
        });
        s.spawn([] { throw std::logic_error("second"); });
        s.spawn([&] {
          mco::sleep(2ms);
          completed.fetch_add(1);
        });
      });
    } catch (const std::runtime_error& e) {
      threw = true;
      EXPECT_STREQ(e.what(), "first");
    } catch (const std::logic_error& e) {
      ADD_FAILURE() << "got the second exception: " << e.what();
    }
    EXPECT_TRUE(threw);
    EXPECT_EQ(completed.load(), 1);
  });
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("panicked"), std::string::npos) << err;
}

TEST_P(ScopeTest, BodyThrowsCancelsChildrenAndRethrows) {
  on_scheduler([] {
    constexpr int kChildren = 3;
    std::atomic<int> cancelled{0};
    std::atomic<int> finished_sleep{0};
    Event all_started;
    std::atomic<int> started{0};
    const auto t0 = Clock::now();
    bool threw = false;
    try {
      mco::scope([&](mco::Scope& s) {
        for (int i = 0; i < kChildren; ++i) {
          s.spawn([&] {
            if (started.fetch_add(1) + 1 == kChildren) all_started.set();
            try {
              mco::sleep(1h);
              finished_sleep.fetch_add(1);
            } catch (const mco::Cancelled&) {
              cancelled.fetch_add(1);
              throw;
            }
          });
        }
        all_started.wait();
        throw std::runtime_error("body");
      });
    } catch (const std::runtime_error& e) {
      threw = true;
      EXPECT_STREQ(e.what(), "body");
    }
    EXPECT_TRUE(threw);
    EXPECT_EQ(cancelled.load(), kChildren);
    EXPECT_EQ(finished_sleep.load(), 0);
    EXPECT_LT(Clock::now() - t0, 60s);
  });
}

TEST_P(ScopeTest, BodyThrowsCancelsChildrenNotYetStarted) {
  on_scheduler([] {
    std::atomic<int> cancelled{0};
    bool threw = false;
    try {
      mco::scope([&](mco::Scope& s) {
        for (int i = 0; i < 16; ++i) {
          s.spawn([&] {
            try {
              mco::sleep(1h);
            } catch (const mco::Cancelled&) {
              cancelled.fetch_add(1);
              throw;
            }
          });
        }
        throw std::logic_error("early");
      });
    } catch (const std::logic_error& e) {
      threw = true;
      EXPECT_STREQ(e.what(), "early");
    }
    EXPECT_TRUE(threw);
    EXPECT_EQ(cancelled.load(), 16);
  });
}

TEST_P(ScopeTest, SpawnWithNamesChildren) {
  on_scheduler([] {
    constexpr int kChildren = 5;
    std::vector<std::string> names(kChildren);
    mco::scope([&](mco::Scope& s) {
      for (int i = 0; i < kChildren; ++i) {
        s.spawn_with(mco::Builder()
                         .name("kid-" + std::to_string(i))
                         .stack_size(64 << 10),
                     [&, i] {
                       mco::yield_now();
                       names[i] = mco::this_coroutine::name();
                     });
      }
      s.spawn([&] { EXPECT_EQ(mco::this_coroutine::name(), ""); });
    });
    for (int i = 0; i < kChildren; ++i) {
      EXPECT_EQ(names[i], "kid-" + std::to_string(i));
    }
  });
}

TEST_P(ScopeTest, CancelledParentStillWaitsForChildren) {
  on_scheduler([] {
    std::atomic<int> finished{0};
    std::atomic<int> sum_after_scope{-1};
    Event in_scope;
    auto h = mco::go([&] {
      std::vector<int> local(4, 0);  // borrowed by the children
      mco::scope([&](mco::Scope& s) {
        for (int i = 0; i < 4; ++i) {
          s.spawn([&local, &finished, i] {
            mco::sleep(20ms);  // not cancelled: the request is the parent's
            local[i] = 1;
            finished.fetch_add(1);
          });
        }
        in_scope.set();
      });
      int sum = 0;
      for (int v : local) sum += v;
      sum_after_scope = sum;
      mco::yield_now();  // the parent's request fires here
    });
    in_scope.wait();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_EQ(finished.load(), 4);
    EXPECT_EQ(sum_after_scope.load(), 4);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, ScopeTest, ::testing::Values(1, 2, 4));

}  // namespace
