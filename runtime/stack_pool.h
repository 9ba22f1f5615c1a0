// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: stack_pool.h
// -----------------------------------------------------------------------------
//
// Coroutine stacks and the pool they come from.
//
// Design
//
// A stack is a slot of address space: an optional guard page at its lowest
// address, then `size` usable bytes; the coroutine's frames grow down from the
// top. Pages cost memory only once touched (Linux commits anonymous memory
// lazily), so a 6 MiB stack whose coroutine touches 4 KiB costs 4 KiB.
//
// Slots are carved from slabs: big blocks (up to 128 slots, at most ~1 GiB)
// allocated from mimalloc with page alignment. One slab is one memory mapping
// for the kernel, so 1,000,000 default stacks cost ~7,800 mappings, well inside
// Linux's default `vm.max_map_count` (65530). Asking mimalloc for each stack
// separately would cost ~18 KiB of RSS of bookkeeping per stack (measured).
//
// Guard pages: a PROT_NONE page splits a mapping in two, so every guarded
// stack costs two mappings. The pool guards stacks while a budget lasts
// (half of what `vm.max_map_count` leaves after a reserve; override with the
// environment variable `MCO_GUARD_PAGES=N`); later slots are unguarded and the
// scheduler checks the stack pointer against the stack's limit on every
// switch instead (see scheduler.cc). A slot keeps the kind it was born with.
//
// Release: a stack that goes back to the pool keeps its top `kWarmBytes`
// committed (they will be touched again by the next coroutine) and gives the
// rest of its touched pages back to the OS with madvise(MADV_DONTNEED), so a
// finished coroutine does not pin memory. The pool knows how deep a stack was
// used from the lowest stack pointer the scheduler saw at switches
// (`low_water`).
//
// Thread safety: all functions may be called from any thread.

#ifndef MCO_RUNTIME_STACK_POOL_H_
#define MCO_RUNTIME_STACK_POOL_H_

#include <cstddef>
#include <cstdint>

namespace mco::rt {

// The smallest stack (mco::kMinStackSize is the same number).
inline constexpr size_t kMinStackBytes = size_t{16} << 10;

// Bytes at the top of a released stack that stay committed.
inline constexpr size_t kWarmBytes = size_t{16} << 10;

// Stack
//
// One coroutine stack. `limit` is the lowest usable address, `top` one past
// the highest. A default-constructed Stack is empty.
struct Stack {
  char* limit = nullptr;
  char* top = nullptr;
  bool guarded = false;

  [[nodiscard]] size_t size() const { return static_cast<size_t>(top - limit); }
  [[nodiscard]] bool empty() const { return top == nullptr; }
  [[nodiscard]] bool contains(const void* p) const {
    return p >= limit && p < top;
  }
  // The guard page's range, if guarded: [limit - page, limit).
  [[nodiscard]] bool in_guard(const void* p) const;
};

// Returns the system page size.
size_t page_size();

// Rounds a requested stack size up to whole pages, at least kMinStackBytes.
size_t round_stack_size(size_t size);

// Takes a stack of `round_stack_size(size)` usable bytes from the pool.
// Aborts with a clear message if the address space is exhausted.
Stack acquire_stack(size_t size);

// Returns `stack` to the pool. `low_water` is the lowest address the stack was
// seen to use (nullptr: unknown, assume all of it).
void release_stack(Stack stack, const void* low_water);

// StackPoolStats
//
// Counters for tests and benchmarks.
struct StackPoolStats {
  size_t slabs = 0;          // slabs allocated from mimalloc
  size_t slots = 0;          // slots carved
  size_t guarded_slots = 0;  // slots with a guard page
  size_t free_slots = 0;     // slots in the pool now
  size_t guard_budget = 0;   // guard pages still allowed
};
StackPoolStats stack_pool_stats();

}  // namespace mco::rt

#endif  // MCO_RUNTIME_STACK_POOL_H_
