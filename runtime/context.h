// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: context.h
// -----------------------------------------------------------------------------
//
// The machine-level stack switch under mco's coroutines: a context is a stack
// pointer, and switching saves the running context on its own stack and
// resumes another one. Hand-written assembly for x86-64 (System V) and
// AArch64 (AAPCS64) Linux, in context_x86_64.S and context_aarch64.S.
//
// Contract
//
// A switch is an ordinary function call for the compiler: it behaves as if
// `mco_context_switch` returned later, with every callee-saved register and
// the FP control state as they were. It saves, on the current stack:
//
//   x86-64:  rbx, rbp, r12-r15, the return address (rip), the MXCSR control
//            bits (rounding, exception masks, FTZ, DAZ) and the x87 control
//            word (rounding, precision, exception masks).
//   AArch64: x19-x28, x29 (fp), x30 (lr), d8-d15 (the low 64 bits of v8-v15,
//            which is all AAPCS64 preserves) and FPCR.
//
// It does NOT save or switch:
//
//   - caller-saved registers (x86-64: rax, rcx, rdx, rsi, rdi, r8-r11, all of
//     xmm/ymm/zmm, x87 st(i); AArch64: x0-x18, v0-v7, v16-v31 and the upper
//     halves of v8-v15): the compiler already assumes a call clobbers them;
//   - FP exception status flags (x86-64: MXCSR bits 0-5 and the x87 status
//     word; AArch64: FPSR): they stay thread-wide and carry across switches;
//   - the thread pointer (fs / tpidr_el0), so `thread_local` means the OS
//     thread, not the context;
//   - the signal mask, errno (a thread_local), C++ exception state
//     (std::uncaught_exceptions() and the caught-exception stack): do not
//     switch away inside a catch handler or a destructor run by unwinding;
//   - sanitizer state: under ASan/TSan the caller must announce stack switches
//     (__sanitizer_start_switch_fiber / __tsan_switch_to_fiber);
//   - CET shadow stacks (x86-64) and pointer-authentication keys (AArch64).
//
// Stacks: the caller owns the memory and must keep it alive while the context
// is suspended or running. A switch pushes 64 bytes (x86-64) / 176 bytes
// (AArch64) on the stack it leaves; `mco_context_make` writes at most 80 /
// 192 bytes directly below `stack_top` and nothing at or above it.
//
// Debuggers and unwinders stop cleanly at a context's entry frame (its return
// address is undefined in the CFI and its frame-pointer chain ends in 0), so
// an exception that escapes `entry` reaches std::terminate.
//
// Thread safety: a context may be resumed on any thread, but by one thread at
// a time; never resume a context that is running.

#ifndef MCO_RUNTIME_CONTEXT_H_
#define MCO_RUNTIME_CONTEXT_H_

#ifdef __cplusplus
extern "C" {
#endif

// Saves the callee-saved registers and the FP control state (x86-64: MXCSR
// control bits and x87 control word; AArch64: FPCR) on the current stack,
// stores the stack pointer in *save_sp, loads load_sp and resumes the context
// saved there. Returns (in the resumed context) the `transfer` value of the
// switch that resumed it.
void* mco_context_switch(void** save_sp, void* load_sp, void* transfer);

// Prepares a fresh context on the stack whose highest address is stack_top
// (16-byte aligned by the caller; the function aligns down anyway). Returns
// the sp to pass as load_sp. The first switch into it calls entry(transfer)
// on that stack; entry must never return (if it does, the process aborts).
// Fresh contexts start with the default FP control state (MXCSR 0x1F80, x87
// CW 0x037F; FPCR 0).
void* mco_context_make(void* stack_top, void (*entry)(void* transfer));

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // MCO_RUNTIME_CONTEXT_H_
