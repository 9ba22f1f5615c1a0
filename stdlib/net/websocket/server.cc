// Copyright 2026 The mco Authors.
//
// The server handshake (server.h).

#include "mco/net/websocket/server.h"

#include <utility>

#include "mco/time/instant.h"
#include "stdlib/net/websocket/str_internal.h"

namespace mco::net::websocket {

namespace {

// Sends the refusal, closes, and returns `d.error`.
absl::Status refuse(net::Conn& conn, const UpgradeDecision& d) {
  (void)conn.write_all(reject_response(d));
  (void)conn.close();
  return d.error;
}

absl::StatusOr<std::unique_ptr<Conn>> upgrade(std::unique_ptr<net::Conn> conn,
                                              std::string buffered,
                                              const HandshakeRequest& req,
                                              const AcceptOptions& options,
                                              time::Instant deadline) {
  conn->set_deadline(deadline);
  UpgradeDecision d = check_upgrade_request(req, options.subprotocols);
  if (d.error.ok() && options.check) {
    if (absl::Status st = options.check(req); !st.ok()) {
      d.http_status = 403;
      d.error = st;
    }
  }
  if (!d.error.ok()) return refuse(*conn, d);
  if (auto st = conn->write_all(accept_response(d, options.headers));
      !st.ok()) {
    (void)conn->close();
    return st;
  }
  conn->set_deadline(time::Instant());
  return std::make_unique<Conn>(std::move(conn), Role::kServer,
                                std::move(buffered), options.conn,
                                std::move(d.subprotocol));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Conn>> accept(std::unique_ptr<net::Conn> conn,
                                             std::string buffered,
                                             const HandshakeRequest& req,
                                             const AcceptOptions& options) {
  return upgrade(std::move(conn), std::move(buffered), req, options,
                 time::Instant::now() + options.handshake_timeout);
}

absl::StatusOr<std::unique_ptr<Conn>> accept_raw(
    std::unique_ptr<net::Conn> conn, const AcceptOptions& options) {
  const time::Instant deadline =
      time::Instant::now() + options.handshake_timeout;
  conn->set_deadline(deadline);
  std::string buf;
  size_t head_size = 0;
  while ((head_size = find_head_end(buf)) == 0) {
    if (buf.size() >= kMaxHandshakeHead) {
      UpgradeDecision d;
      d.http_status = 400;
      d.error = absl::FailedPreconditionError(
          "websocket: bad handshake: request head too long");
      return refuse(*conn, d);
    }
    char chunk[4096];
    absl::StatusOr<size_t> n = conn->read(chunk, sizeof chunk);
    if (!n.ok() || *n == 0) {
      (void)conn->close();
      if (!n.ok()) return n.status();
      return absl::UnavailableError(
          "websocket: bad handshake: connection closed before the request");
    }
    buf.append(chunk, *n);
  }
  absl::StatusOr<HandshakeRequest> req =
      parse_request_head(std::string_view(buf).substr(0, head_size));
  if (!req.ok()) {
    UpgradeDecision d;
    d.http_status = 400;
    d.error = req.status();
    return refuse(*conn, d);
  }
  return upgrade(std::move(conn), buf.substr(head_size), *req, options,
                 deadline);
}

}  // namespace mco::net::websocket
