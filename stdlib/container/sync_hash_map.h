// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: sync_hash_map.h
// -----------------------------------------------------------------------------
//
// `SyncHashMap<K, V>`: Go's `sync.Map`. A concurrent hash map for two
// workloads: keys written once and read many times (caches that only grow),
// and goroutines reading, writing and overwriting disjoint sets of keys. For
// anything else a plain map under an `absl::Mutex` is simpler and usually as
// fast.
//
//   mco::container::SyncHashMap<std::string, int> m;
//   m.store("a", 1);
//   if (std::optional<int> v = m.load("a")) use(*v);
//   auto [v, loaded] = m.load_or_store("b", 2);
//   m.range([](const std::string& k, const int& v) { print(k, v); });
//
// Contract (as Go documents `sync.Map`):
//  - Every method is safe from any number of coroutines and threads.
//  - `load` of a key present in the read-only snapshot takes no lock and
//    writes no shared memory: an atomic load of the snapshot, a hash lookup
//    and an atomic load of the entry. A `store` to such a key replaces the
//    value with one compare-and-swap, then takes the internal lock briefly
//    to hand the old value to reclamation (unlike Go, where the GC does
//    that: concurrent overwrites are slower here). Other operations take
//    the lock for one or two hash operations.
//  - `range(fn)` calls `fn(key, value)` for each key at most once; it may
//    reflect any mapping for a key stored or deleted during the call, and
//    stops early if `fn` returns false. `fn` runs with no lock held and may
//    call any method of this map, block or park.
//  - Values are returned by copy (`V` must be copyable); a value is never
//    modified in place, a store replaces it.
//  - Memory: a replaced value or snapshot is freed once no reader can be
//    using it (epoch-based reclamation, below). The check runs on writes, so
//    up to a few writes' worth of garbage may wait for the next write or the
//    map's destruction. A long `range` delays frees of values it may see.
//  - `stats()` counts the slow paths, so tests and benchmarks can check that
//    reads hit the lock-free path.
//
// Memory ordering: a `store` (or `load_or_store` that stores) happens before
// every `load`, `load_or_store` or `range` that returns the stored value. A
// delete happens before the loads that observe the key absent.
//
// Design (Go's src/sync/map.go, re-derived for C++ without a GC):
//
//   read_   atomic pointer to an immutable snapshot: key -> Entry*, plus an
//           `amended` flag meaning "dirty_ has keys the snapshot lacks".
//   dirty_  under mu_: key -> Entry* for every live key, or null. When not
//           null it holds every non-expunged entry of the snapshot.
//   Entry   an atomic pointer to the current value: a V*, null (deleted but
//           still in dirty_, or no dirty_), or `expunged` (deleted and not
//           in dirty_).
//
// A load that misses the snapshot while `amended` takes mu_, reads dirty_
// and counts a miss; when the misses reach dirty_'s size, dirty_ becomes the
// new snapshot (promotion) and dirty_ is dropped. A store of a new key
// creates dirty_ by copying the snapshot's live entries (marking deleted
// ones expunged) if there is none. So a stable key set costs one promotion,
// after which every read is lock-free.
//
// Reclamation. Go's GC frees old snapshots and values; here readers
// announce themselves on one of `kReaderSlots` padded counters (chosen per
// thread), one per epoch parity of three, after checking the global epoch
// did not move. A replaced value or snapshot is stamped with the epoch
// after it was unlinked and freed once the epoch is two further: the epoch
// advances from `e` only when no reader announced in `e - 1` is left. Writers
// advance it and free what they can; they never wait for readers.
// Rejected: `std::shared_ptr` loads (a lock in libstdc++), hazard pointers
// (per-read fences and a scan), a reader-writer lock (the shared counter
// every read would write is what `sync.Map` exists to avoid).

#ifndef MCO_STDLIB_CONTAINER_SYNC_HASH_MAP_H_
#define MCO_STDLIB_CONTAINER_SYNC_HASH_MAP_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "mco/container/tsan_visible_lock.h"

namespace mco::container {

namespace internal {

// Reader announcements and retired garbage for one map. See the design note
// in the file comment.
class Epochs {
 public:
  static constexpr int kReaderSlots = 16;

  Epochs() = default;
  Epochs(const Epochs&) = delete;
  Epochs& operator=(const Epochs&) = delete;
  ~Epochs() { free_all(); }

  // A reader's announcement; it keeps what it reads alive until destroyed.
  class Guard {
   public:
    explicit Guard(const Epochs& e) {
      std::atomic<int64_t>* slots = e.slots_[slot_index()].count;
      for (;;) {
        const uint64_t epoch = e.epoch_.load(std::memory_order_seq_cst);
        counter_ = &slots[epoch % 3];
        counter_->fetch_add(1, std::memory_order_seq_cst);
        if (e.epoch_.load(std::memory_order_seq_cst) == epoch) return;
        counter_->fetch_sub(1, std::memory_order_release);
      }
    }
    ~Guard() { counter_->fetch_sub(1, std::memory_order_release); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    std::atomic<int64_t>* counter_;
  };

  // Frees `p` with `del` once no reader can hold it. Call after unlinking
  // it (seq_cst), under the writers' lock.
  void retire(void* p, void (*del)(void*)) {
    retired_.push_back({epoch_.load(std::memory_order_seq_cst), p, del});
    collect();
  }

  // Advances the epoch if possible and frees what is old enough. Under the
  // writers' lock.
  void collect() {
    if (retired_.empty()) return;
    for (int i = 0; i < 2; ++i) {
      const uint64_t e = epoch_.load(std::memory_order_seq_cst);
      // Readers announced in e - 1 (counter (e + 2) % 3) must be gone.
      int64_t active = 0;
      for (const Slot& s : slots_) {
        active += s.count[(e + 2) % 3].load(std::memory_order_seq_cst);
      }
      if (active != 0) break;
      epoch_.store(e + 1, std::memory_order_seq_cst);
    }
    const uint64_t now = epoch_.load(std::memory_order_relaxed);
    size_t kept = 0;
    for (Retired& r : retired_) {
      if (r.epoch + 2 <= now) {
        r.del(r.p);
      } else {
        retired_[kept++] = r;
      }
    }
    retired_.resize(kept);
  }

  [[nodiscard]] size_t retired() const { return retired_.size(); }

  void free_all() {
    for (Retired& r : retired_) r.del(r.p);
    retired_.clear();
  }

 private:
  struct alignas(64) Slot {
    std::atomic<int64_t> count[3] = {0, 0, 0};
  };
  struct Retired {
    uint64_t epoch;
    void* p;
    void (*del)(void*);
  };

  static size_t slot_index() {
    static thread_local const size_t index =
        std::hash<std::thread::id>()(std::this_thread::get_id()) % kReaderSlots;
    return index;
  }

  // Three epochs apart is enough: a reader announced in `e` blocks the move
  // from `e + 1` to `e + 2`.
  std::atomic<uint64_t> epoch_{3};
  mutable Slot slots_[kReaderSlots];
  std::vector<Retired> retired_;  // guarded by the owner's writer lock
};

}  // namespace internal

// SyncHashMap
//
// Go's `sync.Map`. See the file comment.
template <typename K, typename V, typename Hash = absl::Hash<K>,
          typename Eq = std::equal_to<K>>
class SyncHashMap {
 public:
  // Slow-path counters (see `stats()`).
  struct Stats {
    uint64_t locked_loads = 0;  // loads that missed the snapshot, took mu_
    uint64_t promotions = 0;    // dirty map promoted to snapshot
    uint64_t dirty_builds = 0;  // dirty map rebuilt from the snapshot
  };

  SyncHashMap() : read_(new ReadOnly) {}
  SyncHashMap(const SyncHashMap&) = delete;
  SyncHashMap& operator=(const SyncHashMap&) = delete;

  ~SyncHashMap() {
    absl::flat_hash_set<Entry*> entries;
    ReadOnly* ro = read_.load(std::memory_order_relaxed);
    for (auto& [k, e] : ro->m) entries.insert(e);
    if (dirty_ != nullptr) {
      for (auto& [k, e] : *dirty_) entries.insert(e);
    }
    for (Entry* e : entries) {
      V* p = e->p.load(std::memory_order_relaxed);
      if (p != nullptr && p != expunged()) delete p;
      delete e;
    }
    delete ro;
    // epochs_ frees the retired rest.
  }

  // SyncHashMap::load()
  //
  // The value for `key`, or `std::nullopt`.
  [[nodiscard]] std::optional<V> load(const K& key) const {
    {
      internal::Epochs::Guard g(epochs_);
      const ReadOnly* ro = read_.load(std::memory_order_seq_cst);
      auto it = ro->m.find(key);
      if (it != ro->m.end()) return load_entry(it->second);
      if (!ro->amended.load(std::memory_order_seq_cst)) return std::nullopt;
    }
    internal::WriteLock lock(&mu_);
    ++stats_.locked_loads;
    // Re-check: a promotion may have happened meanwhile. Under mu_ nothing
    // we look at can be freed.
    const ReadOnly* ro = read_.load(std::memory_order_relaxed);
    auto it = ro->m.find(key);
    if (it != ro->m.end()) return load_entry(it->second);
    if (dirty_ == nullptr) return std::nullopt;
    auto dit = dirty_->find(key);
    std::optional<V> out;
    if (dit != dirty_->end()) out = load_entry(dit->second);
    // Counted whether or not the key was there: either way the snapshot
    // missed and dirty_ was needed.
    miss_locked();
    return out;
  }

  // SyncHashMap::store()
  //
  // Sets the value for `key`.
  void store(const K& key, V value) { swap_impl(key, std::move(value)); }

  // SyncHashMap::swap()
  //
  // Sets the value for `key` and returns the previous one, if any.
  std::optional<V> swap(const K& key, V value) {
    return swap_impl(key, std::move(value));
  }

  // SyncHashMap::load_or_store()
  //
  // The existing value for `key` and true if there is one; otherwise stores
  // `value` and returns it and false.
  std::pair<V, bool> load_or_store(const K& key, V value) {
    {
      internal::Epochs::Guard g(epochs_);
      const ReadOnly* ro = read_.load(std::memory_order_seq_cst);
      auto it = ro->m.find(key);
      if (it != ro->m.end()) {
        std::optional<std::pair<V, bool>> r =
            try_load_or_store(it->second, value);
        if (r.has_value()) return *std::move(r);
      }
    }
    internal::WriteLock lock(&mu_);
    ReadOnly* ro = read_.load(std::memory_order_relaxed);
    auto it = ro->m.find(key);
    if (it != ro->m.end()) {
      Entry* e = it->second;
      if (unexpunge_locked(e)) (*dirty_)[key] = e;
      std::optional<std::pair<V, bool>> r = try_load_or_store(e, value);
      // Not expunged any more, so it answered.
      return *std::move(r);
    }
    if (dirty_ != nullptr) {
      auto dit = dirty_->find(key);
      if (dit != dirty_->end()) {
        std::optional<std::pair<V, bool>> r =
            try_load_or_store(dit->second, value);
        miss_locked();
        return *std::move(r);
      }
    }
    add_dirty_locked(ro, key, new V(value));
    return {std::move(value), false};
  }

  // SyncHashMap::load_and_delete()
  //
  // Deletes `key`, returning its value if it had one.
  std::optional<V> load_and_delete(const K& key) {
    Entry* e = nullptr;
    {
      internal::Epochs::Guard g(epochs_);
      const ReadOnly* ro = read_.load(std::memory_order_seq_cst);
      auto it = ro->m.find(key);
      if (it != ro->m.end()) {
        e = it->second;
      } else if (!ro->amended.load(std::memory_order_seq_cst)) {
        return std::nullopt;
      }
      if (e != nullptr) {
        // Entries of the snapshot outlive the guard's reads, but the old
        // value may be freed once unlinked: copy it out under the guard.
        V* old = e->p.load(std::memory_order_seq_cst);
        while (old != nullptr && old != expunged()) {
          if (e->p.compare_exchange_weak(old, nullptr,
                                         std::memory_order_seq_cst)) {
            std::optional<V> out(*old);
            internal::WriteLock lock(&mu_);
            retire_value(old);
            return out;
          }
        }
        return std::nullopt;
      }
    }
    internal::WriteLock lock(&mu_);
    ReadOnly* ro = read_.load(std::memory_order_relaxed);
    auto it = ro->m.find(key);
    if (it != ro->m.end()) return delete_entry_locked(it->second);
    if (dirty_ == nullptr) return std::nullopt;
    auto dit = dirty_->find(key);
    if (dit == dirty_->end()) {
      miss_locked();
      return std::nullopt;
    }
    Entry* de = dit->second;
    dirty_->erase(dit);
    std::optional<V> out = delete_entry_locked(de);
    // Only in dirty_: no snapshot holds it, no lock-free reader can reach it.
    delete de;
    miss_locked();
    return out;
  }

  // SyncHashMap::erase()
  //
  // Deletes `key`; returns whether it was present.
  bool erase(const K& key) { return load_and_delete(key).has_value(); }

  // SyncHashMap::range()
  //
  // Calls `fn(const K&, const V&)` for each key, at most once per key;
  // stops early if `fn` returns false (`fn` may also return void). See the
  // file comment for what it sees of concurrent updates. `fn` runs with no
  // lock held.
  template <typename F>
  void range(F&& fn) const {
    // Like Go: if dirty_ has keys the snapshot lacks, promote it first, so
    // one pass over the snapshot sees every key.
    if (read_.load(std::memory_order_seq_cst)
            ->amended.load(std::memory_order_seq_cst)) {
      internal::WriteLock lock(&mu_);
      ReadOnly* ro = read_.load(std::memory_order_relaxed);
      if (ro->amended.load(std::memory_order_relaxed)) promote_locked();
    }
    internal::Epochs::Guard g(epochs_);
    const ReadOnly* ro = read_.load(std::memory_order_seq_cst);
    for (const auto& [k, e] : ro->m) {
      const V* p = e->p.load(std::memory_order_seq_cst);
      if (p == nullptr || p == expunged()) continue;
      if constexpr (std::is_same_v<decltype(fn(k, *p)), void>) {
        fn(k, *p);
      } else {
        if (!fn(k, *p)) return;
      }
    }
  }

  // SyncHashMap::stats()
  [[nodiscard]] Stats stats() const {
    internal::WriteLock lock(&mu_);
    return stats_;
  }

  // SyncHashMap::retired_for_test()
  //
  // Objects waiting for reclamation.
  [[nodiscard]] size_t retired_for_test() const {
    internal::WriteLock lock(&mu_);
    return epochs_.retired();
  }

 private:
  struct Entry {
    explicit Entry(V* v) : p(v) {}
    std::atomic<V*> p;
  };
  using Map = absl::flat_hash_map<K, Entry*, Hash, Eq>;
  struct ReadOnly {
    Map m;
    std::atomic<bool> amended{false};
  };

  static V* expunged() {
    alignas(V) static unsigned char tag[sizeof(V)];
    return reinterpret_cast<V*>(tag);
  }

  // Copies the entry's value, if live. Under a guard or mu_.
  static std::optional<V> load_entry(const Entry* e) {
    const V* p = e->p.load(std::memory_order_seq_cst);
    if (p == nullptr || p == expunged()) return std::nullopt;
    return *p;
  }

  // Under a guard or mu_. nullopt if the entry is expunged; else the
  // existing value and true, or stores `value` and returns it and false.
  std::optional<std::pair<V, bool>> try_load_or_store(Entry* e,
                                                      const V& value) {
    V* p = e->p.load(std::memory_order_seq_cst);
    if (p == expunged()) return std::nullopt;
    if (p != nullptr) return std::pair<V, bool>(*p, true);
    auto fresh = std::make_unique<V>(value);
    for (;;) {
      if (e->p.compare_exchange_weak(p, fresh.get(),
                                     std::memory_order_seq_cst)) {
        fresh.release();
        return std::pair<V, bool>(value, false);
      }
      if (p == expunged()) return std::nullopt;
      if (p != nullptr) return std::pair<V, bool>(*p, true);
    }
  }

  std::optional<V> swap_impl(const K& key, V value) {
    auto fresh = std::make_unique<V>(std::move(value));
    {
      internal::Epochs::Guard g(epochs_);
      const ReadOnly* ro = read_.load(std::memory_order_seq_cst);
      auto it = ro->m.find(key);
      if (it != ro->m.end()) {
        Entry* e = it->second;
        V* old = e->p.load(std::memory_order_seq_cst);
        while (old != expunged()) {
          if (e->p.compare_exchange_weak(old, fresh.get(),
                                         std::memory_order_seq_cst)) {
            fresh.release();
            if (old == nullptr) return std::nullopt;
            std::optional<V> out(*old);
            internal::WriteLock lock(&mu_);
            retire_value(old);
            return out;
          }
        }
      }
    }
    internal::WriteLock lock(&mu_);
    ReadOnly* ro = read_.load(std::memory_order_relaxed);
    V* old = nullptr;
    auto it = ro->m.find(key);
    if (it != ro->m.end()) {
      Entry* e = it->second;
      if (unexpunge_locked(e)) (*dirty_)[key] = e;
      old = e->p.exchange(fresh.release(), std::memory_order_seq_cst);
    } else if (dirty_ != nullptr && dirty_->contains(key)) {
      old = (*dirty_)[key]->p.exchange(fresh.release(),
                                       std::memory_order_seq_cst);
    } else {
      add_dirty_locked(ro, key, fresh.release());
    }
    if (old == nullptr) return std::nullopt;
    std::optional<V> out(*old);
    retire_value(old);
    return out;
  }

  // Deletes the value of an entry reachable under mu_.
  std::optional<V> delete_entry_locked(Entry* e)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    V* old = e->p.load(std::memory_order_seq_cst);
    while (old != nullptr && old != expunged()) {
      if (e->p.compare_exchange_weak(old, nullptr, std::memory_order_seq_cst)) {
        std::optional<V> out(*old);
        retire_value(old);
        return out;
      }
    }
    return std::nullopt;
  }

  // Adds a new key to dirty_, building dirty_ first if needed.
  void add_dirty_locked(ReadOnly* ro, const K& key, V* v)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!ro->amended.load(std::memory_order_relaxed)) {
      build_dirty_locked(ro);
      ro->amended.store(true, std::memory_order_seq_cst);
    }
    dirty_->emplace(key, new Entry(v));
  }

  // If the entry was expunged, makes it merely deleted; returns true then
  // (the caller must put it back into dirty_).
  static bool unexpunge_locked(Entry* e) {
    V* x = expunged();
    return e->p.compare_exchange_strong(x, nullptr, std::memory_order_seq_cst);
  }

  void build_dirty_locked(const ReadOnly* ro) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (dirty_ != nullptr) return;
    ++stats_.dirty_builds;
    dirty_ = std::make_unique<Map>();
    dirty_->reserve(ro->m.size());
    for (const auto& [k, e] : ro->m) {
      V* p = e->p.load(std::memory_order_seq_cst);
      while (p == nullptr) {
        if (e->p.compare_exchange_weak(p, expunged(),
                                       std::memory_order_seq_cst)) {
          break;
        }
      }
      if (p != nullptr && p != expunged()) dirty_->emplace(k, e);
    }
  }

  void miss_locked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ++misses_;
    if (dirty_ != nullptr && misses_ >= dirty_->size()) promote_locked();
  }

  // dirty_ becomes the snapshot. The old snapshot, and its entries that
  // were expunged (in no other map), are retired.
  void promote_locked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto* fresh = new ReadOnly;
    if (dirty_ != nullptr) fresh->m = std::move(*dirty_);
    dirty_.reset();
    misses_ = 0;
    ++stats_.promotions;
    ReadOnly* old = read_.exchange(fresh, std::memory_order_seq_cst);
    for (const auto& [k, e] : old->m) {
      if (e->p.load(std::memory_order_seq_cst) == expunged()) {
        epochs_.retire(e, [](void* p) { delete static_cast<Entry*>(p); });
      }
    }
    epochs_.retire(old, [](void* p) { delete static_cast<ReadOnly*>(p); });
  }

  void retire_value(V* v) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    epochs_.retire(v, [](void* p) { delete static_cast<V*>(p); });
  }

  mutable std::atomic<ReadOnly*> read_;
  mutable absl::Mutex mu_;
  mutable std::unique_ptr<Map> dirty_ ABSL_GUARDED_BY(mu_);
  mutable size_t misses_ ABSL_GUARDED_BY(mu_) = 0;
  mutable Stats stats_ ABSL_GUARDED_BY(mu_);
  mutable internal::Epochs epochs_;  // retire/collect under mu_
};

}  // namespace mco::container

#endif  // MCO_STDLIB_CONTAINER_SYNC_HASH_MAP_H_
