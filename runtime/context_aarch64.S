// Copyright 2026 The mco Authors.
//
// Stack switch for AArch64 (AAPCS64, Linux). See context.h for the contract.
//
// Frame saved by mco_context_switch, 176 bytes from the saved stack pointer
// upwards (sp stays 16-byte aligned throughout):
//
//   +0   x19, x20      +96   d8, d9
//   +16  x21, x22      +112  d10, d11
//   +32  x23, x24      +128  d12, d13
//   +48  x25, x26      +144  d14, d15
//   +64  x27, x28      +160  FPCR, padding
//   +80  x29, x30

#if defined(__aarch64__)

        .text

// void* mco_context_switch(void** save_sp /*x0*/, void* load_sp /*x1*/,
//                          void* transfer /*x2*/);
        .globl  mco_context_switch
        .type   mco_context_switch, %function
        .p2align 4
mco_context_switch:
        .cfi_startproc
        sub     sp, sp, #176
        .cfi_def_cfa_offset 176
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        .cfi_offset x19, -176
        .cfi_offset x20, -168
        .cfi_offset x21, -160
        .cfi_offset x22, -152
        .cfi_offset x23, -144
        .cfi_offset x24, -136
        .cfi_offset x25, -128
        .cfi_offset x26, -120
        .cfi_offset x27, -112
        .cfi_offset x28, -104
        .cfi_offset x29, -96
        .cfi_offset x30, -88
        .cfi_offset d8, -80
        .cfi_offset d9, -72
        .cfi_offset d10, -64
        .cfi_offset d11, -56
        .cfi_offset d12, -48
        .cfi_offset d13, -40
        .cfi_offset d14, -32
        .cfi_offset d15, -24
        mrs     x9, fpcr
        str     x9, [sp, #160]

        mov     x10, sp
        str     x10, [x0]
        mov     sp, x1
        // From here on the stack is the resumed context's, which has the same
        // frame layout, so the CFI above describes it as well.

        ldr     x10, [sp, #160]
        cmp     x9, x10
        b.eq    1f
        msr     fpcr, x10  // only when it differs: writing FPCR can be slow
1:
        ldp     x19, x20, [sp, #0]
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]
        ldp     d8, d9, [sp, #96]
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        add     sp, sp, #176
        .cfi_def_cfa_offset 0
        .cfi_restore x19
        .cfi_restore x20
        .cfi_restore x21
        .cfi_restore x22
        .cfi_restore x23
        .cfi_restore x24
        .cfi_restore x25
        .cfi_restore x26
        .cfi_restore x27
        .cfi_restore x28
        .cfi_restore x29
        .cfi_restore x30
        .cfi_restore d8
        .cfi_restore d9
        .cfi_restore d10
        .cfi_restore d11
        .cfi_restore d12
        .cfi_restore d13
        .cfi_restore d14
        .cfi_restore d15
        mov     x0, x2
        ret
        .cfi_endproc
        .size   mco_context_switch, .-mco_context_switch

// void* mco_context_make(void* stack_top /*x0*/, void (*entry)(void*) /*x1*/);
//
// Builds, below stack_top aligned down to 16:
//   top-16: a zero frame record (fp = 0, lr = 0)
//   top-192 .. top-16: a switch frame with x19 = entry, x30 = trampoline,
//                      everything else 0 (x29 = 0 ends the frame chain,
//                      FPCR = 0 is the default FP control state).
        .globl  mco_context_make
        .type   mco_context_make, %function
        .p2align 4
mco_context_make:
        .cfi_startproc
        and     x0, x0, #-16
        stp     xzr, xzr, [x0, #-16]!
        sub     x0, x0, #176
        stp     x1, xzr, [x0, #0]
        stp     xzr, xzr, [x0, #16]
        stp     xzr, xzr, [x0, #32]
        stp     xzr, xzr, [x0, #48]
        stp     xzr, xzr, [x0, #64]
        adr     x9, .Lmco_trampoline_start
        stp     xzr, x9, [x0, #80]
        stp     xzr, xzr, [x0, #96]
        stp     xzr, xzr, [x0, #112]
        stp     xzr, xzr, [x0, #128]
        stp     xzr, xzr, [x0, #144]
        stp     xzr, xzr, [x0, #160]
        ret
        .cfi_endproc
        .size   mco_context_make, .-mco_context_make

// First code a fresh context runs: x0 = transfer, x19 = entry, x29 = 0,
// sp = top-16. Its caller is undefined, which ends unwinding and backtraces
// here. The nop in front makes the FDE cover "return address - 1" for the
// frame that the switch returns from.
        .type   mco_context_trampoline, %function
        .p2align 4
mco_context_trampoline:
        .cfi_startproc
        .cfi_undefined x30
        nop
.Lmco_trampoline_start:
        mov     x29, xzr
        mov     x30, xzr
        blr     x19
        // entry returned: there is nothing to return to.
        bl      abort
        brk     #0x3e8
        .cfi_endproc
        .size   mco_context_trampoline, .-mco_context_trampoline

#endif  // defined(__aarch64__)

// Outside the #if so that the object is marked as not needing an
// executable stack on every architecture, even when empty.
        .section .note.GNU-stack,"",%progbits
