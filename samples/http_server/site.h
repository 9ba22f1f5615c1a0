// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: site.h
// -----------------------------------------------------------------------------
//
// What samples/http_server and samples/https_server share: the site (its
// routes), their options, and the server's life from listening to a clean
// shutdown.
//
// Routes:
//
//   GET or HEAD /      200, "Hello, World!\n" (text/plain)
//   POST /echo         200, the request body (up to 1 MiB; 413 beyond)
//   GET /api/time      200, {"unix_ms":1764000000000,
//                            "rfc3339":"2025-11-24T16:00:00Z"}
//   GET /api/echo?msg= 200, {"msg":"..."} (the parameter, %-decoded)
//   other methods      405 with an Allow header (on the paths above)
//   any other path     404
//
// Options, before HOST:PORT, each "--NAME=VALUE": `--idle-timeout=D` bounds
// the wait for each request head (default 60s), `--io-timeout=D` each body
// read and response write (default 30s); D is a duration in Go's syntax
// ("60s", "500ms").
//
// `serve_site` prints `listening on ADDR` first; on SIGINT or SIGTERM it
// prints `shutting down`, stops accepting, lets requests in flight finish
// (for up to 2 s) and returns 0.

#ifndef MCO_SAMPLES_HTTP_SERVER_SITE_H_
#define MCO_SAMPLES_HTTP_SERVER_SITE_H_

#include <signal.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
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

namespace http_site {

using mco::net::http::Request;
using mco::net::http::ResponseWriter;
using mco::time::Duration;
using mco::time::Second;

inline constexpr char kText[] = "text/plain; charset=utf-8";

// `s` as a JSON string, quotes included.
inline std::string json_string(std::string_view s) {
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

inline void routes(mco::net::http::Router& r) {
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

// take_options()
//
// Takes the "--NAME=VALUE" arguments named in `*options` (keys with their
// "--" and "=") out of `*args` (after args[0]) into the map's values
// (which must start empty).
// False, after one line on stderr, for an option given twice.
inline bool take_options(
    const char* program, mco::Args* args,
    std::map<std::string, std::optional<std::string>>* options) {
  mco::Args rest;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& arg = (*args)[i];
    bool taken = false;
    for (auto& [name, value] : *options) {
      if (i > 0 && arg.compare(0, name.size(), name) == 0) {
        if (value.has_value()) {
          std::fprintf(stderr, "%s: %s given twice\n", program,
                       name.substr(0, name.size() - 1).c_str());
          return false;
        }
        value = arg.substr(name.size());
        taken = true;
      }
    }
    if (!taken) rest.push_back(arg);
  }
  *args = std::move(rest);
  return true;
}

// server_options()
//
// The site's server options, with `--idle-timeout=D` and `--io-timeout=D`
// taken from `*args`. Nothing (after one line on stderr) for a bad one.
inline std::optional<mco::net::http::ServerOptions> server_options(
    const char* program, mco::Args* args) {
  mco::net::http::ServerOptions options;
  options.idle_timeout = 60 * Second;
  options.read_timeout = options.write_timeout = 30 * Second;
  options.max_header_bytes = 8 * 1024;
  options.max_body_bytes = 1 << 20;
  std::map<std::string, std::optional<std::string>> flags = {
      {"--idle-timeout=", std::nullopt}, {"--io-timeout=", std::nullopt}};
  if (!take_options(program, args, &flags)) return std::nullopt;
  for (auto [name, field] :
       {std::pair{"--idle-timeout=", &options.idle_timeout},
        std::pair{"--io-timeout=", &options.read_timeout}}) {
    if (!flags[name].has_value()) continue;
    const std::string& text = *flags[name];
    absl::StatusOr<Duration> d = Duration::parse(text);
    if (!d.ok() || *d <= Duration()) {
      std::fprintf(stderr, "%s: a positive duration expected in '%s%s'\n",
                   program, name, text.c_str());
      return std::nullopt;
    }
    *field = *d;
  }
  options.write_timeout = options.read_timeout;
  return options;
}

// serve_site()
//
// Listens on `host_port`, announces it, and serves the site until SIGINT or
// SIGTERM (see the file comment). 1 if it cannot listen.
inline int serve_site(const char* program, const std::string& host_port,
                      const mco::net::http::ServerOptions& options) {
  mco::Chan<int> signals(1);
  mco::signal::notify(signals, {SIGINT, SIGTERM});
  std::optional<mco::net::TcpListener> ln =
      mco_samples::listen_and_announce(host_port, program);
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
    std::fprintf(stderr, "%s: %s\n", program,
                 std::string(st.message()).c_str());
  }
  return 0;
}

}  // namespace http_site

#endif  // MCO_SAMPLES_HTTP_SERVER_SITE_H_
