// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: conn.h
// -----------------------------------------------------------------------------
//
// `Conn`: Go's net.Conn, the interface of every connected byte stream: a
// plain TCP or Unix `Stream`, a TLS stream (mco/crypto/tls), and whatever a
// user wraps around them. Code that speaks a protocol (HTTP, WebSocket,
// Redis) takes a `Conn&` or owns a `std::unique_ptr<Conn>` and works the
// same over all of them.
//
//   absl::Status greet(mco::net::Conn& c) {
//     c.set_deadline(mco::time::Instant::now() + 5 * mco::time::Second);
//     return c.write_all("hello\n");
//   }
//
// The contract every implementation keeps (mco's plain streams do; see
// stream.h and socket.h for their details):
//
// - `read` blocks (parks the coroutine, or blocks a plain thread) until at
//   least one byte is available and returns how many it read, 0 at end of
//   stream, or an error. `write` blocks until it can hand over at least one
//   byte and returns how many it did.
// - Deadlines are points in time (Go's SetDeadline): once passed, pending and
//   later reads (or writes) fail with DeadlineExceeded. `Instant()` clears.
// - `close` may be called from any coroutine or thread, also while others
//   are blocked in the connection; they return FailedPrecondition. A second
//   close is FailedPrecondition too.
// - A coroutine cancelled while blocked throws `mco::Cancelled`.
// - One reader and one writer may run at once.

#ifndef MCO_STDLIB_NET_CONN_H_
#define MCO_STDLIB_NET_CONN_H_

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mco/net/address.h"
#include "mco/time/instant.h"

namespace mco::net {

class Conn {
 public:
  virtual ~Conn() = default;

  // Conn::read()
  //
  // Reads up to `len` bytes (len > 0): how many, 0 at end of stream.
  virtual absl::StatusOr<size_t> read(void* buf, size_t len) = 0;

  // Conn::write()
  //
  // Writes at least one byte of `len` (> 0): how many.
  virtual absl::StatusOr<size_t> write(const void* buf, size_t len) = 0;

  // Conn::write_all()
  //
  // Writes all `len` bytes (by default, `write` in a loop).
  virtual absl::Status write_all(const void* buf, size_t len);
  absl::Status write_all(std::string_view data) {
    return write_all(data.data(), data.size());
  }

  // Conn::write_vectored()
  //
  // Writes all of the pieces, in order (by default, `write_all` of each).
  virtual absl::Status write_vectored(
      absl::Span<const std::string_view> pieces);
  absl::Status write_vectored(std::initializer_list<std::string_view> pieces) {
    return write_vectored(absl::MakeConstSpan(pieces.begin(), pieces.size()));
  }

  // Conn::read_exact()
  //
  // Reads exactly `len` bytes. OutOfRange ("unexpected EOF") if the stream
  // ends first; the bytes read so far are in `buf` either way.
  virtual absl::Status read_exact(void* buf, size_t len);

  // Conn::close_write()
  //
  // Ends this side's stream (the peer reads end of stream) while this side
  // can still read: shutdown(SHUT_WR) on a socket, close_notify on TLS.
  virtual absl::Status close_write() = 0;

  // Conn::close()
  //
  // Closes the connection and wakes its blocked users.
  virtual absl::Status close() = 0;

  // Conn::set_deadline() / set_read_deadline() / set_write_deadline()
  virtual void set_deadline(time::Instant t) {
    set_read_deadline(t);
    set_write_deadline(t);
  }
  virtual void set_read_deadline(time::Instant t) = 0;
  virtual void set_write_deadline(time::Instant t) = 0;

  [[nodiscard]] virtual absl::StatusOr<SocketAddress> local_address() const = 0;
  [[nodiscard]] virtual absl::StatusOr<SocketAddress> peer_address() const = 0;

 protected:
  Conn() = default;
  Conn(const Conn&) = default;
  Conn& operator=(const Conn&) = default;
};

// Dialer
//
// Makes a connection to `host_port` ("example.com:443", "[::1]:80") for a
// URL's `scheme` ("http", "https", "ws", "wss"), giving up at `deadline`.
// The hook of the HTTP and WebSocket clients (http::ClientOptions::dial,
// websocket::DialOptions::dial); tls::dial_conn makes TCP or TLS
// connections the way their defaults do.
using Dialer = std::function<absl::StatusOr<std::unique_ptr<Conn>>(
    std::string_view scheme, std::string_view host_port,
    time::Instant deadline)>;

}  // namespace mco::net

#endif  // MCO_STDLIB_NET_CONN_H_
