// Copyright 2026 The mco Authors.
//
// An HTTP/1.1 server on mco/net/http: a Router, a Server, and a clean
// shutdown on SIGINT/SIGTERM.
//
//   mco-run http_server.so [-- [--idle-timeout=D] [--io-timeout=D]
//                               [HOST:PORT]]    (default 127.0.0.1:8080)
//
// D is a duration in Go's syntax ("60s", "500ms"): `--idle-timeout` bounds
// the wait for each request head (default 60s), `--io-timeout` each body
// read and response write (default 30s). Tests shorten them to see slow
// clients cut off in seconds rather than a minute.
//
// The first line on stdout is `listening on 127.0.0.1:PORT`. Routes:
//
//   GET or HEAD /      200, "Hello, World!\n" (text/plain)
//   POST /echo         200, the request body (up to 1 MiB; 413 beyond)
//   GET /api/time      200,
//   {"unix_ms":1764000000000,"rfc3339":"2025-11-24T16:00:00Z"} GET
//   /api/echo?msg= 200, {"msg":"..."} (the parameter, %-decoded) other methods
//   405 with an Allow header (on the paths above) any other path     404
//
// Everything else (keep-alive, pipelining, chunked bodies, 100-continue,
// 400/413/431 answers, the timeouts, the lingering close) is the
// library's: see stdlib/net/http/server.h and docs/http.md.
//
// SIGINT or SIGTERM: prints `shutting down`, stops accepting, lets
// requests in flight finish (for up to 2 s), exits 0.
//
// Try it: `curl -i http://127.0.0.1:8080/`, or
// `wrk -t2 -c100 -d5s http://127.0.0.1:8080/`.

#include <signal.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/module.h"
#include "mco/net/http/router.h"
#include "mco/net/http/server.h"
#include "mco/net/tcp.h"
#include "mco/signal/signal.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"
#include "samples/common/server.h"

namespace {

using mco::net::http::Request;
using mco::net::http::ResponseWriter;
using mco::time::Duration;
using mco::time::Second;

constexpr char kProgram[] = "http_server";
constexpr char kDefaultAddress[] = "127.0.0.1:8080";
constexpr char kText[] = "text/plain; charset=utf-8";

// `s` as a JSON string, quotes included.
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out.append(esc);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

void routes(mco::net::http::Router& r) {
  r.get("/", [](Request&, ResponseWriter& w) {
    w.reply(200, kText, "Hello, World!\n");
  });
  r.post("/echo", [](Request& req, ResponseWriter& w) {
    w.reply(200, "application/octet-stream", req.body);
  });
  r.get("/api/time", [](Request&, ResponseWriter& w) {
    const auto now = std::chrono::system_clock::now();
    const long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             now.time_since_epoch())
                             .count();
    const time_t secs = static_cast<time_t>(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    w.json("{\"unix_ms\":" + std::to_string(ms) +
           ",\"rfc3339\":" + json_string(text) + "}\n");
  });
  r.get("/api/echo", [](Request& req, ResponseWriter& w) {
    w.json("{\"msg\":" + json_string(req.query("msg")) + "}\n");
  });
}

// Takes the `--idle-timeout=D` and `--io-timeout=D` options out of `*args`
// into `*idle` and `*io`. False (after one line on stderr) for a bad
// duration.
bool timeout_options(mco::Args* args, Duration* idle, Duration* io) {
  mco::Args rest;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string_view arg = (*args)[i];
    Duration* target = nullptr;
    std::string_view value;
    for (auto [name, field] :
         {std::pair{std::string_view("--idle-timeout="), idle},
          std::pair{std::string_view("--io-timeout="), io}}) {
      if (i > 0 && arg.substr(0, name.size()) == name) {
        target = field;
        value = arg.substr(name.size());
      }
    }
    if (target == nullptr) {
      rest.push_back((*args)[i]);
      continue;
    }
    absl::StatusOr<Duration> d = Duration::parse(value);
    if (!d.ok() || *d <= Duration()) {
      std::fprintf(stderr, "%s: a positive duration expected in '%s'\n",
                   kProgram, std::string(arg).c_str());
      return false;
    }
    *target = *d;
  }
  *args = std::move(rest);
  return true;
}

}  // namespace

MCO_MAIN(args) {
  mco::Args rest = args;
  mco::net::http::ServerOptions options;
  options.idle_timeout = 60 * Second;
  options.read_timeout = options.write_timeout = 30 * Second;
  options.max_header_bytes = 8 * 1024;
  options.max_body_bytes = 1 << 20;
  std::string host_port;
  if (!timeout_options(&rest, &options.idle_timeout, &options.read_timeout) ||
      !mco_samples::server_args(rest, kProgram, kDefaultAddress, &host_port)) {
    return 2;
  }
  options.write_timeout = options.read_timeout;

  mco::Chan<int> signals(1);
  mco::signal::notify(signals, {SIGINT, SIGTERM});
  std::optional<mco::net::TcpListener> ln =
      mco_samples::listen_and_announce(host_port, kProgram);
  if (!ln) return 1;
  mco::net::http::Router router;
  routes(router);
  mco::net::http::Server server(router.handler(), options);
  mco::JoinHandle<absl::Status> serving =
      mco::go([&] { return server.serve(*ln); });
  signals.recv();
  std::printf("shutting down\n");
  std::fflush(stdout);
  server.shutdown(mco::time::Instant::now() + 2 * Second).IgnoreError();
  const absl::Status st = serving.join();
  if (!st.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram,
                 std::string(st.message()).c_str());
  }
  return 0;
}
