// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: tcp.h
// -----------------------------------------------------------------------------
//
// TCP: `TcpListener` (Go's net.Listen("tcp", ...)) and `TcpStream`
// (net.Dial("tcp", ...)).
//
//   MCO_ASSIGN_OR_RETURN(auto ln, mco::net::TcpListener::bind("127.0.0.1:0"));
//   mco::go([&] {
//     for (;;) {
//       auto conn = ln.accept();
//       if (!conn.ok()) break;                  // closed, or an error
//       mco::go([c = std::move(*conn)]() mutable { serve(c); });
//     }
//   });
//   auto c = mco::net::TcpStream::connect("localhost:8080", 3 *
//   mco::time::Second);
//
// Addresses are "host:port"; the host may be a name (resolved without
// blocking a worker, see dns.h; connect tries each address in turn), a
// numeric IPv4 or bracketed IPv6 address, or empty in bind (every IPv4
// address). Port 0 in bind picks a free port (see `local_address()`).
//
// Blocking, deadlines, close, concurrency and cancellation: see socket.h.

#ifndef MCO_STDLIB_NET_TCP_H_
#define MCO_STDLIB_NET_TCP_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/address.h"
#include "mco/net/socket.h"
#include "mco/net/stream.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::net {

class TcpStream : public Stream {
 public:
  TcpStream() = default;
  explicit TcpStream(rt::PollDesc* pd) : Stream(pd) {}

  // TcpStream::connect()
  //
  // Connects to "host:port" (trying each resolved address) or to `address`,
  // giving up at `deadline` (DeadlineExceeded) or after `timeout`.
  static absl::StatusOr<TcpStream> connect(std::string_view host_port);
  static absl::StatusOr<TcpStream> connect(std::string_view host_port,
                                           time::Duration timeout);
  static absl::StatusOr<TcpStream> connect(const SocketAddress& address,
                                           time::Instant deadline = {});
  static absl::StatusOr<TcpStream> connect_until(std::string_view host_port,
                                                 time::Instant deadline);

  // TcpStream::set_nodelay()
  //
  // TCP_NODELAY: send small writes at once (Nagle off). Go's default is on;
  // so is mco's for accepted and connected streams.
  absl::Status set_nodelay(bool on);

  // TcpStream::set_keepalive()
  //
  // SO_KEEPALIVE, probing after `idle` without traffic (when on).
  absl::Status set_keepalive(bool on, time::Duration idle = 15 * time::Second);
};

// ListenOptions
//
// How a listener is set up.
struct ListenOptions {
  bool reuse_address = true;  // SO_REUSEADDR (rebind a port in TIME_WAIT)
  bool reuse_port = false;    // SO_REUSEPORT (several listeners, one port)
  int backlog = 4096;         // listen(2)'s queue (capped by somaxconn)
};

class TcpListener : public Socket {
 public:
  TcpListener() = default;
  explicit TcpListener(rt::PollDesc* pd) : Socket(pd) {}

  // TcpListener::bind()
  //
  // Binds and listens on "host:port" (a name binds its first address) or
  // `address`.
  static absl::StatusOr<TcpListener> bind(std::string_view host_port,
                                          ListenOptions options = {});
  static absl::StatusOr<TcpListener> bind(const SocketAddress& address,
                                          ListenOptions options = {});

  // TcpListener::accept()
  //
  // Waits for the next connection. Fails with FailedPrecondition once the
  // listener is closed, DeadlineExceeded after its read deadline
  // (`set_read_deadline` or `set_deadline`), or with the OS error (e.g.
  // ResourceExhausted: too many open files), after which accepting may
  // be retried.
  absl::StatusOr<TcpStream> accept();
  absl::StatusOr<TcpStream> accept(SocketAddress* peer);
};

}  // namespace mco::net

#endif  // MCO_STDLIB_NET_TCP_H_
