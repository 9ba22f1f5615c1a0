// Copyright 2026 The mco Authors.
//
// Tests of mco/container/sync_hash_map.h: Go's sync.Map semantics (load,
// store, swap, load_or_store, load_and_delete, erase, range), promotion of
// the dirty map so loads of stable keys take the lock-free path, the
// expunge/unexpunge cycle, bounded garbage, range visiting each key at most
// once under concurrent stores, and reader/writer stress on threads and
// coroutines (1 and 2 workers).

#include "mco/container/sync_hash_map.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "mco/go.h"
#include "tests/test_util.h"

namespace {

using mco::container::SyncHashMap;

TEST(SyncHashMap, BasicOperations) {
  SyncHashMap<std::string, int> m;
  EXPECT_FALSE(m.load("a").has_value());
  m.store("a", 1);
  EXPECT_EQ(m.load("a"), 1);
  m.store("a", 2);
  EXPECT_EQ(m.load("a"), 2);
  EXPECT_EQ(m.swap("a", 3), 2);
  EXPECT_FALSE(m.swap("b", 10).has_value());

  auto [v1, loaded1] = m.load_or_store("c", 5);
  EXPECT_EQ(v1, 5);
  EXPECT_FALSE(loaded1);
  auto [v2, loaded2] = m.load_or_store("c", 6);
  EXPECT_EQ(v2, 5);
  EXPECT_TRUE(loaded2);

  EXPECT_EQ(m.load_and_delete("a"), 3);
  EXPECT_FALSE(m.load_and_delete("a").has_value());
  EXPECT_FALSE(m.load("a").has_value());
  EXPECT_TRUE(m.erase("b"));
  EXPECT_FALSE(m.erase("b"));
  EXPECT_FALSE(m.erase("never"));

  std::map<std::string, int> seen;
  m.range([&](const std::string& k, const int& v) { seen[k] = v; });
  EXPECT_EQ(seen, (std::map<std::string, int>{{"c", 5}}));
}

TEST(SyncHashMap, RangeStopsEarlyAndSeesEveryKey) {
  SyncHashMap<int, int> m;
  for (int i = 0; i < 100; ++i) m.store(i, i * i);
  std::map<int, int> seen;
  m.range([&](const int& k, const int& v) { seen[k] = v; });
  ASSERT_EQ(seen.size(), 100u);
  for (auto& [k, v] : seen) EXPECT_EQ(v, k * k);
  int visits = 0;
  m.range([&](const int&, const int&) { return ++visits < 10; });
  EXPECT_EQ(visits, 10);
}

TEST(SyncHashMap, RangeCallbackMayUseTheMap) {
  SyncHashMap<int, int> m;
  for (int i = 0; i < 50; ++i) m.store(i, i);
  m.range([&](const int& k, const int& v) {
    if (k % 2 == 0) m.erase(k);
    m.store(k + 1000, v);  // new keys: may or may not be visited
    EXPECT_EQ(m.load(k + 1000), v);
  });
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(m.load(i).has_value(), i % 2 == 1) << i;
    EXPECT_EQ(m.load(i + 1000), i);
  }
}

TEST(SyncHashMap, StableKeysAreReadLockFreeAfterPromotion) {
  SyncHashMap<int, std::string> m;
  constexpr int kKeys = 64;
  for (int i = 0; i < kKeys; ++i) m.store(i, absl::StrCat("v", i));
  // New keys live in the dirty map; loads miss the snapshot until the misses
  // reach the dirty map's size, which promotes it.
  EXPECT_EQ(m.stats().promotions, 0u);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kKeys; ++i) {
      EXPECT_EQ(m.load(i), absl::StrCat("v", i));
    }
  }
  EXPECT_EQ(m.stats().promotions, 1u);
  const auto before = m.stats();
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < kKeys; ++i) ASSERT_TRUE(m.load(i).has_value());
  }
  // Overwrites of existing keys also stay off the lock-protected maps.
  for (int i = 0; i < kKeys; ++i) m.store(i, absl::StrCat("w", i));
  for (int i = 0; i < kKeys; ++i) EXPECT_EQ(m.load(i), absl::StrCat("w", i));
  // Absent keys with no dirty map answer lock-free too.
  EXPECT_FALSE(m.load(-1).has_value());
  const auto after = m.stats();
  EXPECT_EQ(after.locked_loads, before.locked_loads);
  EXPECT_EQ(after.promotions, before.promotions);
  EXPECT_EQ(after.dirty_builds, before.dirty_builds);
}

TEST(SyncHashMap, ExpungeAndUnexpunge) {
  SyncHashMap<int, int> m;
  for (int i = 0; i < 8; ++i) m.store(i, i);
  for (int r = 0; r < 2; ++r) {
    for (int i = 0; i < 8; ++i) (void)m.load(i);  // promote
  }
  ASSERT_EQ(m.stats().promotions, 1u);
  m.erase(3);  // deleted in the snapshot
  m.erase(4);
  m.store(100, 100);  // builds dirty: 3 and 4 are expunged
  m.store(3, 33);     // unexpunged back into dirty
  EXPECT_EQ(m.load(3), 33);
  EXPECT_FALSE(m.load(4).has_value());
  EXPECT_EQ(m.load(100), 100);
  // Promote again and check everything.
  for (int r = 0; r < 20; ++r) (void)m.load(100);
  EXPECT_GE(m.stats().promotions, 2u);
  std::map<int, int> seen;
  m.range([&](const int& k, const int& v) { seen[k] = v; });
  EXPECT_EQ(seen, (std::map<int, int>{{0, 0},
                                      {1, 1},
                                      {2, 2},
                                      {3, 33},
                                      {5, 5},
                                      {6, 6},
                                      {7, 7},
                                      {100, 100}}));
  auto [v, loaded] = m.load_or_store(4, 44);
  EXPECT_FALSE(loaded);
  EXPECT_EQ(m.load(4), 44);
}

TEST(SyncHashMap, GarbageIsReclaimedWithoutReaders) {
  SyncHashMap<int, std::string> m;
  m.store(1, "x");
  for (int r = 0; r < 3; ++r) (void)m.load(1);  // promote
  for (int i = 0; i < 10'000; ++i) m.store(1, std::string(64, 'a' + i % 26));
  EXPECT_LE(m.retired_for_test(), 4u);
  EXPECT_EQ(m.load(1), std::string(64, 'a' + 9'999 % 26));
}

TEST(SyncHashMap, RangeVisitsEachKeyAtMostOnceUnderConcurrentStores) {
  SyncHashMap<int, int> m;
  for (int i = 0; i < 1000; ++i) m.store(i, i);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 1000; !stop.load(); ++i) {
      m.store(i % 5000, i);
      if (i % 3 == 0) m.erase((i * 7) % 5000);
    }
  });
  for (int pass = 0; pass < 50; ++pass) {
    std::set<int> seen;
    m.range([&](const int& k, const int&) {
      EXPECT_TRUE(seen.insert(k).second) << "key " << k << " seen twice";
    });
  }
  stop = true;
  writer.join();
}

// Stress: values encode their key, so a reader can tell a torn or freed
// value from a good one. Writers own disjoint key ranges and end with a
// known final state.
constexpr int kWriters = 2;
constexpr int kReaders = 2;
constexpr int kKeysPerWriter = 200;
constexpr int kRounds = 30;

std::string value_for(int key, int round) {
  return absl::StrCat("key=", key, ";round=", round);
}

void writer_body(SyncHashMap<int, std::string>& m, int w) {
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < kKeysPerWriter; ++i) {
      const int key = w * kKeysPerWriter + i;
      if (round % 5 == 4 && i % 2 == 0) {
        m.erase(key);
      } else if (i % 3 == 0) {
        (void)m.load_or_store(key, value_for(key, round));
        m.store(key, value_for(key, round));
      } else {
        m.store(key, value_for(key, round));
      }
    }
  }
}

// Returns the number of bad values seen.
int reader_body(SyncHashMap<int, std::string>& m,
                std::atomic<int>& writers_done, int seed) {
  int bad = 0;
  uint32_t x = seed * 2654435761u + 1;
  do {
    for (int n = 0; n < 256; ++n) {
      x = x * 1664525u + 1013904223u;
      const int key = static_cast<int>(x % (kWriters * kKeysPerWriter));
      if (auto v = m.load(key)) {
        const std::string prefix = absl::StrCat("key=", key, ";round=");
        if (v->compare(0, prefix.size(), prefix) != 0) ++bad;
      }
    }
    m.range([&](const int& k, const std::string& v) {
      if (v.rfind(absl::StrCat("key=", k, ";"), 0) != 0) ++bad;
      return k % 7 != 0;
    });
  } while (writers_done.load() < kWriters);
  return bad;
}

void check_final(SyncHashMap<int, std::string>& m) {
  for (int w = 0; w < kWriters; ++w) {
    for (int i = 0; i < kKeysPerWriter; ++i) {
      const int key = w * kKeysPerWriter + i;
      if ((kRounds - 1) % 5 == 4 && i % 2 == 0) {
        EXPECT_FALSE(m.load(key).has_value()) << key;
      } else {
        EXPECT_EQ(m.load(key), value_for(key, kRounds - 1)) << key;
      }
    }
  }
}

TEST(SyncHashMap, StressThreads) {
  SyncHashMap<int, std::string> m;
  std::atomic<int> writers_done{0};
  std::atomic<int> bad{0};
  std::vector<std::thread> ts;
  for (int w = 0; w < kWriters; ++w) {
    ts.emplace_back([&, w] {
      writer_body(m, w);
      writers_done.fetch_add(1);
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    ts.emplace_back([&, r] { bad.fetch_add(reader_body(m, writers_done, r)); });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(bad.load(), 0);
  check_final(m);
}

class SyncHashMapCoroutines : public mco_test::WorkersTest {};

TEST_P(SyncHashMapCoroutines, Stress) {
  on_scheduler([] {
    SyncHashMap<int, std::string> m;
    std::atomic<int> writers_done{0};
    std::atomic<int> bad{0};
    std::vector<mco::JoinHandle<void>> hs;
    for (int w = 0; w < kWriters; ++w) {
      hs.push_back(mco::go([&, w] {
        writer_body(m, w);
        writers_done.fetch_add(1);
      }));
    }
    for (int r = 0; r < kReaders; ++r) {
      hs.push_back(mco::go([&, r] {
        // Readers yield between batches so writers run on one worker too.
        int b = 0;
        while (writers_done.load() < kWriters) {
          std::atomic<int> one_batch{kWriters};
          b += reader_body(m, one_batch, r);  // one batch of loads
          mco::yield_now();
        }
        bad.fetch_add(b);
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_EQ(bad.load(), 0);
    check_final(m);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, SyncHashMapCoroutines,
                         ::testing::Values(1, 2));

}  // namespace
