// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: server.h
// -----------------------------------------------------------------------------
//
// The server side of the opening handshake, with no HTTP library:
// `accept` upgrades a connection whose request head someone else has parsed
// (an HTTP server's hijacked connection), `accept_raw` reads and parses the
// head itself.
//
//   auto ln = mco::net::TcpListener::bind("127.0.0.1:8080").value();
//   for (;;) {
//     auto c = ln.accept();
//     if (!c.ok()) break;
//     mco::go([c = std::make_unique<mco::net::TcpStream>(std::move(*c))]()
//     mutable {
//       auto ws = websocket::accept_raw(std::move(c));
//       if (!ws.ok()) return;                 // refused: 400 was sent
//       while (auto m = (*ws)->read(); m.ok()) (*ws)->write(m->type, m->data);
//     });
//   }
//
// A request is accepted if it is a GET with a Host header, `Upgrade:
// websocket`, a `Connection` header holding "upgrade",
// `Sec-WebSocket-Version: 13` and a valid `Sec-WebSocket-Key`, and
// `AcceptOptions::check` (if any) approves it.
// Otherwise the server answers 405, 400, 426 (with `Sec-WebSocket-Version:
// 13`) or 403 with the reason as a text body, closes the connection and
// returns FailedPrecondition ("websocket: bad handshake: ..."), or the
// check's own error. The first of `AcceptOptions::subprotocols` the client
// offers is chosen. Extensions (permessage-deflate) are never accepted.
//
// The handshake (reading the head in `accept_raw`, writing the answer) must
// finish within `handshake_timeout`; the connection's deadlines are set for
// it and cleared afterwards.

#ifndef MCO_STDLIB_NET_WEBSOCKET_SERVER_H_
#define MCO_STDLIB_NET_WEBSOCKET_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/conn.h"
#include "mco/net/websocket/conn.h"
#include "mco/net/websocket/handshake.h"
#include "mco/time/duration.h"

namespace mco::net::websocket {

// AcceptOptions
struct AcceptOptions {
  // Subprotocols the server speaks, in its order of preference.
  std::vector<std::string> subprotocols;
  // More response headers for the 101, sent as given.
  HeaderList headers;
  // Optional: approves a request (e.g. its Origin); an error refuses it
  // with 403 and is returned by `accept`.
  std::function<absl::Status(const HandshakeRequest&)> check;
  // For reading the request (accept_raw) and writing the answer.
  time::Duration handshake_timeout = 10 * time::Second;
  // Limits and hooks of the connection.
  ConnOptions conn;
};

// accept()
//
// Upgrades `conn`, whose request `req` was read already; `buffered` holds
// bytes read past the request head (the client's first frames, perhaps).
absl::StatusOr<std::unique_ptr<Conn>> accept(std::unique_ptr<net::Conn> conn,
                                             std::string buffered,
                                             const HandshakeRequest& req,
                                             const AcceptOptions& options = {});

// accept_raw()
//
// Reads the request head from `conn` (at most kMaxHandshakeHead bytes; 400
// if malformed or longer), then does what `accept` does.
absl::StatusOr<std::unique_ptr<Conn>> accept_raw(
    std::unique_ptr<net::Conn> conn, const AcceptOptions& options = {});

}  // namespace mco::net::websocket

#endif  // MCO_STDLIB_NET_WEBSOCKET_SERVER_H_
