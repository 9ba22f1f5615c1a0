// Copyright 2026 The mco Authors.
//
// An HTTP/1.1 server on mco/net/http: a Router, a Server, and a clean
// shutdown on SIGINT/SIGTERM.
//
//   mco-run http_server.so [-- [--idle-timeout=D] [--io-timeout=D]
//                               [HOST:PORT]]    (default 127.0.0.1:8080)
//
// The first line on stdout is `listening on 127.0.0.1:PORT`. The routes and
// options are in site.h (shared with samples/https_server). Tests shorten
// the timeouts to see slow clients cut off in seconds rather than a minute.
//
// Everything else (keep-alive, pipelining, chunked bodies, 100-continue,
// 400/413/431 answers, the timeouts, the lingering close) is the
// library's: see stdlib/net/http/server.h and docs/http.md.
//
// Try it: `curl -i http://127.0.0.1:8080/`, or
// `wrk -t2 -c100 -d5s http://127.0.0.1:8080/`.

#include <optional>
#include <string>

#include "mco/module.h"
#include "samples/common/server.h"
#include "samples/http_server/site.h"

namespace {

constexpr char kProgram[] = "http_server";
constexpr char kDefaultAddress[] = "127.0.0.1:8080";

}  // namespace

MCO_MAIN(args) {
  mco::Args rest = args;
  std::optional<mco::net::http::ServerOptions> options =
      http_site::server_options(kProgram, &rest);
  std::string host_port;
  if (!options ||
      !mco_samples::server_args(rest, kProgram, kDefaultAddress, &host_port)) {
    return 2;
  }
  return http_site::serve_site(kProgram, host_port, *options);
}
