// Copyright 2026 The mco Authors.
//
// Tests for the machine-level context switch (runtime/context.h). The same
// file runs on x86-64 (Bazel) and on AArch64 (tools/aarch64_test.sh, qemu).

#include "runtime/context.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <unwind.h>

#include <algorithm>
#include <cfenv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define MCO_TEST_ASAN 1
#else
#define MCO_TEST_ASAN 0
#endif

// Assembly helpers.
//
// mco_test_switch_with_regs(save_sp, load_sp, transfer, in, out) loads every
// callee-saved register from in[], calls mco_context_switch(save_sp, load_sp,
// transfer), and when that returns stores the same registers to out[]. It
// preserves the registers for its own caller.
//   x86-64:  in/out = rbx, rbp, r12, r13, r14, r15                (6 values)
//   AArch64: in/out = x19..x28, x29, d8..d15 (raw 64-bit patterns) (19 values)
//
// mco_test_sp_misalignment() returns the stack misalignment its caller had
// at the call: x86-64 (rsp + 8) % 16 at entry, AArch64 sp % 16. 0 is correct.
extern "C" void* mco_test_switch_with_regs(void** save_sp, void* load_sp,
                                           void* transfer, const uint64_t* in,
                                           uint64_t* out);
extern "C" uintptr_t mco_test_sp_misalignment();

#if defined(__x86_64__)
constexpr int kNumRegs = 6;
asm(R"(
        .text
        .type   mco_test_switch_with_regs, @function
        .p2align 4
mco_test_switch_with_regs:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        pushq   %r8
        movq    0(%rcx), %rbx
        movq    8(%rcx), %rbp
        movq    16(%rcx), %r12
        movq    24(%rcx), %r13
        movq    32(%rcx), %r14
        movq    40(%rcx), %r15
        callq   mco_context_switch@PLT
        movq    (%rsp), %r8
        movq    %rbx, 0(%r8)
        movq    %rbp, 8(%r8)
        movq    %r12, 16(%r8)
        movq    %r13, 24(%r8)
        movq    %r14, 32(%r8)
        movq    %r15, 40(%r8)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .size   mco_test_switch_with_regs, .-mco_test_switch_with_regs

        .type   mco_test_sp_misalignment, @function
        .p2align 4
mco_test_sp_misalignment:
        leaq    8(%rsp), %rax
        andq    $15, %rax
        ret
        .size   mco_test_sp_misalignment, .-mco_test_sp_misalignment
)");
#elif defined(__aarch64__)
constexpr int kNumRegs = 19;
asm(R"(
        .text
        .type   mco_test_switch_with_regs, %function
        .p2align 4
mco_test_switch_with_regs:
        stp     x29, x30, [sp, #-176]!
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        stp     x27, x28, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        str     x4, [sp, #160]
        ldp     x19, x20, [x3, #0]
        ldp     x21, x22, [x3, #16]
        ldp     x23, x24, [x3, #32]
        ldp     x25, x26, [x3, #48]
        ldp     x27, x28, [x3, #64]
        ldr     x29, [x3, #80]
        ldp     d8, d9, [x3, #88]
        ldp     d10, d11, [x3, #104]
        ldp     d12, d13, [x3, #120]
        ldp     d14, d15, [x3, #136]
        bl      mco_context_switch
        ldr     x4, [sp, #160]
        stp     x19, x20, [x4, #0]
        stp     x21, x22, [x4, #16]
        stp     x23, x24, [x4, #32]
        stp     x25, x26, [x4, #48]
        stp     x27, x28, [x4, #64]
        str     x29, [x4, #80]
        stp     d8, d9, [x4, #88]
        stp     d10, d11, [x4, #104]
        stp     d12, d13, [x4, #120]
        stp     d14, d15, [x4, #136]
        ldp     x19, x20, [sp, #16]
        ldp     x21, x22, [sp, #32]
        ldp     x23, x24, [sp, #48]
        ldp     x25, x26, [sp, #64]
        ldp     x27, x28, [sp, #80]
        ldp     d8, d9, [sp, #96]
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        ldp     x29, x30, [sp], #176
        ret
        .size   mco_test_switch_with_regs, .-mco_test_switch_with_regs

        .type   mco_test_sp_misalignment, %function
        .p2align 4
mco_test_sp_misalignment:
        mov     x0, sp
        and     x0, x0, #15
        ret
        .size   mco_test_sp_misalignment, .-mco_test_sp_misalignment
)");
#else
#error "context_test supports x86-64 and AArch64 only"
#endif

namespace {

constexpr size_t kStackSize = 256 * 1024;

void* ToPtr(intptr_t v) { return reinterpret_cast<void*>(v); }
intptr_t FromPtr(void* p) { return reinterpret_cast<intptr_t>(p); }

// Heap memory used as a context's stack.
class Stack;
std::vector<Stack*> g_stacks;  // every live Stack, for AnnotatedSwitch

class Stack {
 public:
  explicit Stack(size_t size = kStackSize) : size_(size), mem_(new char[size]) {
    g_stacks.push_back(this);
  }
  ~Stack() {
    g_stacks.erase(std::find(g_stacks.begin(), g_stacks.end(), this));
  }
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  char* base() { return mem_.get(); }
  size_t size() const { return size_; }
  void* top() { return mem_.get() + size_; }
  bool Contains(void* sp) { return sp >= base() && sp < top(); }

 private:
  size_t size_;
  std::unique_ptr<char[]> mem_;
};

// mco_context_switch plus the AddressSanitizer annotations that let ASan
// follow the switch (it needs them to unwind exceptions, through
// __asan_handle_no_return, on a context's stack). A plain switch otherwise.
// Entries of contexts switched to this way call EnterAnnotatedContext first.
void* AnnotatedSwitch(void** save_sp, void* load_sp, void* transfer) {
#if MCO_TEST_ASAN
  const void* bottom = nullptr;
  size_t size = 0;
  for (Stack* s : g_stacks) {
    if (s->Contains(load_sp)) bottom = s->base(), size = s->size();
  }
  if (bottom == nullptr) {  // back to this thread's own stack
    pthread_attr_t attr;
    void* addr;
    pthread_getattr_np(pthread_self(), &attr);
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    bottom = addr;
  }
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  void* result = mco_context_switch(save_sp, load_sp, transfer);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
  return result;
#else
  return mco_context_switch(save_sp, load_sp, transfer);
#endif
}

void EnterAnnotatedContext() {
#if MCO_TEST_ASAN
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
}

// A context plus the stack pointer of whoever resumed it last. The entry gets
// the Coro* as its first transfer value.
class Coro {
 public:
  explicit Coro(void (*entry)(void*))
      : sp_(mco_context_make(stack_.top(), entry)) {}
  // Called from outside: runs the context until it yields.
  void* Resume(void* v) { return mco_context_switch(&caller_sp_, sp_, v); }
  // Called from inside: returns to the last resumer.
  void* Yield(void* v) { return mco_context_switch(&sp_, caller_sp_, v); }
  void* Start() { return Resume(this); }

 private:
  Stack stack_;
  void* sp_;
  void* caller_sp_ = nullptr;
};

// Restores the thread's FP environment at the end of a test.
class FpEnvGuard {
 public:
  FpEnvGuard() {
    fegetenv(&env_);
#if defined(__x86_64__)
    csr_ = _mm_getcsr();
#endif
  }
  ~FpEnvGuard() {
    fesetenv(&env_);
#if defined(__x86_64__)
    _mm_setcsr(csr_);
#endif
  }

 private:
  fenv_t env_;
#if defined(__x86_64__)
  unsigned csr_;
#endif
};

// The raw FP control state, without the sticky exception flags.
struct FpControl {
#if defined(__x86_64__)
  uint32_t mxcsr;  // status bits 0-5 masked off
  uint16_t x87_cw;
#else
  uint64_t fpcr;
#endif
};

__attribute__((noinline)) FpControl ReadFpControl() {
  FpControl c;
#if defined(__x86_64__)
  c.mxcsr = _mm_getcsr() & ~0x3Fu;
  asm volatile("fnstcw %0" : "=m"(c.x87_cw));
#else
  asm volatile("mrs %0, fpcr" : "=r"(c.fpcr));
#endif
  return c;
}

// Finds the rounding mode that the hardware really applies to doubles, from
// the results of inexact divisions (RN = round to nearest):
//   1/3:   RN rounds down, so only FE_UPWARD gives more than RN.
//   1/10:  RN rounds up, so FE_TOWARDZERO and FE_DOWNWARD give less than RN.
//   -1/10: RN rounds away from zero, so FE_TOWARDZERO and FE_UPWARD give
//          more than RN.
__attribute__((noinline)) int MeasuredRounding() {
  volatile double one = 1.0, minus_one = -1.0, three = 3.0, ten = 10.0;
  volatile double third = one / three;
  volatile double tenth = one / ten;
  volatile double minus_tenth = minus_one / ten;
  const bool third_up = third > 1.0 / 3.0;
  const bool tenth_down = tenth < 0.1;
  const bool minus_tenth_up = minus_tenth > -0.1;
  if (!third_up && !tenth_down && !minus_tenth_up) return FE_TONEAREST;
  if (third_up && !tenth_down && minus_tenth_up) return FE_UPWARD;
  if (!third_up && tenth_down && minus_tenth_up) return FE_TOWARDZERO;
  if (!third_up && tenth_down && !minus_tenth_up) return FE_DOWNWARD;
  return -1;
}

// ---------------------------------------------------------------------------
// Transfer values and ping-pong.

TEST(ContextTest, FirstSwitchCallsEntryWithTransfer) {
  static void* main_sp;
  static void* ctx_sp;
  static std::vector<void*> seen;
  seen.clear();
  Stack stack;
  ctx_sp = mco_context_make(stack.top(), [](void* t) {
    seen.push_back(t);
    t = mco_context_switch(&ctx_sp, main_sp, ToPtr(-1));
    seen.push_back(t);
    t = mco_context_switch(&ctx_sp, main_sp, nullptr);
    seen.push_back(t);
    mco_context_switch(&ctx_sp, main_sp, &seen);
  });
  int local = 0;
  EXPECT_EQ(mco_context_switch(&main_sp, ctx_sp, &local), ToPtr(-1));
  EXPECT_EQ(mco_context_switch(&main_sp, ctx_sp, nullptr), nullptr);
  EXPECT_EQ(mco_context_switch(&main_sp, ctx_sp, ToPtr(INTPTR_MIN)), &seen);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], &local);
  EXPECT_EQ(seen[1], nullptr);
  EXPECT_EQ(seen[2], ToPtr(INTPTR_MIN));
}

// main -> A -> B -> main, each hop adding 1 to the transfer value.
struct PingPong {
  void* main_sp = nullptr;
  void* a_sp = nullptr;
  void* b_sp = nullptr;
  std::vector<std::pair<char, intptr_t>> trace;
};
PingPong* g_ping_pong;

TEST(ContextTest, PingPongBetweenMainAndTwoContexts) {
  PingPong pp;
  g_ping_pong = &pp;
  Stack stack_a, stack_b;
  pp.a_sp = mco_context_make(stack_a.top(), [](void* t) {
    intptr_t v = FromPtr(t);
    for (;;) {
      g_ping_pong->trace.emplace_back('A', v);
      v = FromPtr(mco_context_switch(&g_ping_pong->a_sp, g_ping_pong->b_sp,
                                     ToPtr(v + 1)));
    }
  });
  pp.b_sp = mco_context_make(stack_b.top(), [](void* t) {
    intptr_t v = FromPtr(t);
    for (;;) {
      g_ping_pong->trace.emplace_back('B', v);
      v = FromPtr(mco_context_switch(&g_ping_pong->b_sp, g_ping_pong->main_sp,
                                     ToPtr(v + 1)));
    }
  });
  std::vector<std::pair<char, intptr_t>> want;
  for (intptr_t round = 0; round < 5; ++round) {
    void* got = mco_context_switch(&pp.main_sp, pp.a_sp, ToPtr(100 * round));
    EXPECT_EQ(FromPtr(got), 100 * round + 2);
    want.emplace_back('A', 100 * round);
    want.emplace_back('B', 100 * round + 1);
  }
  EXPECT_EQ(pp.trace, want);
}

TEST(ContextTest, ManyContextsRoundRobin) {
  constexpr int kContexts = 64;
  constexpr int kRounds = 10;
  std::vector<std::unique_ptr<Coro>> coros;
  for (int i = 0; i < kContexts; ++i) {
    coros.push_back(std::make_unique<Coro>([](void* t) {
      Coro* self = static_cast<Coro*>(t);
      // The first Resume after Start passes this context's index.
      intptr_t id = FromPtr(self->Yield(nullptr));
      for (intptr_t round = 0;; ++round) {
        intptr_t got = FromPtr(self->Yield(ToPtr(id * 1000 + round)));
        if (got != round + 1) self->Yield(ToPtr(-1));  // reported as mismatch
      }
    }));
    EXPECT_EQ(coros.back()->Start(), nullptr);
  }
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < kContexts; ++i) {
      void* in = ToPtr(round == 0 ? i : round);
      ASSERT_EQ(FromPtr(coros[i]->Resume(in)), i * 1000 + round)
          << "context " << i << " round " << round;
    }
  }
}

// ---------------------------------------------------------------------------
// Many switches.

struct Counter {
  void* main_sp = nullptr;
  void* ctx_sp = nullptr;
  uint64_t count = 0;
};
Counter* g_counter;

TEST(ContextTest, MillionRoundTrips) {
  constexpr uint64_t kRoundTrips = 1000000;
  Counter c;
  g_counter = &c;
  Stack stack;
  c.ctx_sp = mco_context_make(stack.top(), [](void*) {
    for (;;) {
      ++g_counter->count;
      mco_context_switch(&g_counter->ctx_sp, g_counter->main_sp,
                         ToPtr(static_cast<intptr_t>(g_counter->count)));
    }
  });
  uint64_t mismatches = 0;
  auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 1; i <= kRoundTrips; ++i) {
    void* got = mco_context_switch(&c.main_sp, c.ctx_sp, nullptr);
    if (FromPtr(got) != static_cast<intptr_t>(i)) ++mismatches;
  }
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::steady_clock::now() - start)
                .count();
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(c.count, kRoundTrips);
  std::printf("%llu switches, %.1f ns per switch\n",
              static_cast<unsigned long long>(2 * kRoundTrips),
              static_cast<double>(ns) / (2 * kRoundTrips));
}

// ---------------------------------------------------------------------------
// Callee-saved registers.

struct RegTest {
  void* main_sp = nullptr;
  void* ctx_sp = nullptr;
  uint64_t ctx_in[kNumRegs];
  uint64_t ctx_out[kNumRegs];
  int ctx_rounds_checked = 0;
  int ctx_mismatches = 0;
};
RegTest* g_reg_test;

void FillPattern(uint64_t* regs, uint64_t seed) {
  for (int i = 0; i < kNumRegs; ++i) {
    regs[i] =
        (seed * 0x9E3779B97F4A7C15ull) ^ (0x0101010101010101ull * (i + 1));
  }
}

TEST(ContextTest, CalleeSavedRegistersArePreserved) {
  RegTest rt;
  g_reg_test = &rt;
  Stack stack;
  rt.ctx_sp = mco_context_make(stack.top(), [](void*) {
    RegTest& r = *g_reg_test;
    for (uint64_t round = 0;; ++round) {
      // Different values in every callee-saved register, then back to main.
      FillPattern(r.ctx_in, 0xC0DE0000 + round);
      mco_test_switch_with_regs(&r.ctx_sp, r.main_sp, nullptr, r.ctx_in,
                                r.ctx_out);
      ++r.ctx_rounds_checked;
      if (std::memcmp(r.ctx_in, r.ctx_out, sizeof(r.ctx_in)) != 0) {
        ++r.ctx_mismatches;
      }
    }
  });
  constexpr int kRounds = 10;
  for (int round = 0; round < kRounds; ++round) {
    uint64_t in[kNumRegs], out[kNumRegs];
    FillPattern(in, 0xAAAA0000 + round);
    mco_test_switch_with_regs(&rt.main_sp, rt.ctx_sp, nullptr, in, out);
    for (int i = 0; i < kNumRegs; ++i) {
      EXPECT_EQ(out[i], in[i]) << "register #" << i << " round " << round;
    }
    // The context really loaded different values.
    EXPECT_NE(rt.ctx_in[0], in[0]);
  }
  EXPECT_EQ(rt.ctx_rounds_checked, kRounds - 1);
  EXPECT_EQ(rt.ctx_mismatches, 0);
}

// ---------------------------------------------------------------------------
// Floating point.

struct FpTest {
  void* main_sp = nullptr;
  void* a_sp = nullptr;
  void* b_sp = nullptr;
  std::vector<std::pair<std::string, int>> a_modes;  // fegetround()
  std::vector<std::pair<std::string, int>> a_measured;
  std::vector<std::pair<std::string, int>> b_modes;
  std::vector<std::pair<std::string, int>> b_measured;
  FpControl a_fresh{}, b_fresh{};
};
FpTest* g_fp;

TEST(ContextTest, FpControlStateIsPerContext) {
  FpEnvGuard guard;
  ASSERT_EQ(fesetround(FE_TONEAREST), 0);
  FpTest ft;
  g_fp = &ft;
  Stack stack_a, stack_b;
  ft.a_sp = mco_context_make(stack_a.top(), [](void*) {
    FpTest& f = *g_fp;
    f.a_fresh = ReadFpControl();
    f.a_modes.emplace_back("fresh", fegetround());
    fesetround(FE_UPWARD);
    mco_context_switch(&f.a_sp, f.b_sp, nullptr);  // starts B
    f.a_modes.emplace_back("after B set", fegetround());
    f.a_measured.emplace_back("after B set", MeasuredRounding());
    mco_context_switch(&f.a_sp, f.b_sp, nullptr);
    f.a_modes.emplace_back("again", fegetround());
    f.a_measured.emplace_back("again", MeasuredRounding());
    mco_context_switch(&f.a_sp, f.main_sp, nullptr);
    std::abort();
  });
  ft.b_sp = mco_context_make(stack_b.top(), [](void*) {
    FpTest& f = *g_fp;
    f.b_fresh = ReadFpControl();
    f.b_modes.emplace_back("fresh", fegetround());
    f.b_measured.emplace_back("fresh", MeasuredRounding());
    fesetround(FE_TOWARDZERO);
    mco_context_switch(&f.b_sp, f.a_sp, nullptr);
    f.b_modes.emplace_back("after A", fegetround());
    f.b_measured.emplace_back("after A", MeasuredRounding());
    mco_context_switch(&f.b_sp, f.a_sp, nullptr);
    std::abort();
  });
  mco_context_switch(&ft.main_sp, ft.a_sp, nullptr);

  using Modes = std::vector<std::pair<std::string, int>>;
  EXPECT_EQ(ft.a_modes, (Modes{{"fresh", FE_TONEAREST},
                               {"after B set", FE_UPWARD},
                               {"again", FE_UPWARD}}));
  EXPECT_EQ(ft.a_measured,
            (Modes{{"after B set", FE_UPWARD}, {"again", FE_UPWARD}}));
  EXPECT_EQ(ft.b_modes,
            (Modes{{"fresh", FE_TONEAREST}, {"after A", FE_TOWARDZERO}}));
  EXPECT_EQ(ft.b_measured,
            (Modes{{"fresh", FE_TONEAREST}, {"after A", FE_TOWARDZERO}}));
  // Main's own mode is untouched by both.
  EXPECT_EQ(fegetround(), FE_TONEAREST);
  EXPECT_EQ(MeasuredRounding(), FE_TONEAREST);
#if defined(__x86_64__)
  EXPECT_EQ(ft.a_fresh.mxcsr, 0x1F80u);
  EXPECT_EQ(ft.a_fresh.x87_cw, 0x037F);
  EXPECT_EQ(ft.b_fresh.mxcsr, 0x1F80u);
  EXPECT_EQ(ft.b_fresh.x87_cw, 0x037F);
#else
  EXPECT_EQ(ft.a_fresh.fpcr, 0u);
  EXPECT_EQ(ft.b_fresh.fpcr, 0u);
#endif
}

TEST(ContextTest, FreshContextIgnoresCreatorsFpControlState) {
  FpEnvGuard guard;
  static void* main_sp;
  static void* ctx_sp;
  static FpControl fresh;
  static int fresh_mode, fresh_measured;
  ASSERT_EQ(fesetround(FE_DOWNWARD), 0);
#if defined(__x86_64__)
  _mm_setcsr(_mm_getcsr() | 0x8040);  // FTZ and DAZ
  const uint16_t x87_cw = ReadFpControl().x87_cw;
#else
  uint64_t fpcr;
  asm volatile("mrs %0, fpcr" : "=r"(fpcr));
  fpcr |= 1u << 24;  // FZ
  asm volatile("msr fpcr, %0" : : "r"(fpcr));
#endif
  const FpControl before = ReadFpControl();
  Stack stack;
  ctx_sp = mco_context_make(stack.top(), [](void*) {
    fresh = ReadFpControl();
    fresh_mode = fegetround();
    fresh_measured = MeasuredRounding();
    mco_context_switch(&ctx_sp, main_sp, nullptr);
    std::abort();
  });
  mco_context_switch(&main_sp, ctx_sp, nullptr);
  EXPECT_EQ(fresh_mode, FE_TONEAREST);
  EXPECT_EQ(fresh_measured, FE_TONEAREST);
#if defined(__x86_64__)
  EXPECT_EQ(fresh.mxcsr, 0x1F80u);
  EXPECT_EQ(fresh.x87_cw, 0x037F);
  EXPECT_EQ(ReadFpControl().mxcsr, before.mxcsr);
  EXPECT_EQ(ReadFpControl().x87_cw, x87_cw);
  EXPECT_EQ(before.mxcsr & 0x8040u, 0x8040u);
#else
  EXPECT_EQ(fresh.fpcr, 0u);
  EXPECT_EQ(ReadFpControl().fpcr, before.fpcr);
  EXPECT_NE(before.fpcr & (1u << 24), 0u);
#endif
  EXPECT_EQ(fegetround(), FE_DOWNWARD);
  EXPECT_EQ(MeasuredRounding(), FE_DOWNWARD);
}

// The sticky exception flags are not context state (context.h says so).
TEST(ContextTest, FpExceptionFlagsAreThreadWide) {
  FpEnvGuard guard;
  static void* main_sp;
  static void* ctx_sp;
  Stack stack;
  ctx_sp = mco_context_make(stack.top(), [](void*) {
    MeasuredRounding();  // inexact divisions
    mco_context_switch(&ctx_sp, main_sp, nullptr);
    std::abort();
  });
  feclearexcept(FE_ALL_EXCEPT);
  mco_context_switch(&main_sp, ctx_sp, nullptr);
  EXPECT_NE(fetestexcept(FE_INEXACT), 0);
}

// Doubles live across switches on both sides (in memory or, on AArch64,
// possibly in d8-d15) and come out bit-identical to a run without switches.
struct DoubleTest {
  void* main_sp = nullptr;
  void* ctx_sp = nullptr;
  double ctx_result = 0;
};
DoubleTest* g_double;
constexpr int kTerms = 1000;

__attribute__((noinline)) double Harmonic(int n) {
  double acc = 0;
  for (int i = 1; i <= n; ++i) acc += 1.0 / i;
  return acc;
}

__attribute__((noinline)) double SumOfRoots(int n) {
  double acc = 0;
  for (int i = 1; i <= n; ++i) acc += std::sqrt(static_cast<double>(i));
  return acc;
}

TEST(ContextTest, DoublesSurviveSwitches) {
  DoubleTest dt;
  g_double = &dt;
  Stack stack;
  dt.ctx_sp = mco_context_make(stack.top(), [](void*) {
    DoubleTest& d = *g_double;
    double acc = 0;
    for (int i = 1; i <= kTerms; ++i) {
      acc += 1.0 / i;
      mco_context_switch(&d.ctx_sp, d.main_sp, nullptr);
    }
    d.ctx_result = acc;
    mco_context_switch(&d.ctx_sp, d.main_sp, nullptr);
    std::abort();
  });
  double acc = 0;
  for (int i = 1; i <= kTerms; ++i) {
    acc += std::sqrt(static_cast<double>(i));
    mco_context_switch(&dt.main_sp, dt.ctx_sp, nullptr);
  }
  mco_context_switch(&dt.main_sp, dt.ctx_sp, nullptr);
  EXPECT_EQ(acc, SumOfRoots(kTerms));
  EXPECT_EQ(dt.ctx_result, Harmonic(kTerms));
  EXPECT_NEAR(dt.ctx_result, 7.485470860550345, 1e-12);
}

// ---------------------------------------------------------------------------
// Exceptions.

struct ExceptionTest {
  void* main_sp = nullptr;
  void* a_sp = nullptr;
  void* b_sp = nullptr;
  std::vector<std::string> log;
};
ExceptionTest* g_ex;

struct LogOnDestroy {
  const char* what;
  ~LogOnDestroy() { g_ex->log.push_back(std::string(what) + " unwound"); }
};

// Suspends (so the caller is suspended inside its try block), then throws
// through this frame, which did the switch.
__attribute__((noinline)) void SwitchThenThrow(void** self_sp,
                                               const char* what) {
  LogOnDestroy guard{what};
  AnnotatedSwitch(self_sp, g_ex->main_sp, nullptr);
  throw std::runtime_error(what);
}

template <void* ExceptionTest::*kSp>
void ThrowingEntry(void* t) {
  EnterAnnotatedContext();
  const char* name = static_cast<const char*>(t);
  ExceptionTest& e = *g_ex;
  try {
    SwitchThenThrow(&(e.*kSp), name);
    e.log.push_back("not reached");
  } catch (const std::runtime_error& err) {
    e.log.push_back(std::string(name) + " caught " + err.what());
  }
  try {
    throw 42;
  } catch (int v) {
    e.log.push_back(std::string(name) + " caught " + std::to_string(v));
  }
  e.log.push_back(std::string(name) +
                  " uncaught=" + std::to_string(std::uncaught_exceptions()));
  AnnotatedSwitch(&(e.*kSp), e.main_sp, nullptr);
  std::abort();
}

TEST(ContextTest, ExceptionsInsideContexts) {
  ExceptionTest et;
  g_ex = &et;
  Stack stack_a, stack_b;
  et.a_sp =
      mco_context_make(stack_a.top(), ThrowingEntry<&ExceptionTest::a_sp>);
  et.b_sp =
      mco_context_make(stack_b.top(), ThrowingEntry<&ExceptionTest::b_sp>);
  static char a_name[] = "A", b_name[] = "B";
  // Both contexts suspend inside a try block.
  AnnotatedSwitch(&et.main_sp, et.a_sp, a_name);
  AnnotatedSwitch(&et.main_sp, et.b_sp, b_name);
  // Main throws and catches on its own stack meanwhile.
  try {
    throw std::logic_error("main");
  } catch (const std::logic_error& err) {
    et.log.push_back(std::string("main caught ") + err.what());
  }
  // A throws and catches while B is still suspended mid-try; then B.
  AnnotatedSwitch(&et.main_sp, et.a_sp, nullptr);
  AnnotatedSwitch(&et.main_sp, et.b_sp, nullptr);
  EXPECT_EQ(et.log, (std::vector<std::string>{
                        "main caught main",
                        "A unwound",
                        "A caught A",
                        "A caught 42",
                        "A uncaught=0",
                        "B unwound",
                        "B caught B",
                        "B caught 42",
                        "B uncaught=0",
                    }));
  EXPECT_EQ(std::uncaught_exceptions(), 0);
}

// An exception escaping entry finds no handler: the unwinder stops at the
// entry frame and std::terminate runs (rather than unwinding into garbage).
void RunEscapingException() {
  static void* main_sp;
  Stack stack;
  void* sp = mco_context_make(
      stack.top(), [](void*) { throw std::runtime_error("escaped entry"); });
  mco_context_switch(&main_sp, sp, nullptr);
}

void RunReturningEntry() {
  static void* main_sp;
  Stack stack;
  void* sp = mco_context_make(stack.top(), [](void*) {});
  mco_context_switch(&main_sp, sp, nullptr);
}

TEST(ContextDeathTest, ExceptionEscapingEntryTerminates) {
  EXPECT_DEATH(RunEscapingException(), "escaped entry");
}

TEST(ContextDeathTest, EntryReturningAborts) {
  EXPECT_EXIT(RunReturningEntry(), testing::KilledBySignal(SIGABRT), "");
}

// ---------------------------------------------------------------------------
// Stack layout, alignment, unwinding.

typedef double Double2 __attribute__((vector_size(16)));

// Aligned SSE/NEON loads and stores on a stack array: faults (x86-64
// movapd) if the stack is misaligned.
__attribute__((noinline)) double AlignedVectorWork(double seed) {
  volatile Double2 v[4];
  for (int i = 0; i < 4; ++i) v[i] = Double2{seed + i, seed - i};
  Double2 sum = {0, 0};
  for (int i = 0; i < 4; ++i) sum += v[i];
  return sum[0] + sum[1];
}

struct AlignTest {
  void* main_sp = nullptr;
  void* ctx_sp = nullptr;
  uintptr_t entry_misalignment = 99;
  uintptr_t local_misalignment = 99;
  double vector_result = 0;
  char formatted[64] = {};
};
AlignTest* g_align;

__attribute__((noinline)) uintptr_t AlignedLocalMisalignment() {
  alignas(16) char buf[16];
  uintptr_t addr;
  // Launder the address so that the compiler cannot assume it is aligned.
  asm volatile("" : "=r"(addr) : "0"(buf) : "memory");
  return addr % 16;
}

void AlignEntry(void*) {
  AlignTest& a = *g_align;
  a.entry_misalignment = mco_test_sp_misalignment();
  a.local_misalignment = AlignedLocalMisalignment();
  if (a.entry_misalignment == 0 && a.local_misalignment == 0) {
    // Would crash on a misaligned stack; the EXPECTs report that instead.
    a.vector_result = AlignedVectorWork(1.5);
    std::snprintf(a.formatted, sizeof(a.formatted), "%.3f %Lg", 2.0 / 3.0,
                  static_cast<long double>(0.25));
  }
  mco_context_switch(&a.ctx_sp, a.main_sp, nullptr);
  std::abort();
}

TEST(ContextTest, FreshContextStackIsAligned) {
  Stack stack;
  // The top the caller passes need not be aligned; make aligns it down.
  for (size_t offset : {0, 1, 7, 8, 9, 15}) {
    AlignTest at;
    g_align = &at;
    char* top = static_cast<char*>(stack.top()) - 64 - offset;
    at.ctx_sp = mco_context_make(top, AlignEntry);
    mco_context_switch(&at.main_sp, at.ctx_sp, nullptr);
    EXPECT_EQ(at.entry_misalignment, 0u) << "offset " << offset;
    EXPECT_EQ(at.local_misalignment, 0u) << "offset " << offset;
    EXPECT_EQ(at.vector_result, 12.0) << "offset " << offset;
    EXPECT_STREQ(at.formatted, "0.667 0.25") << "offset " << offset;
  }
}

TEST(ContextTest, MakeWritesOnlyBelowStackTop) {
  std::vector<unsigned char> buf(1024, 0xAB);
  for (size_t offset : {0, 3, 8}) {
    std::fill(buf.begin(), buf.end(), 0xAB);
    unsigned char* top = buf.data() + 512 - offset;
    void* sp = mco_context_make(top, [](void*) { std::abort(); });
    auto sp_addr = reinterpret_cast<uintptr_t>(sp);
    auto top_addr = reinterpret_cast<uintptr_t>(top);
    EXPECT_EQ(sp_addr % 16, 0u);
    EXPECT_LT(sp_addr, top_addr);
    EXPECT_LE(top_addr - sp_addr, 256u);
    for (unsigned char* p = top; p < buf.data() + buf.size(); ++p) {
      ASSERT_EQ(*p, 0xAB) << "byte at top+" << (p - top);
    }
    for (unsigned char* p = buf.data(); p < static_cast<unsigned char*>(sp);
         ++p) {
      ASSERT_EQ(*p, 0xAB) << "byte at sp-"
                          << (static_cast<unsigned char*>(sp) - p);
    }
  }
}

struct UnwindTest {
  void* main_sp = nullptr;
  void* ctx_sp = nullptr;
  int frames = 0;
  _Unwind_Reason_Code rc = _URC_NO_REASON;
};
UnwindTest* g_unwind;

_Unwind_Reason_Code CountFrame(_Unwind_Context*, void* arg) {
  ++*static_cast<int*>(arg);
  return _URC_NO_REASON;
}

__attribute__((noinline)) void Backtrace(UnwindTest* u) {
  u->frames = 0;
  u->rc = _Unwind_Backtrace(CountFrame, &u->frames);
}

TEST(ContextTest, UnwindingStopsAtEntryFrame) {
  UnwindTest ut;
  g_unwind = &ut;
  Stack stack;
  ut.ctx_sp = mco_context_make(stack.top(), [](void*) {
    Backtrace(g_unwind);
    mco_context_switch(&g_unwind->ctx_sp, g_unwind->main_sp, nullptr);
    std::abort();
  });
  mco_context_switch(&ut.main_sp, ut.ctx_sp, nullptr);
  // Backtrace, the lambda, the trampoline (+ _Unwind_Backtrace itself).
  EXPECT_EQ(ut.rc, _URC_END_OF_STACK);
  EXPECT_GE(ut.frames, 3);
  EXPECT_LE(ut.frames, 6);
}

// ---------------------------------------------------------------------------
// Threads.

long ThreadId() { return syscall(SYS_gettid); }

TEST(ContextTest, ContextCanBeResumedOnAnotherThread) {
  static long first_tid, second_tid;
  Coro coro([](void* t) {
    Coro* self = static_cast<Coro*>(t);
    first_tid = ThreadId();
    self->Yield(ToPtr(1));
    second_tid = ThreadId();
    self->Yield(ToPtr(2));
    std::abort();
  });
  EXPECT_EQ(coro.Start(), ToPtr(1));
  void* got = nullptr;
  long thread_tid = 0;
  std::thread t([&] {
    thread_tid = ThreadId();
    got = coro.Resume(nullptr);
  });
  t.join();
  EXPECT_EQ(got, ToPtr(2));
  EXPECT_EQ(first_tid, ThreadId());
  EXPECT_EQ(second_tid, thread_tid);
  EXPECT_NE(first_tid, second_tid);
}

}  // namespace
