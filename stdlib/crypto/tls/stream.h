// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: stream.h
// -----------------------------------------------------------------------------
//
// `Stream`: a TLS connection over any connected `net::Conn` (Go's tls.Conn),
// itself a `net::Conn`, so HTTP, WebSocket or Redis code runs over it
// unchanged. `client()` and `server()` wrap a connection; `dial()` connects
// over TCP and shakes hands.
//
//   mco::tls::Config config;                 // system roots, TLS >= 1.2
//   auto s = mco::tls::dial("example.com:443", config, 10 * mco::time::Second);
//   if (!s.ok()) return s.status();  // "tls: certificate verify failed: ..."
//   MCO_TRY((*s)->write_all("GET / HTTP/1.0\r\n\r\n"));
//
//   // A server, per accepted connection:
//   auto s = mco::tls::server(std::make_unique<mco::net::TcpStream>(
//                                 std::move(accepted)), server_config);
//
// The handshake runs on the first `read`, `write` or explicit `handshake()`,
// whichever comes first (as in Go); a failed handshake fails every later
// call with the same error. Its errors say what went wrong:
//   "tls: certificate verify failed: self-signed certificate"
//   "tls: certificate verify failed: hostname mismatch (want \"x.test\")"
//   "tls: first record does not look like a TLS handshake (...)"
//   "tls: handshake failed: sslv3 alert bad certificate"
//   "tls: handshake failed: connection closed by the peer"
// (Unauthenticated for verification failures, Unavailable for the others,
// or the underlying connection's error: DeadlineExceeded, ...).
//
// The `net::Conn` contract holds (conn.h): `read` returns at least one byte,
// or 0 once the peer sent close_notify; a peer that closes the connection
// without close_notify makes `read` fail with OutOfRange "tls: unexpected
// EOF" (a truncation attack cannot pass for the end of the data). Deadlines
// are the underlying connection's, so a stalled handshake, read or write
// fails with DeadlineExceeded; a read may be retried after one, but a write
// that failed for any reason (deadline, reset, cancellation) may have sent
// part of a record, and every later write fails with the same error.
// `close_write()` sends close_notify (the peer reads end of stream) and, as
// Go's CloseWrite, leaves the underlying connection's write side open.
// `close()` sends close_notify if no write is in progress (giving it at
// most 5 seconds), then closes the underlying connection, waking blocked
// users with FailedPrecondition.
//
// Concurrency: one coroutine may read while another writes (and several
// of each: readers queue, writers queue, each record stays whole). OpenSSL
// runs under a short lock that is never held while waiting for the network.
// Cancellation: a coroutine cancelled while blocked in the underlying
// connection throws `mco::Cancelled`.

#ifndef MCO_STDLIB_CRYPTO_TLS_STREAM_H_
#define MCO_STDLIB_CRYPTO_TLS_STREAM_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mco/crypto/tls/config.h"
#include "mco/net/conn.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::tls {

class Stream final : public net::Conn {
 public:
  ~Stream() override;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Stream::handshake()
  //
  // Runs the handshake if it has not run; its result (the same error every
  // time if it failed). Safe to call from several coroutines at once.
  absl::Status handshake();

  // Stream::read() / write() / write_all()
  //
  // As `net::Conn`, after the handshake. `write` encrypts and sends at
  // most 256 KiB per call; `write_all` everything, holding the write side
  // for the whole buffer (so concurrent `write_all`s never mix).
  absl::StatusOr<size_t> read(void* buf, size_t len) override;
  absl::StatusOr<size_t> write(const void* buf, size_t len) override;
  absl::Status write_all(const void* buf, size_t len) override;
  using net::Conn::write_all;

  // Stream::write_vectored()
  //
  // Writes all of the pieces, in order, holding the write side throughout
  // and gathering small pieces into shared records (one record for an HTTP
  // head, not one per header line).
  absl::Status write_vectored(
      absl::Span<const std::string_view> pieces) override;
  using net::Conn::write_vectored;

  // Stream::close_write()
  //
  // Sends close_notify: the peer reads end of stream; this side may still
  // read. FailedPrecondition before the handshake completed.
  absl::Status close_write() override;

  // Stream::close()
  //
  // See the file comment. FailedPrecondition if already closed.
  absl::Status close() override;

  // Deadlines and addresses are the underlying connection's.
  void set_deadline(time::Instant t) override;
  void set_read_deadline(time::Instant t) override;
  void set_write_deadline(time::Instant t) override;
  [[nodiscard]] absl::StatusOr<net::SocketAddress> local_address()
      const override;
  [[nodiscard]] absl::StatusOr<net::SocketAddress> peer_address()
      const override;

  // What the handshake settled (empty or kUnknown before it completed).
  [[nodiscard]] bool handshake_complete() const;
  [[nodiscard]] bool is_client() const;
  [[nodiscard]] Version version() const;
  [[nodiscard]] std::string cipher_suite() const;  // "TLS_AES_128_GCM_SHA256"
  // The ALPN protocol agreed on; empty if none.
  [[nodiscard]] std::string alpn_protocol() const;
  // The server name: what a server's client asked for (SNI), or what a
  // client sent and verified.
  [[nodiscard]] std::string server_name() const;
  // The peer's certificate subject in RFC 2253 form ("CN=localhost,O=mco");
  // empty if the peer sent none.
  [[nodiscard]] std::string peer_certificate_subject() const;

  // Stream::underlying()
  //
  // The wrapped connection (e.g. for socket options). Do not read or write
  // it while the stream is in use.
  [[nodiscard]] net::Conn& underlying();

  // For the implementation: `client()` and `server()` make streams.
  struct State;  // stream.cc
  explicit Stream(std::unique_ptr<State> state);

 private:
  // Runs `body` holding the write side, after the handshake.
  absl::Status with_write_side(absl::FunctionRef<absl::Status(State&)> body);

  std::unique_ptr<State> s_;
};

// client()
//
// The client side of a TLS connection over `conn`, verifying the server
// as `server_name` (or, if empty, the config's `server_name()`; with
// neither, InvalidArgument unless the config skips verification). An IP
// address is checked against the certificate's IP addresses and not sent
// as SNI. The handshake runs later (see the file comment).
absl::StatusOr<std::unique_ptr<Stream>> client(
    std::unique_ptr<net::Conn> conn, const Config& config,
    std::string_view server_name = {});

// server()
//
// The server side of a TLS connection over `conn`. InvalidArgument if the
// config has no certificate.
absl::StatusOr<std::unique_ptr<Stream>> server(std::unique_ptr<net::Conn> conn,
                                               const Config& config);

// dial() / dial_until()
//
// Connects over TCP to "host:port", then shakes hands as a client for the
// host (or the config's server name), all within `timeout` or by
// `deadline` (DeadlineExceeded). The stream has no deadline when returned.
absl::StatusOr<std::unique_ptr<Stream>> dial(std::string_view host_port,
                                             const Config& config);
absl::StatusOr<std::unique_ptr<Stream>> dial(std::string_view host_port,
                                             const Config& config,
                                             time::Duration timeout);
absl::StatusOr<std::unique_ptr<Stream>> dial_until(std::string_view host_port,
                                                   const Config& config,
                                                   time::Instant deadline);

// dial_conn()
//
// A client's connection to "host:port" by `deadline`: TLS over TCP as
// `dial_until` makes it when `secure`, plain TCP otherwise (`config` is then
// not used). What the HTTP and WebSocket clients dial by default: secure
// for "https" and "wss".
absl::StatusOr<std::unique_ptr<net::Conn>> dial_conn(std::string_view host_port,
                                                     bool secure,
                                                     const Config& config,
                                                     time::Instant deadline);

}  // namespace mco::tls

#endif  // MCO_STDLIB_CRYPTO_TLS_STREAM_H_
