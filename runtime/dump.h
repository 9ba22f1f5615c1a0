// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: dump.h
// -----------------------------------------------------------------------------
//
// The coroutine dump (Go's goroutine dump): every live coroutine with its id,
// name, state, and, for one that is not running, where it stopped as a
// symbolised backtrace.
//
//   mco: 3 coroutines on 2 workers
//
//   coroutine 1 "main" [parked on chan receive]:
//     #0 0x5581c2d0a4b1 mco::rt::switch_out()
//     #1 0x5581c2d0b9e2 mco::rt::Parker::park()
//     ...
//
//   coroutine 7 [running on worker 1]
//
// States: "running on worker N" (no backtrace: its stack is live on another
// thread, except the caller's own, which is captured in place), "parked on
// <why>" (park.h's WaitReason), "runnable" (queued, or woken and not yet
// resumed), "not started".
//
// Backtraces follow frame pointers (mco builds with them, as Bazel's default
// toolchain does) from the coroutine's saved context, reading only its own
// stack, so code compiled without frame pointers ends a backtrace early but
// never faults. Frames are symbolised with Abseil's ELF symboliser, which
// also sees the modules that `mco-run` loaded.
//
// The world is stopped while the dump is taken (scheduler.h): a worker
// inside a long-running coroutine gets `kDumpPatience` to come back, and is
// otherwise shown as running that coroutine.

#ifndef MCO_RUNTIME_DUMP_H_
#define MCO_RUNTIME_DUMP_H_

#include <string>

#include "runtime/clock.h"
#include "runtime/scheduler.h"

namespace mco::rt {

inline constexpr Nanos kDumpPatience = 500'000'000;

// Stops the world, formats the dump, starts the world again. Works from a
// coroutine or a plain thread; without a running scheduler it says so.
std::string coroutine_dump();

// Formats the dump of a world the caller stopped.
std::string format_dump(const StoppedWorld& world);

// For a fatal signal in coroutine `co` (scheduler.cc's SIGSEGV handler):
// writes "mco: fatal: <what> at address <addr> in coroutine <id> '<name>'"
// and its backtrace from the signal's context to stderr. Async-signal-safe:
// no allocation, no locks.
void write_crash_report(const Coroutine* co, const char* what, const void* addr,
                        const void* ucontext);

}  // namespace mco::rt

#endif  // MCO_RUNTIME_DUMP_H_
