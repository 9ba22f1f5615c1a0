// Copyright 2026 The mco Authors.
//
// Tests of mco/sync/rw_mutex.h: concurrent readers, exclusive writers, a
// writer not starved by readers, timed and cancelled waits, misuse. With 1,
// 2 and 4 workers.

#include "mco/sync/rw_mutex.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/cancel.h"
#include "mco/go.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using mco::sync::RWMutex;

class RWMutexTest : public mco_test::WorkersTest {};

// Yields until `cond()` or `limit` passes; returns `cond()`.
template <typename F>
bool yield_until(F cond, std::chrono::seconds limit = 5s) {
  const auto end = Clock::now() + limit;
  while (!cond() && Clock::now() < end) mco::yield_now();
  return cond();
}

TEST_P(RWMutexTest, TwoReadersInsideAtOnce) {
  on_scheduler([] {
    RWMutex mu;
    std::atomic<int> inside{0};
    auto reader = [&] {
      std::shared_lock<RWMutex> l(mu);
      inside.fetch_add(1);
      // Rendezvous: both must be inside together.
      return yield_until([&] { return inside.load() == 2; });
    };
    auto a = mco::go(reader);
    auto b = mco::go(reader);
    EXPECT_TRUE(a.join());
    EXPECT_TRUE(b.join());
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
  });
}

TEST_P(RWMutexTest, WritersExclusive) {
  on_scheduler([] {
    RWMutex mu;
    std::atomic<int> readers{0};
    std::atomic<int> writers{0};
    std::atomic<int> violations{0};
    long value = 0;  // plain: written by writers only
    std::vector<mco::JoinHandle<void>> hs;
    for (int c = 0; c < 12; ++c) {
      hs.push_back(mco::go([&, c] {
        for (int i = 0; i < 500; ++i) {
          if ((c + i) % 3 == 0) {
            std::unique_lock<RWMutex> l(mu);
            if (writers.fetch_add(1) != 0 || readers.load() != 0) {
              violations.fetch_add(1);
            }
            ++value;
            if (i % 16 == 0) mco::yield_now();
            writers.fetch_sub(1);
          } else {
            std::shared_lock<RWMutex> l(mu);
            readers.fetch_add(1);
            if (writers.load() != 0) violations.fetch_add(1);
            if (i % 16 == 0) mco::yield_now();
            readers.fetch_sub(1);
          }
        }
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_EQ(violations.load(), 0);
    long expected = 0;
    for (int c = 0; c < 12; ++c) {
      for (int i = 0; i < 500; ++i) expected += (c + i) % 3 == 0;
    }
    EXPECT_EQ(value, expected);
  });
}

// A stream of overlapping readers (there is always one inside) does not
// starve a writer: readers arriving after it queue behind it.
TEST_P(RWMutexTest, WriterNotStarvedByReaders) {
  on_scheduler([] {
    RWMutex mu;
    std::atomic<bool> writer_done{false};
    std::atomic<int> reading{0};
    std::vector<mco::JoinHandle<bool>> readers;
    for (int r = 0; r < 4; ++r) {
      readers.push_back(mco::go([&] {
        const auto limit = Clock::now() + 2s;
        while (!writer_done.load() && Clock::now() < limit) {
          std::shared_lock<RWMutex> l(mu);
          reading.fetch_add(1);
          mco::yield_now();
          reading.fetch_sub(1);
        }
        return writer_done.load();
      }));
    }
    ASSERT_TRUE(yield_until([&] { return reading.load() > 0; }));
    auto writer = mco::go([&] {
      std::lock_guard<RWMutex> l(mu);
      EXPECT_EQ(reading.load(), 0);
      writer_done = true;
    });
    writer.join();
    for (auto& r : readers) EXPECT_TRUE(r.join()) << "writer starved";
  });
}

TEST_P(RWMutexTest, TimedLocksTimeOut) {
  on_scheduler([] {
    RWMutex mu;
    mu.lock_shared();
    auto h = mco::go([&] {
      const auto t0 = Clock::now();
      EXPECT_FALSE(mu.try_lock_for(15ms));
      EXPECT_GE(Clock::now() - t0, 15ms);
      EXPECT_FALSE(mu.try_lock_until(Clock::now() + 2ms));
      EXPECT_FALSE(mu.try_lock());
      // Readers still get in (no writer queued any more).
      EXPECT_TRUE(mu.try_lock_shared());
      mu.unlock_shared();
    });
    h.join();
    mu.unlock_shared();
    mu.lock();
    auto g = mco::go([&] {
      EXPECT_FALSE(mu.try_lock_shared_for(10ms));
      EXPECT_FALSE(mu.try_lock_shared_until(Clock::now() + 2ms));
      EXPECT_FALSE(mu.try_lock_shared());
    });
    g.join();
    mu.unlock();
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
  });
}

// A cancelled writer withdraws and lets in the reader queued behind it.
TEST_P(RWMutexTest, CancelledWriterAdmitsReadersBehindIt) {
  on_scheduler([] {
    RWMutex mu;
    mu.lock_shared();
    auto writer = mco::go([&] { mu.lock(); });
    // The writer is queued once a new reader can no longer get in.
    ASSERT_TRUE(yield_until([&] {
      if (mu.try_lock_shared()) {
        mu.unlock_shared();
        return false;
      }
      return true;
    }));
    std::atomic<bool> reader_in{false};
    auto reader = mco::go([&] {
      std::shared_lock<RWMutex> l(mu);
      reader_in = true;
    });
    mco::sleep(2ms);
    EXPECT_FALSE(reader_in.load());  // behind the writer
    writer.cancel();
    EXPECT_THROW(writer.join(), mco::Cancelled);
    reader.join();  // admitted while we still hold our read lock
    EXPECT_TRUE(reader_in.load());
    mu.unlock_shared();
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
  });
}

TEST_P(RWMutexTest, CancelledReaderLeavesLockIntact) {
  on_scheduler([] {
    RWMutex mu;
    mu.lock();
    std::atomic<bool> started{false};
    auto reader = mco::go([&] {
      started = true;
      mu.lock_shared();
    });
    ASSERT_TRUE(yield_until([&] { return started.load(); }));
    mco::sleep(1ms);
    reader.cancel();
    EXPECT_THROW(reader.join(), mco::Cancelled);
    mu.unlock();
    EXPECT_TRUE(mu.try_lock_shared());
    mu.unlock_shared();
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
  });
}

TEST_P(RWMutexTest, MisuseThrows) {
  on_scheduler([] {
    RWMutex mu;
    EXPECT_THROW(mu.unlock(), std::logic_error);
    EXPECT_THROW(mu.unlock_shared(), std::logic_error);
    mu.lock_shared();
    EXPECT_THROW(mu.unlock(), std::logic_error);
    mu.unlock_shared();
    mu.lock();
    EXPECT_THROW(mu.unlock_shared(), std::logic_error);
    mu.unlock();
    EXPECT_TRUE(mu.try_lock());
    mu.Unlock();
    mu.RLock();
    mu.RUnlock();
  });
}

TEST_P(RWMutexTest, ThreadsAndCoroutines) {
  on_scheduler([] {
    RWMutex mu;
    long value = 0;
    std::thread t([&] {
      for (int i = 0; i < 2000; ++i) {
        std::unique_lock<RWMutex> l(mu);
        ++value;
      }
    });
    std::vector<mco::JoinHandle<void>> hs;
    for (int c = 0; c < 4; ++c) {
      hs.push_back(mco::go([&] {
        for (int i = 0; i < 2000; ++i) {
          if (i % 2 == 0) {
            std::unique_lock<RWMutex> l(mu);
            ++value;
          } else {
            std::shared_lock<RWMutex> l(mu);
            EXPECT_GE(value, 0);
          }
        }
      }));
    }
    for (auto& h : hs) h.join();
    t.join();
    EXPECT_EQ(value, 2000 + 4 * 1000);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, RWMutexTest, ::testing::Values(1, 2, 4));

}  // namespace
