// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: monitor.h
// -----------------------------------------------------------------------------
//
// The monitor: one plain thread beside the workers (started by `boot`,
// stopped by `shutdown`) that does what a worker cannot, because a worker
// may be stuck inside a coroutine:
//
//  - SIGQUIT prints the coroutine dump (dump.h) on stderr and the program
//    goes on (Go exits after its dump; a server's operator usually wants to
//    look, not to lose it). Installed only where SIGQUIT has its default
//    disposition, so a program's own handler wins.
//
//  - The deadlock detector (Go's "all goroutines are asleep"): when every
//    worker is idle, coroutines are live, and none of them can be woken by
//    anything but another coroutine, the process prints
//    "mco: fatal: all coroutines are asleep - deadlock!" and the dump, and
//    exits with status 2.
//
// What can wake a parked coroutine from outside: a deadline (sleep, a timed
// wait), I/O, an offload thread, a `Waker` (park.h `woken_from_outside`), a
// pending timer task, a signal subscription, anything that holds a wake
// source (`add_wake_sources`), or a live thread that is not the runtime's
// (threads.h). While any exists there is no deadlock. Detection is off
// unless turned on: `mco::run` turns it on (`Config::detect_deadlock`),
// tests that boot the scheduler directly leave it off.
//
// The detector acts when the last worker goes idle. It waits `kGracePeriod`,
// and only if no coroutine was picked meanwhile and the world, once stopped,
// still shows every live coroutine parked with nothing outside to wake it
// and no foreign thread alive, does it report. A false report needs
// something other than a thread (a C library's callback) that wakes
// coroutines without a wake source.

#ifndef MCO_RUNTIME_MONITOR_H_
#define MCO_RUNTIME_MONITOR_H_

#include <cstdint>

#include "runtime/clock.h"

namespace mco::rt {

inline constexpr Nanos kGracePeriod = 100'000'000;

// Started by boot(), stopped by shutdown().
void start_monitor();
void stop_monitor();
// Frees the monitor stopped by `stop_monitor`, once the workers have exited:
// a worker that went idle may still be waking it until then.
void free_monitor();

// Turns the deadlock detector on or off (off at boot).
void set_deadlock_detection(bool on);

// Counts things outside the coroutines that may wake one: +1 when one
// appears, -1 when it is gone. Any thread.
void add_wake_sources(int64_t delta);
int64_t wake_sources();

// Asks the monitor for a dump on stderr, as SIGQUIT does.
void request_dump();

struct MonitorStats {
  uint64_t deadlock_checks = 0;  // checks that found no deadlock
  uint64_t dumps = 0;            // dumps printed on request
};
MonitorStats monitor_stats();

}  // namespace mco::rt

#endif  // MCO_RUNTIME_MONITOR_H_
