// Copyright 2026 The mco Authors.
//
// Tests of mco/container/sync_btree_map.h: point operations, ordered range
// queries across batch boundaries, callbacks that use the map, and
// concurrent writers with ordered range readers on threads and coroutines.

#include "mco/container/sync_btree_map.h"

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "tests/test_util.h"

namespace {

using mco::container::SyncBTreeMap;

TEST(SyncBTreeMap, PointOperations) {
  SyncBTreeMap<int, std::string> m;
  EXPECT_TRUE(m.empty());
  EXPECT_FALSE(m.first().has_value());
  m.store(5, "five");
  EXPECT_TRUE(m.insert(3, "three"));
  EXPECT_FALSE(m.insert(3, "drei"));
  EXPECT_EQ(m.load(3), "three");
  m.store(3, "drei");
  EXPECT_EQ(m.load(3), "drei");
  EXPECT_FALSE(m.load(4).has_value());
  EXPECT_TRUE(m.contains(5));
  auto [v, loaded] = m.load_or_store(7, "seven");
  EXPECT_FALSE(loaded);
  EXPECT_EQ(v, "seven");
  EXPECT_EQ(m.load_or_store(7, "x"),
            std::make_pair(std::string("seven"), true));
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m.first()->first, 3);
  EXPECT_EQ(m.last()->second, "seven");
  EXPECT_EQ(m.load_and_delete(5), "five");
  EXPECT_FALSE(m.erase(5));
  EXPECT_TRUE(m.erase(7));
  EXPECT_EQ(m.size(), 1u);
  m.clear();
  EXPECT_TRUE(m.empty());
}

TEST(SyncBTreeMap, RangeIsOrderedHalfOpenAndCrossesBatches) {
  SyncBTreeMap<int, int> m;
  for (int i = 0; i < 1000; i += 2) m.store(i, -i);  // even keys
  std::vector<int> keys;
  m.range(101, 501, [&](int k, int v) {
    EXPECT_EQ(v, -k);
    keys.push_back(k);
  });
  ASSERT_EQ(keys.size(), 200u);  // 102, 104, ..., 500
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], 102 + 2 * int(i));
  keys.clear();
  m.range(100, 100, [&](int k, int) { keys.push_back(k); });
  EXPECT_TRUE(keys.empty());
  int n = 0;
  m.for_each([&](int, int) { ++n; });
  EXPECT_EQ(n, 500);
  n = 0;
  m.range(0, 1000, [&](int k, int) { return ++n < 130; });  // early stop
  EXPECT_EQ(n, 130);
  EXPECT_EQ(m.erase_range(0, 200), 100u);
  EXPECT_EQ(m.first()->first, 200);
  EXPECT_EQ(m.erase_range(10, 5), 0u);
}

TEST(SyncBTreeMap, CallbackMayUseTheMap) {
  SyncBTreeMap<int, int> m;
  for (int i = 0; i < 300; ++i) m.store(i, i);
  m.for_each([&](int k, int) {
    if (k % 3 == 0) {
      m.erase(k);
    } else {
      m.store(k, k * 10);
    }
  });
  m.for_each([&](int k, int v) {
    EXPECT_NE(k % 3, 0);
    EXPECT_EQ(v, k * 10);
  });
}

constexpr int kKeys = 2000;

void writer(SyncBTreeMap<int, int>& m, int w, int writers) {
  for (int round = 0; round < 5; ++round) {
    for (int k = w; k < kKeys; k += writers) {
      if (round % 2 == 1 && k % 4 == 0) {
        m.erase(k);
      } else {
        m.store(k, k + round * kKeys);
      }
    }
  }
}

// Each walk must see keys strictly increasing, in range, values that fit.
int ordered_walks(const SyncBTreeMap<int, int>& m, int walks) {
  int bad = 0;
  for (int i = 0; i < walks; ++i) {
    int prev = -1;
    m.range(kKeys / 4, kKeys, [&](int k, int v) {
      if (k <= prev || k < kKeys / 4 || v % kKeys != k) ++bad;
      prev = k;
    });
  }
  return bad;
}

TEST(SyncBTreeMap, StressThreads) {
  SyncBTreeMap<int, int> m;
  std::vector<std::thread> ts;
  std::atomic<int> bad{0};
  for (int w = 0; w < 2; ++w) ts.emplace_back([&, w] { writer(m, w, 2); });
  for (int r = 0; r < 2; ++r) {
    ts.emplace_back([&] { bad.fetch_add(ordered_walks(m, 20)); });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(bad.load(), 0);
  for (int k = 0; k < kKeys; ++k) EXPECT_EQ(m.load(k), k + 4 * kKeys);
}

class SyncBTreeMapCoroutines : public mco_test::WorkersTest {};

TEST_P(SyncBTreeMapCoroutines, Stress) {
  on_scheduler([] {
    SyncBTreeMap<int, int> m;
    std::atomic<int> bad{0};
    std::vector<mco::JoinHandle<void>> hs;
    for (int w = 0; w < 2; ++w)
      hs.push_back(mco::go([&, w] { writer(m, w, 2); }));
    for (int r = 0; r < 2; ++r) {
      hs.push_back(mco::go([&] {
        for (int i = 0; i < 10; ++i) {
          bad.fetch_add(ordered_walks(m, 1));
          mco::yield_now();
        }
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(m.size(), size_t{kKeys});
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, SyncBTreeMapCoroutines,
                         ::testing::Values(1, 2));

}  // namespace
