// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: check.h
// -----------------------------------------------------------------------------
//
// Always-on invariant checks. A broken runtime invariant or a misuse that
// cannot be reported as an error stops the process with one plain line on
// stderr ("mco: fatal: ..."), in every build mode.

#ifndef MCO_RUNTIME_CHECK_H_
#define MCO_RUNTIME_CHECK_H_

namespace mco::rt {

// Writes "mco: fatal: <printf-formatted message>" and a newline to stderr
// with one write(2) call, then aborts. Async-signal-safe for messages without
// floating-point conversions.
[[noreturn]] void fatal(const char* format, ...)
    __attribute__((format(printf, 1, 2)));

// Writes one line "mco: <message>" to stderr with one write(2) call.
void report(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace mco::rt

// MCO_CHECK(cond)
//
// Stops the process with the failed condition and its source location when
// `cond` is false.
#define MCO_CHECK(cond)                                              \
  do {                                                               \
    if (__builtin_expect(!(cond), 0)) {                              \
      ::mco::rt::fatal("check failed: %s at %s:%d", #cond, __FILE__, \
                       __LINE__);                                    \
    }                                                                \
  } while (0)

#endif  // MCO_RUNTIME_CHECK_H_
