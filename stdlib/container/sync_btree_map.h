// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: sync_btree_map.h
// -----------------------------------------------------------------------------
//
// `SyncBTreeMap<K, V>`: an ordered concurrent map with range queries: an
// `absl::btree_map` under an `absl::Mutex` held as a reader lock for lookups
// and as a writer lock for updates.
//
//   mco::container::SyncBTreeMap<int64_t, Order> book;
//   book.store(ts, order);
//   book.range(from, to, [](int64_t ts, const Order& o) { ... });
//
// Contract:
//  - Every method is safe from any number of coroutines and threads.
//  - Lookups and updates hold the lock for one B-tree operation (O(log n)),
//    so a worker thread is never blocked for long. The lock is a thread lock,
//    not a coroutine lock: it is never held across a callback or a park.
//  - `range(lo, hi, fn)` and `for_each(fn)` call `fn(key, value)` in key
//    order, with no lock held (`fn` may block, park, or call this map). They
//    copy entries out in batches of `kBatch` under the reader lock and resume
//    after the last key seen, so each key is visited at most once and in
//    increasing order; keys inserted or erased during the walk may or may not
//    be seen, as with `SyncHashMap::range`. `K` and `V` must be copyable.
//  - Values are returned by copy.
//
// Memory ordering: an update happens before every later operation that
// observes it (the mutex orders them).
//
// When most operations are point lookups of a stable key set, prefer
// `SyncHashMap` (lock-free reads); this map's readers share one lock word.

#ifndef MCO_STDLIB_CONTAINER_SYNC_BTREE_MAP_H_
#define MCO_STDLIB_CONTAINER_SYNC_BTREE_MAP_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/synchronization/mutex.h"
#include "mco/container/tsan_visible_lock.h"

namespace mco::container {

// SyncBTreeMap
//
// An ordered map safe for concurrent use. See the file comment.
template <typename K, typename V, typename Compare = std::less<K>>
class SyncBTreeMap {
 public:
  // Entries copied per lock acquisition by `range` and `for_each`.
  static constexpr size_t kBatch = 64;

  SyncBTreeMap() = default;
  SyncBTreeMap(const SyncBTreeMap&) = delete;
  SyncBTreeMap& operator=(const SyncBTreeMap&) = delete;

  // SyncBTreeMap::load()
  //
  // The value for `key`, or `std::nullopt`.
  [[nodiscard]] std::optional<V> load(const K& key) const {
    internal::ReadLock lock(&mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }

  // SyncBTreeMap::contains()
  [[nodiscard]] bool contains(const K& key) const {
    internal::ReadLock lock(&mu_);
    return map_.contains(key);
  }

  // SyncBTreeMap::store()
  //
  // Sets the value for `key`.
  void store(const K& key, V value) {
    internal::WriteLock lock(&mu_);
    map_.insert_or_assign(key, std::move(value));
  }

  // SyncBTreeMap::insert()
  //
  // Adds `key` with `value` if absent; returns whether it did.
  bool insert(const K& key, V value) {
    internal::WriteLock lock(&mu_);
    return map_.try_emplace(key, std::move(value)).second;
  }

  // SyncBTreeMap::load_or_store()
  //
  // The existing value and true, or stores `value` and returns it and false.
  std::pair<V, bool> load_or_store(const K& key, V value) {
    internal::WriteLock lock(&mu_);
    auto [it, inserted] = map_.try_emplace(key, std::move(value));
    return {it->second, !inserted};
  }

  // SyncBTreeMap::load_and_delete()
  //
  // Removes `key`, returning its value if it was present.
  std::optional<V> load_and_delete(const K& key) {
    internal::WriteLock lock(&mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    std::optional<V> out(std::move(it->second));
    map_.erase(it);
    return out;
  }

  // SyncBTreeMap::erase()
  //
  // Removes `key`; returns whether it was present.
  bool erase(const K& key) {
    internal::WriteLock lock(&mu_);
    return map_.erase(key) != 0;
  }

  // SyncBTreeMap::erase_range()
  //
  // Removes the keys in [`lo`, `hi`); returns how many.
  size_t erase_range(const K& lo, const K& hi) {
    internal::WriteLock lock(&mu_);
    if (!map_.key_comp()(lo, hi)) return 0;
    const size_t before = map_.size();
    map_.erase(map_.lower_bound(lo), map_.lower_bound(hi));
    return before - map_.size();
  }

  // SyncBTreeMap::first() / last()
  //
  // The smallest / largest entry, or `std::nullopt` if empty.
  [[nodiscard]] std::optional<std::pair<K, V>> first() const {
    internal::ReadLock lock(&mu_);
    if (map_.empty()) return std::nullopt;
    return std::pair<K, V>(*map_.begin());
  }
  [[nodiscard]] std::optional<std::pair<K, V>> last() const {
    internal::ReadLock lock(&mu_);
    if (map_.empty()) return std::nullopt;
    return std::pair<K, V>(*std::prev(map_.end()));
  }

  // SyncBTreeMap::size() / empty()
  [[nodiscard]] size_t size() const {
    internal::ReadLock lock(&mu_);
    return map_.size();
  }
  [[nodiscard]] bool empty() const { return size() == 0; }

  // SyncBTreeMap::clear()
  void clear() {
    internal::WriteLock lock(&mu_);
    map_.clear();
  }

  // SyncBTreeMap::range()
  //
  // Calls `fn(const K&, const V&)` for each key in [`lo`, `hi`) in order;
  // stops early if `fn` returns false (it may also return void). No lock is
  // held while `fn` runs. See the file comment.
  template <typename F>
  void range(const K& lo, const K& hi, F&& fn) const {
    walk(&lo, &hi, fn);
  }

  // SyncBTreeMap::for_each()
  //
  // `range` over every key.
  template <typename F>
  void for_each(F&& fn) const {
    walk(nullptr, nullptr, fn);
  }

 private:
  template <typename F>
  void walk(const K* lo, const K* hi, F& fn) const {
    std::vector<std::pair<K, V>> batch;
    batch.reserve(kBatch);
    std::optional<K> after;  // resume strictly after this key
    for (;;) {
      batch.clear();
      {
        internal::ReadLock lock(&mu_);
        auto it = after.has_value() ? map_.upper_bound(*after)
                  : lo != nullptr   ? map_.lower_bound(*lo)
                                    : map_.begin();
        for (; it != map_.end() && batch.size() < kBatch; ++it) {
          if (hi != nullptr && !map_.key_comp()(it->first, *hi)) break;
          batch.emplace_back(it->first, it->second);
        }
      }
      for (const auto& [k, v] : batch) {
        if constexpr (std::is_same_v<decltype(fn(k, v)), void>) {
          fn(k, v);
        } else {
          if (!fn(k, v)) return;
        }
      }
      if (batch.size() < kBatch) return;
      after = batch.back().first;
    }
  }

  mutable absl::Mutex mu_;
  absl::btree_map<K, V, Compare> map_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mco::container

#endif  // MCO_STDLIB_CONTAINER_SYNC_BTREE_MAP_H_
