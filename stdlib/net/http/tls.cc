// Copyright 2026 The mco Authors.

#include "mco/net/http/tls.h"

#include <utility>

#include "mco/crypto/tls/stream.h"

namespace mco::net::http {

std::function<
    absl::StatusOr<std::unique_ptr<net::Conn>>(std::unique_ptr<net::Conn>)>
tls_wrap_conn(std::shared_ptr<const tls::Config> config) {
  return [config = std::move(config)](std::unique_ptr<net::Conn> conn)
             -> absl::StatusOr<std::unique_ptr<net::Conn>> {
    absl::StatusOr<std::unique_ptr<tls::Stream>> s =
        tls::server(std::move(conn), *config);
    if (!s.ok()) return s.status();
    if (absl::Status st = (*s)->handshake(); !st.ok()) return st;
    return std::unique_ptr<net::Conn>(std::move(*s));
  };
}

}  // namespace mco::net::http
