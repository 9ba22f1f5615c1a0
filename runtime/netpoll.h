// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: netpoll.h
// -----------------------------------------------------------------------------
//
// The network poller: readiness of non-blocking descriptors, for coroutines
// that issue their own system calls (Go's netpoller).
//
// Model
//
// A socket is non-blocking. A coroutine calls read(2)/write(2)/accept(2)
// itself; only when the kernel answers EAGAIN does it wait for readiness with
// `poll_wait(pd, kRead|kWrite, deadline)`, then retries the call. Readiness
// comes from one process-wide epoll instance in edge-triggered mode: every
// descriptor is registered once, for both directions, when it is opened, so
// waiting costs no system call at all, and a coroutine may migrate between
// workers freely (the descriptor belongs to no worker).
//
// Harvesting: every worker's libuv loop watches the epoll descriptor (itself
// pollable). A busy worker harvests between coroutines when its loop runs
// (it does so every 61 picks and whenever its run queue is empty); an idle
// worker sleeps in its loop's epoll_wait and wakes when a descriptor becomes
// ready. A harvest takes the events without blocking (epoll_wait with a zero
// timeout) and wakes the waiters, which land on the harvesting worker's run
// queue. Nothing spins while idle.
//
// Why this is fast: the read/write fast path is one system call and no
// allocation; a wait is one park, with no epoll_ctl (registration is once per
// descriptor); one epoll_wait returns readiness for many descriptors.
//
// Per direction, a `PollDesc` holds a "ready" flag and a queue of waiters,
// under a spin lock. An edge with no waiter sets the flag; a waiter that
// finds the flag set consumes it and retries its system call at once, so the
// edge between its EAGAIN and its wait is never lost. An edge with waiters
// wakes them all (each retries; the losers wait again).
//
// Deadlines (Go's SetReadDeadline/SetWriteDeadline) are kept on the
// descriptor: a wait ends with `kTimedOut` once its direction's deadline
// has passed, and setting a deadline wakes the waiters so they re-check it.
//
// Closing: `poll_close` marks the descriptor closed, deregisters it from
// epoll and wakes every waiter, which then returns `kClosed`. Every
// operation holds a reference (`PollRef`) while it uses the descriptor
// number, and the number is close(2)d only when the last operation is done
// with it, so a number is never reused under an operation in flight. The
// record itself belongs to its owner (a socket object) until `poll_free`.
//
// Records are never returned to the allocator: they live in a table and are
// recycled with a new sequence number; epoll carries (index, sequence), so an
// event harvested after its descriptor was closed is recognised and dropped.
//
// A plain thread waits the same way (its parker blocks on a condition
// variable). When the scheduler is not running, a wait falls back to poll(2)
// on the descriptor itself.

#ifndef MCO_RUNTIME_NETPOLL_H_
#define MCO_RUNTIME_NETPOLL_H_

#include <cstdint>

#include "runtime/clock.h"

namespace mco::rt {

struct PollDesc;

enum class IoDir : uint8_t { kRead = 0, kWrite = 1 };

enum class IoWait : uint8_t {
  kReady,      // may be ready: retry the system call
  kTimedOut,   // the wait's or the direction's deadline passed
  kCancelled,  // the waiting coroutine's cancellation was requested
  kClosed,     // poll_close() was called
};

// The process-wide epoll descriptor (created on first use).
int netpoll_fd();

// Takes the ready events without blocking and wakes their waiters. Called by
// workers from their loops.
void netpoll_harvest();

// poll_open()
//
// Registers `fd` (already non-blocking) and takes ownership of it. Returns
// its record, owned by the caller until `poll_free`, or nullptr with errno
// set (`fd` is then closed).
PollDesc* poll_open(int fd);

// The descriptor number (valid while a reference is held).
int poll_fd(const PollDesc* pd);

// poll_acquire() / poll_release()
//
// An operation takes a reference for as long as it uses the descriptor;
// `poll_acquire` fails once the descriptor is closed.
[[nodiscard]] bool poll_acquire(PollDesc* pd);
void poll_release(PollDesc* pd);

// poll_wait()
//
// Waits (parks the coroutine or blocks the thread) until `dir` may be ready,
// the earlier of `deadline` and the direction's deadline passes, the
// coroutine is cancelled, or the descriptor is closed. Call with a
// reference held, after the system call answered EAGAIN.
IoWait poll_wait(PollDesc* pd, IoDir dir, Nanos deadline);

// Stream reads that skip a system call bound to fail (request/response
// protocols: after a short read that emptied the socket, the next read would
// get EAGAIN). `poll_begin_read` is called before each read: it clears the
// read side's ready flag and returns the read's ticket (> 0), or, if
// `may_skip` and the last read emptied the socket and no edge (nor end of
// stream or an error) has arrived since, returns 0: the caller waits with
// `poll_wait` first. An edge that arrives after the flag is cleared sets it
// again (or wakes the waiter), and data that arrived before is returned by
// the read, so no data is left unannounced. `poll_end_read` records whether
// the read took everything there was (0 < n < requested); it has no effect
// if another read began meanwhile. Only for stream sockets, where a short
// read means the buffer was empty.
[[nodiscard]] uint64_t poll_begin_read(PollDesc* pd, bool may_skip);
void poll_end_read(PollDesc* pd, uint64_t ticket, bool drained);

// poll_set_deadline()
//
// Sets `dir`'s deadline (`kNoDeadline`: none) and wakes its waiters so they
// re-check it. A deadline in the past makes every wait in `dir` time out at
// once.
void poll_set_deadline(PollDesc* pd, IoDir dir, Nanos deadline);

// poll_close()
//
// Marks the descriptor closed and wakes every waiter. The descriptor number
// is closed once no operation uses it. Returns false if it was already
// closed. Safe from any thread, concurrently with operations.
bool poll_close(PollDesc* pd);

// poll_free()
//
// The owner is done with the record: closes it if still open; the record is
// recycled once no operation holds it. `pd` must not be used afterwards.
void poll_free(PollDesc* pd);

// PollRef
//
// An operation's reference, released on scope exit.
class PollRef {
 public:
  explicit PollRef(PollDesc* pd)
      : pd_(pd != nullptr && poll_acquire(pd) ? pd : nullptr) {}
  ~PollRef() {
    if (pd_ != nullptr) poll_release(pd_);
  }
  PollRef(const PollRef&) = delete;
  PollRef& operator=(const PollRef&) = delete;
  // False if the descriptor was closed (or null).
  explicit operator bool() const { return pd_ != nullptr; }
  [[nodiscard]] int fd() const { return poll_fd(pd_); }

 private:
  PollDesc* pd_;
};

}  // namespace mco::rt

#endif  // MCO_RUNTIME_NETPOLL_H_
