// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: signal.h
// -----------------------------------------------------------------------------
//
// Receiving Unix signals on channels: Go's `os/signal` (`Notify`, `Stop`,
// `Ignore`, `Reset`).
//
//   mco::Chan<int> sigs(1);                      // buffered: see below
//   mco::signal::notify(sigs, {SIGINT, SIGTERM});
//   mco::select(mco::recv(sigs, [&](std::optional<int> s) { shut_down(); }),
//               mco::recv(jobs, [&](std::optional<Job> j) { run(*j); }));
//   mco::signal::stop(sigs);
//
// Contract (Go's):
//  - `notify(ch, signals)` relays each listed signal to `ch`: every arrival
//    of a signal is sent to every channel subscribed to it, with a
//    non-blocking send. A channel that is full (or unbuffered with no
//    receiver waiting) misses the signal, so give it a buffer large enough
//    for the signals it may have to hold (1 is enough for "one arrived").
//    A closed channel is skipped. Calling `notify` again for the same
//    channel adds signals to it.
//  - When `notify` returns, the signals are caught: one raised afterwards
//    is not handled by its default action (e.g. terminating the process)
//    but delivered.
//  - `stop(ch)` ends every subscription of `ch`; once it returns, `ch`
//    receives no more signals. A signal no channel is subscribed to any
//    longer gets its default action back (`SIG_DFL`).
//  - `ignore(signals)` ends the subscriptions of the signals and ignores
//    them (`SIG_IGN`); `reset(signals)` ends them and restores the default
//    action; `reset()` does that for every signal this package handled.
//  - Signals the runtime or the kernel reserve are refused with
//    `std::invalid_argument`: `SIGKILL` and `SIGSTOP` (cannot be caught),
//    and the synchronous faults `SIGSEGV`, `SIGBUS`, `SIGFPE`, `SIGILL` and
//    `SIGTRAP` (mco's stack-overflow handler owns `SIGSEGV`). So are an
//    empty list, the nil channel, and numbers that are neither a standard
//    signal (1..31) nor a real-time one (`SIGRTMIN`..`SIGRTMAX`).
//  - `notify` needs a running scheduler (`std::logic_error` otherwise):
//    signals are caught by a libuv signal handle on a worker's loop, and
//    delivered by that worker between coroutines. Subscriptions last until
//    `stop`, or until the scheduler shuts down (`mco::run` returns); a
//    scheduler booted again starts with none. `stop`, `ignore` and `reset`
//    also work without a scheduler.
//  - `notify`, `stop`, `ignore` and `reset` are safe from any coroutine or
//    thread, and take effect in the order they are called. They may wait
//    briefly for the worker that owns the handles. `notify` is a
//    cancellation point (it throws `mco::Cancelled` before it changes
//    anything); the others are not, so they may be called while a cancelled
//    coroutine unwinds.
//
// Memory ordering: a value received from `ch` happens-after the signal's
// arrival, and the subscription's `notify` happens-before it.

#ifndef MCO_STDLIB_SIGNAL_SIGNAL_H_
#define MCO_STDLIB_SIGNAL_SIGNAL_H_

#include <signal.h>

#include <initializer_list>

#include "mco/chan/chan.h"

namespace mco::signal {

// notify()
//
// Relays `signals` to `ch` (see the file comment).
void notify(const Chan<int>& ch, std::initializer_list<int> signals);

// stop()
//
// Ends every subscription of `ch`; no signal is sent to it after this
// returns. Does nothing if it has none.
void stop(const Chan<int>& ch);

// ignore()
//
// Ends the subscriptions of `signals` and ignores them (`SIG_IGN`).
void ignore(std::initializer_list<int> signals);

// reset()
//
// Ends the subscriptions of `signals` and restores their default action
// (`SIG_DFL`); without arguments, of every signal `notify` or `ignore` was
// used with.
void reset(std::initializer_list<int> signals);
void reset();

}  // namespace mco::signal

#endif  // MCO_STDLIB_SIGNAL_SIGNAL_H_
