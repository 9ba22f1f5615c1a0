// Copyright 2026 The mco Authors.

#include "mco/net/websocket/http_upgrade.h"

#include <string>
#include <utility>

#include "mco/net/websocket/handshake.h"

namespace mco::net::websocket {

absl::StatusOr<std::unique_ptr<Conn>> upgrade(const http::Request& request,
                                              http::ResponseWriter& writer,
                                              const AcceptOptions& options) {
  HandshakeRequest req;
  req.method = request.method;
  req.target = request.target;
  req.headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers.fields()) {
    req.headers.emplace_back(name, value);
  }
  absl::StatusOr<http::Hijacked> hijacked = writer.hijack();
  if (!hijacked.ok()) return hijacked.status();
  return accept(std::move(hijacked->conn), std::move(hijacked->buffered), req,
                options);
}

}  // namespace mco::net::websocket
