// Copyright 2026 The mco Authors.
//
// The client handshake (client.h).

#include "mco/net/websocket/client.h"

#include <utility>

#include "mco/crypto/tls/config.h"
#include "mco/crypto/tls/stream.h"
#include "stdlib/net/websocket/random_internal.h"
#include "stdlib/net/websocket/str_internal.h"

namespace mco::net::websocket {

namespace {

absl::StatusOr<std::unique_ptr<Conn>> handshake(std::unique_ptr<net::Conn> conn,
                                                const WebSocketUrl& url,
                                                const DialOptions& options,
                                                time::Instant deadline) {
  char raw_key[16];
  internal::random_bytes(raw_key, sizeof raw_key);
  const std::string key =
      internal::base64_encode(std::string_view(raw_key, sizeof raw_key));

  conn->set_deadline(deadline);
  const std::string request =
      build_client_request(url, key, options.subprotocols, options.headers);
  if (auto st = conn->write_all(request); !st.ok()) return st;

  std::string buf;
  size_t head_size = 0;
  while ((head_size = find_head_end(buf)) == 0) {
    if (buf.size() >= kMaxHandshakeHead) {
      return absl::FailedPreconditionError(
          "websocket: bad handshake: response head too long");
    }
    char chunk[4096];
    absl::StatusOr<size_t> n = conn->read(chunk, sizeof chunk);
    if (!n.ok()) return n.status();
    if (*n == 0) {
      return absl::UnavailableError(
          "websocket: bad handshake: connection closed before the response");
    }
    buf.append(chunk, *n);
  }
  absl::StatusOr<HandshakeResponse> response =
      parse_response_head(std::string_view(buf).substr(0, head_size));
  if (!response.ok()) return response.status();
  absl::StatusOr<std::string> subprotocol =
      check_server_response(*response, key, options.subprotocols);
  if (!subprotocol.ok()) return subprotocol.status();
  conn->set_deadline(time::Instant());
  return std::make_unique<Conn>(std::move(conn), Role::kClient,
                                buf.substr(head_size), options.conn,
                                std::move(*subprotocol));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Conn>> client(std::unique_ptr<net::Conn> conn,
                                             std::string_view url,
                                             const DialOptions& options) {
  absl::StatusOr<WebSocketUrl> u = parse_websocket_url(url);
  if (!u.ok()) return u.status();
  return handshake(std::move(conn), *u, options,
                   time::Instant::now() + options.handshake_timeout);
}

absl::StatusOr<std::unique_ptr<Conn>> dial(std::string_view url,
                                           const DialOptions& options) {
  absl::StatusOr<WebSocketUrl> u = parse_websocket_url(url);
  if (!u.ok()) return u.status();
  const time::Instant deadline =
      time::Instant::now() + options.handshake_timeout;
  std::unique_ptr<net::Conn> conn;
  if (options.dial) {
    absl::StatusOr<std::unique_ptr<net::Conn>> c =
        options.dial(u->scheme, u->host_port, deadline);
    if (!c.ok()) return c.status();
    conn = std::move(*c);
  } else {  // TCP for "ws", TLS over TCP for "wss"
    static const tls::Config* const kSystemRoots = new tls::Config();
    absl::StatusOr<std::unique_ptr<net::Conn>> c = tls::dial_conn(
        u->host_port, u->scheme == "wss",
        options.tls_config != nullptr ? *options.tls_config : *kSystemRoots,
        deadline);
    if (!c.ok()) return c.status();
    conn = std::move(*c);
  }
  return handshake(std::move(conn), *u, options, deadline);
}

}  // namespace mco::net::websocket
