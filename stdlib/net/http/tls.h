// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: tls.h
// -----------------------------------------------------------------------------
//
// HTTPS for a `Server`: `tls_wrap_conn(config)` is a `ServerOptions::
// wrap_conn` that runs the TLS server handshake (mco/crypto/tls) on each
// accepted connection, in that connection's own coroutine and under the
// idle timeout. A client that fails it (plaintext, a certificate it does
// not trust, a handshake it abandons) loses only its own connection.
//
//   auto config = std::make_shared<mco::tls::Config>();
//   MCO_TRY(config->load_certificate_files("cert.pem", "key.pem"));
//   MCO_TRY(config->set_alpn_protocols({"http/1.1"}));
//   mco::net::http::ServerOptions options;
//   options.wrap_conn = mco::net::http::tls_wrap_conn(config);
//   mco::net::http::Server server(router.handler(), options);
//
// Clients speak HTTPS with the default dial (client.h, `tls_config`).

#ifndef MCO_STDLIB_NET_HTTP_TLS_H_
#define MCO_STDLIB_NET_HTTP_TLS_H_

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "mco/crypto/tls/config.h"
#include "mco/net/conn.h"

namespace mco::net::http {

// tls_wrap_conn()
//
// See the file comment. The function shares `config` (kept alive by it).
std::function<
    absl::StatusOr<std::unique_ptr<net::Conn>>(std::unique_ptr<net::Conn>)>
tls_wrap_conn(std::shared_ptr<const tls::Config> config);

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_TLS_H_
