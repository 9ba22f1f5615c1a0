// Copyright 2026 The mco Authors.
//
// Tests of the stack pool (runtime/stack_pool.h) and of stack-overflow
// detection: by guard page, and by the check on every switch for stacks
// beyond the guard-page budget.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "runtime/coroutine.h"
#include "runtime/scheduler.h"
#include "runtime/stack_pool.h"

namespace {

using mco::rt::Stack;

// Counts resident pages in [begin, end).
size_t resident_pages(char* begin, char* end) {
  const size_t page = mco::rt::page_size();
  size_t n = static_cast<size_t>(end - begin) / page;
  std::vector<unsigned char> vec(n);
  if (mincore(begin, n * page, vec.data()) != 0) return SIZE_MAX;
  size_t resident = 0;
  for (unsigned char v : vec) resident += v & 1;
  return resident;
}

TEST(StackPool, SizesRoundUpToPagesAndMinimum) {
  const size_t page = mco::rt::page_size();
  EXPECT_EQ(mco::rt::round_stack_size(1), mco::kMinStackSize);
  EXPECT_EQ(mco::rt::round_stack_size(mco::kMinStackSize + 1),
            mco::kMinStackSize + page);
  EXPECT_EQ(mco::rt::round_stack_size(mco::kDefaultStackSize),
            mco::kDefaultStackSize);
}

TEST(StackPool, AcquireGivesDistinctUsableStacks) {
  std::vector<Stack> stacks;
  for (int i = 0; i < 100; ++i) {
    Stack s = mco::rt::acquire_stack(64 << 10);
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(s.size(), size_t{64} << 10);
    s.top[-1] = 1;   // usable at the top...
    s.limit[0] = 1;  // ...and at the limit
    for (const Stack& o : stacks) {
      EXPECT_TRUE(s.top <= o.limit || s.limit >= o.top) << "overlap";
    }
    stacks.push_back(s);
  }
  for (const Stack& s : stacks) mco::rt::release_stack(s, nullptr);
}

TEST(StackPool, ReleaseGivesTouchedPagesBackBeyondWarmPart) {
  Stack s = mco::rt::acquire_stack(size_t{1} << 20);
  // Touch 512 KiB from the top.
  for (char* p = s.top - 1; p >= s.top - (512 << 10); p -= 4096) *p = 1;
  char* warm_floor = s.top - mco::rt::kWarmBytes;
  ASSERT_GE(resident_pages(s.top - (512 << 10), warm_floor), 100u);
  mco::rt::release_stack(s, s.top - (512 << 10));
  EXPECT_EQ(resident_pages(s.limit, warm_floor), 0u);
}

TEST(StackPool, FinishedCoroutineDoesNotPinItsStack) {
  char* limit = nullptr;
  char* top = nullptr;
  mco::run({.workers = 1}, [&] {
    auto h = mco::Builder().stack_size(size_t{1} << 20).spawn([&] {
      mco::rt::Coroutine* co = mco::rt::current();
      limit = co->stack.limit;
      top = co->stack.top;
      volatile char big[400 << 10];
      for (size_t i = 0; i < sizeof(big); i += 4096) big[i] = 1;
      mco::yield_now();  // the scheduler sees how deep the stack went
      return big[0];
    });
    h.join();
    return 0;
  });
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(resident_pages(limit, top - mco::rt::kWarmBytes), 0u);
}

volatile int never = -1;  // keeps the compiler from seeing endless recursion

int recurse_forever(int n) {
  volatile char frame[512];
  frame[0] = static_cast<char>(n);
  if (n == never) return 0;
  return recurse_forever(n + 1) + frame[0];
}

void overflow_guarded() {
  mco::run({.workers = 2}, [] {
    auto h = mco::Builder().name("deep").stack_size(64 << 10).spawn(
        [] { return recurse_forever(0); });
    return h.join();
  });
}

TEST(StackOverflowDeathTest, GuardPageNamesCoroutine) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(overflow_guarded(),
               "mco: fatal: stack overflow in coroutine [0-9]+ 'deep' "
               "\\(stack size 65536 bytes\\)");
}

// Writes a little below the stack's limit (into the slot's spare page, which
// is mapped when the slot has no guard), then switches.
int recurse_past_limit(char* limit) {
  volatile char frame[512];
  frame[0] = 1;
  if (reinterpret_cast<char*>(const_cast<char*>(&frame[0])) > limit - 1024) {
    return recurse_past_limit(limit) + frame[0];
  }
  mco::yield_now();  // the switch-time check fires here
  return frame[0];
}

void overflow_unguarded() {
  setenv("MCO_GUARD_PAGES", "0", 1);  // before the pool exists
  mco::run({.workers = 1}, [] {
    auto h = mco::Builder().name("unguarded").stack_size(64 << 10).spawn([] {
      mco::rt::Coroutine* co = mco::rt::current();
      if (co->stack.guarded) return -1;  // would not test the check
      return recurse_past_limit(co->stack.limit);
    });
    return h.join();
  });
}

TEST(StackOverflowDeathTest, SwitchCheckNamesCoroutineWithoutGuard) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(overflow_unguarded(),
               "mco: fatal: stack overflow in coroutine [0-9]+ 'unguarded' "
               "\\(stack size 65536 bytes\\)");
}

}  // namespace
