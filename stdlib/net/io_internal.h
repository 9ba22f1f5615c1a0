// Copyright 2026 The mco Authors.
//
// The shared machinery of mco/net (private to its code): opening registered
// sockets, waiting for readiness, and Go-like error values.

#ifndef MCO_STDLIB_NET_IO_INTERNAL_H_
#define MCO_STDLIB_NET_IO_INTERNAL_H_

#include <errno.h>
#include <sys/types.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/cancel.h"
#include "mco/net/address.h"
#include "mco/net/tcp.h"
#include "mco/time/instant.h"
#include "runtime/clock.h"
#include "runtime/netpoll.h"

namespace mco::net::internal {

// An Instant as a runtime deadline (`Instant()` is none).
rt::Nanos to_nanos(time::Instant t);

// "<op> <where>: <OS message>", its code from errno.
absl::Status os_error(int err, std::string_view op, std::string_view where);
// "<op> <where>: use of closed network connection" (FailedPrecondition).
absl::Status closed_error(std::string_view op, std::string_view where);
// "<op> <where>: i/o timeout" (DeadlineExceeded).
absl::Status timeout_error(std::string_view op, std::string_view where);

// getpeername(2) (`peer`) or getsockname(2) of `pd`.
absl::StatusOr<SocketAddress> socket_name(rt::PollDesc* pd, bool peer);

// How a socket names itself in errors: its peer, else its local address.
std::string describe(rt::PollDesc* pd);

// wait_ready()
//
// After EAGAIN: waits until `dir` may be ready. OK means retry; otherwise
// the error to return (timeout, closed). Throws mco::Cancelled.
absl::Status wait_ready(rt::PollDesc* pd, rt::IoDir dir, rt::Nanos deadline,
                        std::string_view op);

// retry_io()
//
// The loop of every operation: takes a reference to `pd`, runs `call(fd)`
// (a system call returning >= 0, or -1 with errno), and on EAGAIN waits for
// `dir` and calls again. Returns the call's result or the error, named
// `op`. A cancellation point (throws mco::Cancelled).
//
// `stream_read_len` > 0 marks a stream socket's recv of that many bytes: a
// read that came back short emptied the socket, so the next one waits for
// readiness first instead of calling recv to get EAGAIN (rt::poll_begin_read;
// in request/response protocols one system call less per request).
template <typename Call>
absl::StatusOr<size_t> retry_io(rt::PollDesc* pd, rt::IoDir dir,
                                std::string_view op, Call call,
                                size_t stream_read_len = 0) {
  check_cancel();
  rt::PollRef ref(pd);
  if (!ref) return closed_error(op, "");
  bool may_skip = stream_read_len > 0;
  for (;;) {
    uint64_t ticket = 0;
    if (stream_read_len > 0) {
      ticket = rt::poll_begin_read(pd, may_skip);
      if (ticket == 0) {
        absl::Status st = wait_ready(pd, dir, rt::kNoDeadline, op);
        if (!st.ok()) return st;
        may_skip = false;
        continue;
      }
    }
    const ssize_t n = call(ref.fd());
    if (n >= 0) {
      if (ticket != 0) {
        rt::poll_end_read(pd, ticket,
                          n > 0 && static_cast<size_t>(n) < stream_read_len);
      }
      return static_cast<size_t>(n);
    }
    const int err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN && err != EWOULDBLOCK) {
      return os_error(err, op, describe(pd));
    }
    absl::Status st = wait_ready(pd, dir, rt::kNoDeadline, op);
    if (!st.ok()) return st;
    may_skip = false;
  }
}

// open_socket()
//
// A new non-blocking, close-on-exec socket, registered with the poller.
absl::StatusOr<rt::PollDesc*> open_socket(int family, int type,
                                          std::string_view op,
                                          std::string_view where);

// connect_socket()
//
// A socket of `type` connected to `address` by `deadline`.
absl::StatusOr<rt::PollDesc*> connect_socket(const SocketAddress& address,
                                             int type, rt::Nanos deadline);

// bind_socket()
//
// A socket of `type` bound to `address`; listening if `backlog` >= 0.
absl::StatusOr<rt::PollDesc*> bind_socket(const SocketAddress& address,
                                          int type,
                                          const ListenOptions& options,
                                          int backlog);

// accept_socket()
//
// The next connection on listener `pd` (fills `peer` if given).
absl::StatusOr<rt::PollDesc*> accept_socket(rt::PollDesc* pd,
                                            SocketAddress* peer);

}  // namespace mco::net::internal

#endif  // MCO_STDLIB_NET_IO_INTERNAL_H_
