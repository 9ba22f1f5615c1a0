// Copyright 2026 The mco Authors.
//
// An echo server: every byte a client sends comes back to it.
//
//   mco-run echo_server.so [-- [HOST:PORT]]     (default 127.0.0.1:7000)
//
// Port 0 picks a free port. The first line on stdout is
// `listening on 127.0.0.1:PORT`; then each connection is served by a
// coroutine of its own, which reads what is there and writes it back.
//
// Contract:
//  - A client that half-closes (shuts down its sending side) gets the rest
//    of its bytes back, then end of stream: the server closes its side.
//  - Bytes are bytes: any content, any pace (a slow client only parks its
//    own coroutine).
//  - An error (reset, broken pipe) ends only its connection, silently; the
//    socket is closed when its coroutine ends, so no descriptor outlives its
//    connection. TCP keep-alive probes find peers that vanished silently.
//  - SIGINT or SIGTERM: prints `shutting down`, stops accepting, exits 0.
//
// Try it with `nc 127.0.0.1 7000`, or load it with samples/echo_client.

#include <string>

#include "absl/status/statusor.h"
#include "mco/module.h"
#include "mco/net/tcp.h"
#include "samples/common/server.h"

namespace {

constexpr char kProgram[] = "echo_server";
constexpr char kDefaultAddress[] = "127.0.0.1:7000";
constexpr size_t kBufferBytes = 16 * 1024;

// Echoes `conn` until the client closes its side or the connection fails.
void echo(mco::net::TcpStream& conn) {
  conn.set_keepalive(true).IgnoreError();
  char buf[kBufferBytes];
  for (;;) {
    absl::StatusOr<size_t> n = conn.read(buf, sizeof buf);
    if (!n.ok()) return;  // reset, or closed by a shutdown
    if (*n == 0) {        // the client is done sending: so are we
      conn.shutdown(mco::net::ShutdownHow::kWrite).IgnoreError();
      return;
    }
    if (!conn.write_all(buf, *n).ok()) return;
  }
}

}  // namespace

MCO_MAIN(args) {
  std::string host_port;
  if (!mco_samples::server_args(args, kProgram, kDefaultAddress, &host_port)) {
    return 2;
  }
  return mco_samples::serve(host_port, kProgram,
                            [](mco::net::TcpStream conn) { echo(conn); });
}
