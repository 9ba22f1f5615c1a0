// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: client.h
// -----------------------------------------------------------------------------
//
// The client side of the opening handshake: `dial` connects to a
// "ws://host:port/path" URL and upgrades; `client` upgrades a connection the
// caller made (any `net::Conn`, e.g. TLS for "wss://").
//
//   DialOptions o;
//   o.subprotocols = {"chat.v2", "chat"};
//   o.headers = {{"Origin", "http://example.com"}};
//   absl::StatusOr<std::unique_ptr<Conn>> ws = dial("ws://127.0.0.1:8080/", o);
//   if (ws.ok()) std::string p = (*ws)->subprotocol();   // what the server
//   chose
//
// The request carries a fresh random Sec-WebSocket-Key (16 bytes from the
// kernel); the answer must be 101 with `Upgrade: websocket`, `Connection:
// Upgrade`, the matching Sec-WebSocket-Accept, no extension, and a
// subprotocol only if it was offered; otherwise FailedPrecondition
// ("websocket: bad handshake: status 404 Not Found (want 101)").
//
// Dialing and the handshake together must finish within
// `handshake_timeout` (DeadlineExceeded otherwise); the handshake sets the
// connection's deadlines and clears them when done. "wss://" goes over TLS
// (mco/crypto/tls), verified with `DialOptions::tls_config` or the system's
// trusted roots; `DialOptions::dial` replaces how either is connected.
// Cancellation: `mco::Cancelled` is thrown from the blocking connect, write
// or read.

#ifndef MCO_STDLIB_NET_WEBSOCKET_CLIENT_H_
#define MCO_STDLIB_NET_WEBSOCKET_CLIENT_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "mco/net/conn.h"
#include "mco/net/websocket/conn.h"
#include "mco/net/websocket/handshake.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::tls {
class Config;
}  // namespace mco::tls

namespace mco::net::websocket {

// DialFunc
//
// Makes the connection for `dial`, for `scheme` "ws" or "wss" (see
// mco/net/conn.h).
using DialFunc = net::Dialer;

// DialOptions
struct DialOptions {
  // Subprotocols to offer, in order of preference; none: no header.
  std::vector<std::string> subprotocols;
  // More request headers (e.g. Origin, Authorization), sent as given.
  HeaderList headers;
  // For dialing and the handshake together.
  time::Duration handshake_timeout = 10 * time::Second;
  // Limits and hooks of the connection.
  ConnOptions conn;
  // How to connect; default: TCP for "ws", TLS over TCP for "wss"
  // (verified with `tls_config`, or the system's roots when null).
  DialFunc dial;
  std::shared_ptr<const tls::Config> tls_config;
};

// dial()
//
// Connects to `url` and performs the handshake (see the file comment).
absl::StatusOr<std::unique_ptr<Conn>> dial(std::string_view url,
                                           const DialOptions& options = {});

// client()
//
// Performs the handshake for `url` over `conn`, which is already connected
// (the URL gives the Host header and the resource; its scheme is not
// checked against the connection). The `dial` hook is not used.
absl::StatusOr<std::unique_ptr<Conn>> client(std::unique_ptr<net::Conn> conn,
                                             std::string_view url,
                                             const DialOptions& options = {});

}  // namespace mco::net::websocket

#endif  // MCO_STDLIB_NET_WEBSOCKET_CLIENT_H_
