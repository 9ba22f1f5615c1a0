// Copyright 2026 The mco Authors.
//
// The HTTP sample's site over TLS (mco/crypto/tls under mco/net/http).
//
//   mco-run https_server.so -- --cert=FILE --key=FILE [--idle-timeout=D]
//                              [--io-timeout=D] [HOST:PORT]
//                              (default 127.0.0.1:8443)
//
// FILE are PEM files: the certificate chain (the server's first) and its
// private key. The routes and the other options are samples/http_server's
// (site.h). Each connection's TLS handshake runs in that connection's own
// coroutine, under the idle timeout (mco/net/http/tls.h); a client that
// fails it (a plaintext client, a bad certificate on its side) is dropped
// alone. ALPN offers "http/1.1".
//
// The first line on stdout is `listening on 127.0.0.1:PORT`; SIGINT or
// SIGTERM ends it cleanly (site.h). A missing or bad certificate or key is
// one line on stderr and exit status 2.
//
// Try it with a self-signed certificate:
//
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes
//     -keyout key.pem -out cert.pem -days 30 -subj /CN=localhost
//     -addext subjectAltName=DNS:localhost,IP:127.0.0.1     (one line)
//   mco-run https_server.so -- --cert=cert.pem --key=key.pem
//   curl --cacert cert.pem https://localhost:8443/api/time

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/crypto/tls/config.h"
#include "mco/module.h"
#include "mco/net/http/tls.h"
#include "samples/common/server.h"
#include "samples/http_server/site.h"

namespace {

constexpr char kProgram[] = "https_server";
constexpr char kDefaultAddress[] = "127.0.0.1:8443";

}  // namespace

MCO_MAIN(args) {
  mco::Args rest = args;
  std::map<std::string, std::optional<std::string>> files = {
      {"--cert=", std::nullopt}, {"--key=", std::nullopt}};
  if (!http_site::take_options(kProgram, &rest, &files)) return 2;
  std::optional<mco::net::http::ServerOptions> options =
      http_site::server_options(kProgram, &rest);
  std::string host_port;
  if (!options ||
      !mco_samples::server_args(rest, kProgram, kDefaultAddress, &host_port)) {
    return 2;
  }
  if (!files["--cert="] || !files["--key="]) {
    std::fprintf(stderr, "%s: usage: %s.so -- --cert=FILE --key=FILE [...]\n",
                 kProgram, kProgram);
    return 2;
  }
  // Shared by every connection; outlives the server (serve_site returns
  // after the last connection coroutine ended).
  auto config = std::make_shared<mco::tls::Config>();
  if (absl::Status st =
          config->load_certificate_files(*files["--cert="], *files["--key="]);
      !st.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram,
                 std::string(st.message()).c_str());
    return 2;
  }
  if (absl::Status st = config->set_alpn_protocols({"http/1.1"}); !st.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram,
                 std::string(st.message()).c_str());
    return 2;
  }
  options->wrap_conn = mco::net::http::tls_wrap_conn(config);
  return http_site::serve_site(kProgram, host_port, *options);
}
