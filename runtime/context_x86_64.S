// Copyright 2026 The mco Authors.
//
// Stack switch for x86-64 System V (Linux). See context.h for the contract.
//
// Frame saved by mco_context_switch, from the saved stack pointer upwards:
//
//   +0   MXCSR (32 bits; only bits 6-15 are restored)
//   +4   x87 control word (16 bits), 2 bytes padding
//   +8   r15
//   +16  r14
//   +24  r13
//   +32  r12
//   +40  rbx
//   +48  rbp
//   +56  return address
//
// The caller's rsp was 16-byte aligned before its call, so the saved stack
// pointer (rsp + 64 after the call's push) is 16-byte aligned too.

#if defined(__x86_64__)

#if defined(__CET__) && (__CET__ & 1)
#define MCO_ENDBR endbr64
#else
#define MCO_ENDBR
#endif

        .text

// void* mco_context_switch(void** save_sp /*rdi*/, void* load_sp /*rsi*/,
//                          void* transfer /*rdx*/);
        .globl  mco_context_switch
        .type   mco_context_switch, @function
        .p2align 4
mco_context_switch:
        .cfi_startproc
        MCO_ENDBR
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbp, 0
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbx, 0
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r12, 0
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r13, 0
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r14, 0
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r15, 0
        subq    $8, %rsp
        .cfi_adjust_cfa_offset 8
        stmxcsr (%rsp)
        fnstcw  4(%rsp)
        // The sticky exception flags (MXCSR bits 0-5) are thread state, not
        // context state: carry the current ones over to the resumed context.
        movl    (%rsp), %eax
        andl    $0x3f, %eax

        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        // From here on the stack is the resumed context's, which has the same
        // frame layout, so the CFI above describes it as well.

        movl    (%rsp), %ecx
        andl    $-0x40, %ecx
        orl     %eax, %ecx
        movl    %ecx, (%rsp)
        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        .cfi_adjust_cfa_offset -8
        popq    %r15
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r15
        popq    %r14
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r14
        popq    %r13
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r13
        popq    %r12
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r12
        popq    %rbx
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbx
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbp
        movq    %rdx, %rax
        ret
        .cfi_endproc
        .size   mco_context_switch, .-mco_context_switch

// void* mco_context_make(void* stack_top /*rdi*/, void (*entry)(void*) /*rsi*/);
//
// Builds, below stack_top aligned down to 16:
//   top-16, top-8: zero (the trampoline's "return address" and padding)
//   top-80 .. top-16: a switch frame with MXCSR 0x1F80, x87 CW 0x037F,
//                     r12 = entry, all other registers 0 (rbp = 0 ends the
//                     frame-pointer chain), return address = trampoline.
// When the first switch returns into the trampoline, rsp = top-16, so the
// trampoline's call leaves rsp+8 16-byte aligned at entry's first instruction.
        .globl  mco_context_make
        .type   mco_context_make, @function
        .p2align 4
mco_context_make:
        .cfi_startproc
        MCO_ENDBR
        movq    %rdi, %rax
        andq    $-16, %rax
        subq    $80, %rax
        movabsq $0x037f00001f80, %rcx
        movq    %rcx, 0(%rax)
        xorl    %ecx, %ecx
        movq    %rcx, 8(%rax)
        movq    %rcx, 16(%rax)
        movq    %rcx, 24(%rax)
        movq    %rsi, 32(%rax)
        movq    %rcx, 40(%rax)
        movq    %rcx, 48(%rax)
        leaq    .Lmco_trampoline_start(%rip), %rdx
        movq    %rdx, 56(%rax)
        movq    %rcx, 64(%rax)
        movq    %rcx, 72(%rax)
        ret
        .cfi_endproc
        .size   mco_context_make, .-mco_context_make

// First code a fresh context runs: rax = transfer, r12 = entry.
// Its caller is undefined, which ends unwinding and backtraces here. The nop
// in front makes the FDE cover "return address - 1" for the frame that the
// switch returns from.
        .type   mco_context_trampoline, @function
        .p2align 4
mco_context_trampoline:
        .cfi_startproc
        .cfi_undefined %rip
        nop
.Lmco_trampoline_start:
        movq    %rax, %rdi
        callq   *%r12
        // entry returned: there is nothing to return to.
        callq   abort@PLT
        ud2
        .cfi_endproc
        .size   mco_context_trampoline, .-mco_context_trampoline

#endif  // defined(__x86_64__)

// Outside the #if so that the object is marked as not needing an
// executable stack on every architecture, even when empty.
        .section .note.GNU-stack,"",%progbits
