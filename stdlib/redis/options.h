// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: options.h
// -----------------------------------------------------------------------------
//
// `Options`: where a Redis server is, how to log in, the protocol, timeouts,
// parser limits and the pool's sizes; shared by `Connection`, `Client` and
// `Subscription`. Only `address` is usually set:
//
//   mco::redis::Options opts;
//   opts.address = "127.0.0.1:6379";       // or "unix:/run/redis.sock"
//   opts.password = "secret";              // AUTH (with `username`: ACL user)
//   opts.db = 2;                           // SELECT 2
//   mco::redis::Client client(opts);
//
// `dial` opens the byte stream under a connection. The default
// (`dial_default`) connects over TCP, or to a Unix socket for an address
// starting with "unix:". A TLS dialer, or a test's wrapper, returns its own
// `net::Conn`; everything above works the same.
//
// Timeouts are `Duration`s; 0 means none. A call's own deadline (the
// `time::Instant` argument of every command) wins over `command_timeout`.

#ifndef MCO_STDLIB_REDIS_OPTIONS_H_
#define MCO_STDLIB_REDIS_OPTIONS_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "mco/net/conn.h"
#include "mco/redis/resp.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::redis {

// Opens a byte stream to `address`, giving up at `deadline` (none if
// `Instant()`).
using DialFunc = std::function<absl::StatusOr<std::unique_ptr<net::Conn>>(
    std::string_view address, time::Instant deadline)>;

// dial_default()
//
// TCP to "host:port", or a Unix-domain socket for "unix:/path".
absl::StatusOr<std::unique_ptr<net::Conn>> dial_default(
    std::string_view address, time::Instant deadline);

struct Options {
  // The server: "host:port" or "unix:/path".
  std::string address = "127.0.0.1:6379";
  // Opens the stream (nullptr: `dial_default`).
  DialFunc dial;

  // Login: AUTH password, or AUTH username password (ACL); none if empty.
  std::string username;
  std::string password;
  // SELECT db (when not 0), CLIENT SETNAME client_name (when not empty).
  int db = 0;
  std::string client_name;

  // 3: say HELLO 3 and speak RESP3, falling back to RESP2 if the server
  // refuses HELLO (Redis < 6). 2: RESP2 only (no HELLO).
  int protocol = 3;

  time::Duration dial_timeout = 5 * time::Second;      // connect + handshake
  time::Duration command_timeout = time::Duration(0);  // per call; 0: none

  // Reply parser limits (bulk length, aggregate length, nesting).
  ParserOptions parser;

  // Client's pool. `max_open`: connections open at once (callers wait for
  // one beyond it, up to their deadline or `pool_timeout`); `max_idle`: kept
  // open when unused; `idle_timeout`: an idle connection older than this is
  // closed instead of reused.
  int max_open = 64;
  int max_idle = 16;
  time::Duration idle_timeout = 5 * time::Minute;
  time::Duration pool_timeout = time::Duration(0);  // 0: as long as the call

  // Pub/sub: messages buffered in a `Subscription`'s channel.
  size_t subscription_buffer = 1024;
};

}  // namespace mco::redis

#endif  // MCO_STDLIB_REDIS_OPTIONS_H_
