// Copyright 2026 The mco Authors.

#include "runtime/stack_pool.h"

#include <mimalloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "runtime/check.h"

namespace mco::rt {
namespace {

constexpr size_t kMaxSlabBytes = size_t{1} << 30;
constexpr size_t kMaxSlotsPerSlab = 128;
constexpr int kThreadCacheSlots = 32;
// Released stacks beyond this many in the shared free lists are released
// whole: their warm part too goes back to the OS.
constexpr size_t kSharedWarmLimit = 8192;
// Mappings left to the rest of the process before guard pages stop.
constexpr long kMapReserve = 32768;

size_t compute_page_size() {
  long p = sysconf(_SC_PAGESIZE);
  return p > 0 ? static_cast<size_t>(p) : 4096;
}

size_t compute_guard_budget() {
  if (const char* env = getenv("MCO_GUARD_PAGES"); env != nullptr) {
    char* end = nullptr;
    unsigned long long n = strtoull(env, &end, 10);
    if (end != env && *end == '\0') return static_cast<size_t>(n);
  }
  long max_maps = 65530;
  if (FILE* f = fopen("/proc/sys/vm/max_map_count", "r"); f != nullptr) {
    if (fscanf(f, "%ld", &max_maps) != 1) max_maps = 65530;
    fclose(f);
  }
  return max_maps > kMapReserve
             ? static_cast<size_t>(max_maps - kMapReserve) / 2
             : 0;
}

void give_back(char* begin, char* end) {
  if (end <= begin) return;
  // MADV_DONTNEED drops the pages at once (RSS falls now); the next touch
  // maps a fresh zero page.
  madvise(begin, static_cast<size_t>(end - begin), MADV_DONTNEED);
}

// Gives back the whole of `n` stacks of one size (sorted here): slots that
// are neighbours in a slab go in one madvise, guard pages between them
// included (dropping a PROT_NONE page's nothing is harmless).
void give_back_all(Stack* stacks, int n) {
  std::sort(stacks, stacks + n,
            [](const Stack& a, const Stack& b) { return a.limit < b.limit; });
  const size_t gap = page_size();  // a slot's guard page (or its room)
  int i = 0;
  while (i < n) {
    int j = i;
    while (j + 1 < n && stacks[j + 1].limit == stacks[j].top + gap) ++j;
    give_back(stacks[i].limit, stacks[j].top);
    i = j + 1;
  }
}

struct SizeClass {
  std::vector<Stack> free;
  size_t warm = 0;        // stacks in `free` that kept their warm part
  char* slab = nullptr;   // slab being carved
  size_t next_slot = 0;   // next slot index in `slab`
  size_t slab_slots = 0;  // slots in `slab`
};

class Pool {
 public:
  Pool() : page_(compute_page_size()), guard_budget_(compute_guard_budget()) {}

  size_t page() const { return page_; }

  // Pool::acquire()
  //
  // Fills `out` with up to `max` (>= 1) stacks of `size`: free ones first,
  // else one newly carved. Returns how many.
  int acquire(size_t size, Stack* out, int max) {
    std::lock_guard<std::mutex> lock(mu_);
    SizeClass& c = classes_[size];
    int n = 0;
    while (n < max && !c.free.empty()) {
      out[n++] = c.free.back();
      c.free.pop_back();
    }
    if (c.warm > c.free.size()) c.warm = c.free.size();
    if (n == 0) out[n++] = carve(c, size);
    return n;
  }

  // Pool::release()
  //
  // Takes back `n` stacks of one size. Those beyond the warm limit go back to
  // the OS whole first, outside the lock, neighbouring slots in one call (each
  // madvise costs a TLB shootdown on every core running the process).
  void release(const Stack* stacks, int n) {
    if (n == 0) return;
    MCO_CHECK(n <= kThreadCacheSlots);  // a thread cache's worth at most
    Stack cold[kThreadCacheSlots];
    int n_cold = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      SizeClass& c = classes_[stacks[0].size()];
      for (int i = 0; i < n; ++i) {
        if (c.warm < kSharedWarmLimit) {
          ++c.warm;
          c.free.push_back(stacks[i]);
        } else {
          cold[n_cold++] = stacks[i];
        }
      }
    }
    if (n_cold == 0) return;
    give_back_all(cold, n_cold);
    std::lock_guard<std::mutex> lock(mu_);
    SizeClass& c = classes_[stacks[0].size()];
    c.free.insert(c.free.end(), cold, cold + n_cold);
  }

  StackPoolStats stats() {
    std::lock_guard<std::mutex> lock(mu_);
    StackPoolStats st = stats_;
    st.guard_budget = guard_budget_;
    for (auto& [size, c] : classes_) st.free_slots += c.free.size();
    return st;
  }

 private:
  Stack carve(SizeClass& c, size_t size) {
    const size_t slot_bytes = size + page_;  // a guard page's room, always
    if (c.slab == nullptr || c.next_slot == c.slab_slots) {
      size_t n =
          std::clamp<size_t>(kMaxSlabBytes / slot_bytes, 1, kMaxSlotsPerSlab);
      void* p = mi_malloc_aligned(n * slot_bytes, page_);
      if (p == nullptr) {
        fatal(
            "out of address space for coroutine stacks (%zu stacks of %zu "
            "bytes allocated)",
            stats_.slots, size);
      }
      c.slab = static_cast<char*>(p);
      c.next_slot = 0;
      c.slab_slots = n;
      ++stats_.slabs;
    }
    char* base = c.slab + c.next_slot * slot_bytes;
    ++c.next_slot;
    ++stats_.slots;
    Stack s;
    s.limit = base + page_;
    s.top = s.limit + size;
    if (guard_budget_ > 0 && mprotect(base, page_, PROT_NONE) == 0) {
      --guard_budget_;
      ++stats_.guarded_slots;
      s.guarded = true;
    }
    return s;
  }

  const size_t page_;
  std::mutex mu_;
  size_t guard_budget_;
  absl::flat_hash_map<size_t, SizeClass> classes_;
  StackPoolStats stats_;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: stacks may outlive statics
  return *p;
}

// A per-thread cache of released stacks of one size, so spawn/exit cycles
// on a worker do not touch the shared lock. It trades with the pool in
// batches of half its size: a worker that only spawns (its stacks come back
// on another worker) takes the shared lock once per batch, not per stack.
struct ThreadCache {
  size_t size = 0;
  int n = 0;
  Stack slots[kThreadCacheSlots];

  ~ThreadCache() { pool().release(slots, n); }
};

constexpr int kCacheBatch = kThreadCacheSlots / 2;

thread_local ThreadCache cache;

}  // namespace

bool Stack::in_guard(const void* p) const {
  if (!guarded) return false;
  return p >= limit - page_size() && p < limit;
}

size_t page_size() {
  static const size_t p = compute_page_size();
  return p;
}

size_t round_stack_size(size_t size) {
  size = std::max(size, kMinStackBytes);
  const size_t p = page_size();
  return (size + p - 1) / p * p;
}

Stack acquire_stack(size_t size) {
  size = round_stack_size(size);
  ThreadCache& tc = cache;
  if (tc.n > 0 && tc.size == size) return tc.slots[--tc.n];
  if (tc.n > 0) {  // another size: hand the cache back, follow the new size
    pool().release(tc.slots, tc.n);
    tc.n = 0;
  }
  tc.size = size;
  tc.n = pool().acquire(size, tc.slots, kCacheBatch);
  return tc.slots[--tc.n];
}

void release_stack(Stack stack, const void* low_water) {
  if (stack.empty()) return;
  char* warm_floor = stack.top - std::min(kWarmBytes, stack.size());
  if (low_water == nullptr || low_water < warm_floor) {
    give_back(stack.limit, warm_floor);
  }
  ThreadCache& tc = cache;
  if (tc.n > 0 && tc.size != stack.size()) {
    // Another size now: hand the cache back and follow the new size.
    pool().release(tc.slots, tc.n);
    tc.n = 0;
  }
  if (tc.n == kThreadCacheSlots) {  // full: the older half goes back
    pool().release(tc.slots, kCacheBatch);
    std::copy(tc.slots + kCacheBatch, tc.slots + tc.n, tc.slots);
    tc.n -= kCacheBatch;
  }
  tc.size = stack.size();
  tc.slots[tc.n++] = stack;
}

StackPoolStats stack_pool_stats() { return pool().stats(); }

}  // namespace mco::rt
