// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: socket.h
// -----------------------------------------------------------------------------
//
// `Socket`: what every mco socket has (TCP and Unix streams and listeners,
// UDP): ownership of one non-blocking descriptor registered with the
// runtime's network poller, close, addresses, deadlines and options.
//
// Blocking. Every operation that would block parks the calling coroutine
// (or blocks a plain thread) until the descriptor is ready; the worker runs
// other coroutines meanwhile. No thread is used per socket.
//
// Deadlines, as Go's SetDeadline: `set_read_deadline(t)` makes every read
// (or accept, or receive) pending now or started later fail with
// DeadlineExceeded ("i/o timeout") once `t` has passed; a default
// `Instant()` clears it. A deadline is a point in time, not a timeout per
// call: to give each call 5 seconds, set it before each call.
//
//   stream.set_read_deadline(mco::time::Instant::now() + 5 *
//   mco::time::Second); auto n = stream.read(buf, sizeof buf);   //
//   DeadlineExceeded after 5s
//
// Closing. `close()` may be called from any coroutine or thread, also while
// others are blocked in the socket: they return FailedPrecondition ("use of
// closed network connection"), and the descriptor is released once the
// last of them is done with it. The destructor closes. A socket must not be
// destroyed while another coroutine still uses it (close it first, then
// let the users finish).
//
// Concurrency: one coroutine may read while another writes. Two readers
// (or two writers) at once are safe but interleave unpredictably.
//
// Cancellation: a coroutine cancelled while blocked in a socket operation
// throws `mco::Cancelled`; the socket stays usable.
//
// Errors carry the operation, the address and the OS error, like Go's:
// "connect 127.0.0.1:1: Connection refused" (absl::StatusCode from errno:
// Unavailable for refused/reset, DeadlineExceeded for timeouts).

#ifndef MCO_STDLIB_NET_SOCKET_H_
#define MCO_STDLIB_NET_SOCKET_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/address.h"
#include "mco/time/instant.h"

namespace mco::rt {
struct PollDesc;
}  // namespace mco::rt

namespace mco::net {

class Socket {
 public:
  Socket() = default;
  Socket(Socket&& other) noexcept : pd_(other.pd_) { other.pd_ = nullptr; }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  // True if this object holds a socket (open or closed), false if moved
  // from or default-constructed.
  [[nodiscard]] bool valid() const { return pd_ != nullptr; }

  // Socket::close()
  //
  // Closes the socket and wakes its blocked users (see the file comment).
  // FailedPrecondition if it was already closed.
  absl::Status close();

  // The descriptor, for options this class does not offer (-1 if invalid).
  // Do not close it or make it blocking.
  [[nodiscard]] int fd() const;

  [[nodiscard]] absl::StatusOr<SocketAddress> local_address() const;

  // Socket::set_deadline() / set_read_deadline() / set_write_deadline()
  //
  // See the file comment. `Instant()` clears.
  void set_deadline(time::Instant t);
  void set_read_deadline(time::Instant t);
  void set_write_deadline(time::Instant t);

  // Socket::set_option()
  //
  // setsockopt(2) with an int value, e.g. (SOL_SOCKET, SO_RCVBUF, 1 << 20).
  absl::Status set_option(int level, int name, int value);
  absl::StatusOr<int> get_option(int level, int name) const;

  // For the implementation: a socket from a registered descriptor.
  explicit Socket(rt::PollDesc* pd) : pd_(pd) {}
  [[nodiscard]] rt::PollDesc* desc() const { return pd_; }

 private:
  rt::PollDesc* pd_ = nullptr;
};

}  // namespace mco::net

#endif  // MCO_STDLIB_NET_SOCKET_H_
