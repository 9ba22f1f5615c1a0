// Copyright 2026 The mco Authors.
//
// Tests of mco/container/sync_vec.h: indexing across segments, stable
// references, at() bounds, and concurrent pushers with readers on threads
// and coroutines: every pushed value appears exactly once, and every index
// below size() is readable.

#include "mco/container/sync_vec.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "tests/test_util.h"

namespace {

using mco::container::SyncVec;

TEST(SyncVec, PushGetAcrossSegmentsWithStableReferences) {
  SyncVec<std::string> v;
  EXPECT_TRUE(v.empty());
  EXPECT_THROW((void)v.at(0), std::out_of_range);
  EXPECT_EQ(v.push_back("zero"), 0u);
  const std::string* first = &v[0];
  for (int i = 1; i < 5000; ++i) {
    EXPECT_EQ(v.emplace_back(std::to_string(i)), size_t(i));
  }
  EXPECT_EQ(v.size(), 5000u);
  EXPECT_EQ(&v[0], first);  // never moved
  EXPECT_EQ(*first, "zero");
  for (int i = 1; i < 5000; ++i) ASSERT_EQ(v.get(i), std::to_string(i));
  EXPECT_EQ(v.at(4999), "4999");
  EXPECT_THROW((void)v.at(5000), std::out_of_range);
  size_t n = 0;
  v.for_each([&](size_t i, const std::string& s) {
    EXPECT_EQ(i, n++);
    (void)s;
  });
  EXPECT_EQ(n, 5000u);
}

TEST(SyncVec, DestroysElements) {
  auto token = std::make_shared<int>(0);
  {
    SyncVec<std::shared_ptr<int>> v;
    for (int i = 0; i < 100; ++i) v.push_back(token);
    EXPECT_EQ(token.use_count(), 101);
  }
  EXPECT_EQ(token.use_count(), 1);
}

constexpr int kPushers = 3;
constexpr int kPerPusher = 20'000;

// Values are pusher * kPerPusher + i; each index holds exactly one.
void check_all(const SyncVec<uint64_t>& v) {
  ASSERT_EQ(v.size(), size_t{kPushers} * kPerPusher);
  std::vector<int> count(kPushers * kPerPusher, 0);
  v.for_each([&](size_t, const uint64_t& x) { ++count[x]; });
  for (size_t i = 0; i < count.size(); ++i) {
    if (count[i] != 1) {
      ADD_FAILURE() << "value " << i << " seen " << count[i] << " times";
      return;
    }
  }
}

// Reads every published index; returns the number of bad reads.
int read_published(const SyncVec<uint64_t>& v) {
  int bad = 0;
  const size_t n = v.size();
  for (size_t i = 0; i < n; ++i) {
    if (v[i] >= uint64_t{kPushers} * kPerPusher) ++bad;
  }
  return bad;
}

TEST(SyncVec, StressThreads) {
  SyncVec<uint64_t> v;
  std::atomic<int> done{0};
  std::atomic<int> bad{0};
  std::vector<std::thread> ts;
  for (int p = 0; p < kPushers; ++p) {
    ts.emplace_back([&, p] {
      for (int i = 0; i < kPerPusher; ++i)
        v.push_back(uint64_t(p) * kPerPusher + i);
      done.fetch_add(1);
    });
  }
  ts.emplace_back([&] {
    while (done.load() < kPushers) bad.fetch_add(read_published(v));
  });
  for (auto& t : ts) t.join();
  EXPECT_EQ(bad.load(), 0);
  check_all(v);
}

class SyncVecCoroutines : public mco_test::WorkersTest {};

TEST_P(SyncVecCoroutines, Stress) {
  on_scheduler([] {
    SyncVec<uint64_t> v;
    std::vector<mco::JoinHandle<void>> hs;
    for (int p = 0; p < kPushers; ++p) {
      hs.push_back(mco::go([&, p] {
        for (int i = 0; i < kPerPusher; ++i) {
          v.push_back(uint64_t(p) * kPerPusher + i);
          if (i % 1000 == 0) mco::yield_now();
        }
      }));
    }
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(read_published(v), 0);
      mco::yield_now();
    }
    for (auto& h : hs) h.join();
    check_all(v);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, SyncVecCoroutines, ::testing::Values(1, 2));

}  // namespace
