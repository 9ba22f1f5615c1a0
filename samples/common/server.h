// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: server.h
// -----------------------------------------------------------------------------
//
// What the sample TCP servers share: the command line, the listener and
// its announcement, the accept loop, a graceful close, and the shutdown on
// a signal.
//
//   MCO_MAIN(args) {
//     std::string host_port;
//     if (!mco_samples::server_args(args, "echo_server", "127.0.0.1:7000",
//                                   &host_port)) {
//       return 2;
//     }
//     return mco_samples::serve(host_port, "echo_server",
//                               [](mco::net::TcpStream c) { echo(c); });
//   }
//
// `serve` listens and prints exactly one line, `listening on ADDR` (the
// bound address, so port 0 shows the port picked), and flushes stdout, so a
// supervisor or a test can read it before connecting. SIGINT and SIGTERM
// are caught before that line is printed. Then it runs each connection's
// handler in a coroutine of its own until SIGINT or SIGTERM arrives; then
// it prints `shutting down`, stops accepting, closes the listener and
// returns 0. Connections still open are cancelled when the module's main
// returns (their blocked reads and writes throw mco::Cancelled, and their
// sockets close as the stacks unwind).
//
// `close_gracefully` ends a connection after a last message without losing
// it to a reset.

#ifndef MCO_SAMPLES_COMMON_SERVER_H_
#define MCO_SAMPLES_COMMON_SERVER_H_

#include <signal.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/module.h"
#include "mco/net/address.h"
#include "mco/net/stream.h"
#include "mco/net/tcp.h"
#include "mco/signal/signal.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco_samples {

// server_args()
//
// A server's command line, `[-- [HOST:PORT]]`: sets *host_port to args[1],
// or to `fallback` if there is none. Returns false (after one line on
// stderr naming `program`) if there are more arguments or args[1] is not a
// HOST:PORT ("127.0.0.1:7000", "localhost:0", "[::1]:80", ":80").
inline bool server_args(const mco::Args& args, const char* program,
                        const char* fallback, std::string* host_port) {
  if (args.size() > 2) {
    std::fprintf(stderr, "%s: usage: %s.so [-- [HOST:PORT]]\n", program,
                 program);
    return false;
  }
  const std::string text = args.size() > 1 ? args[1] : fallback;
  absl::StatusOr<std::pair<std::string, uint16_t>> split =
      mco::net::split_host_port(text);
  if (!split.ok()) {
    std::fprintf(stderr, "%s: HOST:PORT expected, not '%s' (%s)\n", program,
                 text.c_str(), std::string(split.status().message()).c_str());
    return false;
  }
  *host_port = text;
  return true;
}

// listen_and_announce()
//
// Listens on `host_port` and prints "listening on ADDR" (then flushes
// stdout). On failure prints "<program>: <error>" on stderr and returns
// nothing.
inline std::optional<mco::net::TcpListener> listen_and_announce(
    const std::string& host_port, const char* program) {
  absl::StatusOr<mco::net::TcpListener> ln =
      mco::net::TcpListener::bind(host_port);
  absl::StatusOr<mco::net::SocketAddress> bound =
      ln.ok() ? ln->local_address()
              : absl::StatusOr<mco::net::SocketAddress>(ln.status());
  if (!bound.ok()) {
    std::fprintf(stderr, "%s: %s\n", program,
                 std::string(bound.status().message()).c_str());
    return std::nullopt;
  }
  std::printf("listening on %s\n", bound->to_string().c_str());
  std::fflush(stdout);
  return std::move(*ln);
}

// accept_loop()
//
// Accepts connections on `ln` until it is closed, running `handle(conn)`
// (a copy of `handle` taking a `mco::net::TcpStream`) in a new coroutine for
// each. A failed accept (e.g. too many open files) is reported on stderr
// and retried after a pause growing from 5 ms to 1 s, as Go's net/http does.
template <typename Handler>
void accept_loop(mco::net::TcpListener& ln, const char* program,
                 const Handler& handle) {
  using mco::time::Duration;
  Duration pause;
  for (;;) {
    absl::StatusOr<mco::net::TcpStream> conn = ln.accept();
    if (conn.ok()) {
      pause = Duration();
      mco::go([handle, c = std::move(*conn)]() mutable {
        handle(std::move(c));
      }).detach();
      continue;
    }
    if (absl::IsFailedPrecondition(conn.status())) return;  // closed
    pause = pause == Duration() ? 5 * mco::time::Millisecond
                                : std::min(2 * pause, 1 * mco::time::Second);
    std::fprintf(stderr, "%s: %s; retrying in %lld ms\n", program,
                 std::string(conn.status().message()).c_str(),
                 static_cast<long long>(pause.milliseconds()));
    mco::time::sleep(pause);
  }
}

// close_gracefully()
//
// Closes `conn` once its last bytes are written: shuts down the sending
// side, then reads and drops what the client still sends (at most
// `max_bytes`, for at most `timeout`), because closing a socket with unread
// bytes makes the kernel send a reset, which may destroy the last message
// before the client has read it.
inline void close_gracefully(mco::net::Stream& conn,
                             mco::time::Duration timeout = 2 *
                                                           mco::time::Second,
                             size_t max_bytes = 256 * 1024) {
  if (conn.shutdown(mco::net::ShutdownHow::kWrite).ok()) {
    conn.set_read_deadline(mco::time::Instant::now() + timeout);
    char sink[4096];
    for (size_t drained = 0; drained < max_bytes;) {
      absl::StatusOr<size_t> n = conn.read(sink, sizeof sink);
      if (!n.ok() || *n == 0) break;
      drained += *n;
    }
  }
  conn.close().IgnoreError();
}

// serve()
//
// Listens on `host_port` and serves connections with `handle` (see
// accept_loop) until SIGINT or SIGTERM (see the file comment). Returns the
// module's exit code: 0, or 1 (after one line on stderr) if it cannot
// listen.
template <typename Handler>
int serve(const std::string& host_port, const char* program, Handler handle) {
  mco::Chan<int> signals(1);
  mco::signal::notify(signals, {SIGINT, SIGTERM});
  std::optional<mco::net::TcpListener> ln =
      listen_and_announce(host_port, program);
  if (!ln) return 1;
  mco::JoinHandle<void> acceptor =
      mco::go([&ln, program, &handle] { accept_loop(*ln, program, handle); });
  signals.recv();
  std::printf("shutting down\n");
  std::fflush(stdout);
  ln->close().IgnoreError();
  acceptor.join();
  return 0;
}

}  // namespace mco_samples

#endif  // MCO_SAMPLES_COMMON_SERVER_H_
