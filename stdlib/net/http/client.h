// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: client.h
// -----------------------------------------------------------------------------
//
// `Client`: an HTTP/1.1 client (Go's http.Client) with a keep-alive
// connection pool, redirects and timeouts. Safe for concurrent use by
// many coroutines; keep one and reuse it.
//
//   mco::net::http::Client client({.timeout = 10 * mco::time::Second});
//   absl::StatusOr<mco::net::http::Response> r =
//       client.get("http://127.0.0.1:8080/api/time");
//   if (!r.ok()) return r.status();          // dial, I/O, timeout, ...
//   if (r->status == 200) use(r->body);
//
//   auto p = client.post(url, "application/json", R"({"a":1})");
//   auto req = mco::net::http::Request::make("DELETE", url);
//   auto d = client.send(req);
//
// Contract:
//  - Connections come from `dial` (default: TCP for "http", TLS over TCP
//    for "https", verified with `tls_config` or the system's roots and
//    offering ALPN "http/1.1"), with `connect_timeout`.
//    `timeout` (if non-zero) bounds the whole call: dial, writing, reading,
//    and every redirect.
//  - Bodies: Content-Length, chunked, or until the connection closes; at
//    most `max_body_bytes` (ResourceExhausted beyond). 1xx interim
//    responses are skipped.
//  - After a complete response that allows it (keep-alive, framed body),
//    the connection goes back to a pool per scheme://host:port, which keeps
//    at most `max_idle_per_host` of them, and is reused by the next
//    request to that host from any coroutine. A pooled connection the
//    server has closed meanwhile is detected when the request fails before
//    any response byte; idempotent requests (GET, HEAD, OPTIONS, TRACE,
//    PUT, DELETE) are then retried once on a new connection.
//  - Redirects (301, 302, 303, 307, 308 with a Location) are followed up
//    to `max_redirects` times (then FailedPrecondition "http: stopped after
//    N redirects"; 0 returns the redirect response itself). 301, 302 and
//    303 become GET without a body (HEAD stays HEAD); 307 and 308 keep the
//    method and body. Authorization is dropped when the host changes.
//  - Errors keep their code (Unavailable for a refused connection,
//    DeadlineExceeded for a timeout, InvalidArgument for a bad URL or a
//    malformed response) and say which request failed:
//    `GET "http://127.0.0.1:1/": connect 127.0.0.1:1: Connection refused`.
//  - A coroutine cancelled while in a call throws `mco::Cancelled`.

#ifndef MCO_STDLIB_NET_HTTP_CLIENT_H_
#define MCO_STDLIB_NET_HTTP_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/conn.h"
#include "mco/net/http/headers.h"
#include "mco/net/http/request.h"
#include "mco/net/http/response.h"
#include "mco/net/http/url.h"
#include "mco/sync/mutex.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::tls {
class Config;
}  // namespace mco::tls

namespace mco::net::http {

// Dialer
//
// Makes a connection for `scheme` "http" or "https" (see mco/net/conn.h).
using Dialer = net::Dialer;

// default_dial()
//
// TCP for "http"; for "https", TLS over TCP (mco/crypto/tls), verifying the
// server's certificate and name with `tls` (null: the system's trusted
// roots, ALPN "http/1.1"); InvalidArgument for other schemes.
absl::StatusOr<std::unique_ptr<net::Conn>> default_dial(
    std::string_view scheme, std::string_view host_port, time::Instant deadline,
    const tls::Config* tls = nullptr);

struct ClientOptions {
  time::Duration connect_timeout = 30 * time::Second;
  time::Duration timeout;  // the whole call; zero: none
  int max_idle_per_host = 2;
  int max_redirects = 10;
  size_t max_header_bytes = 64 * 1024;  // a response head
  uint64_t max_body_bytes = 64 << 20;   // a response body
  Dialer dial;                          // null: default_dial
  // For "https" with the default dial: trusted roots, client certificate,
  // ALPN (see mco/crypto/tls/config.h). Null: the system's roots.
  std::shared_ptr<const tls::Config> tls_config;
};

class Client {
 public:
  explicit Client(ClientOptions options = {});
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

  // Client::get()
  absl::StatusOr<Response> get(std::string_view url);

  // Client::post()
  absl::StatusOr<Response> post(std::string_view url,
                                std::string_view content_type,
                                std::string body);

  // Client::send()
  //
  // Sends `req` (`req.target` is the absolute URL) and returns the final
  // response, after redirects.
  absl::StatusOr<Response> send(const Request& req);

  // Client::close_idle_connections()
  void close_idle_connections();

  // Connections in the pool now, and made (dialed) so far.
  [[nodiscard]] size_t idle_connections() const;
  [[nodiscard]] uint64_t dials() const;

 private:
  absl::StatusOr<Response> round_trip(const std::string& method, const Url& url,
                                      const Headers& headers,
                                      const std::string& body,
                                      time::Instant deadline);
  absl::StatusOr<Response> try_once(const std::string& method, const Url& url,
                                    const Headers& headers,
                                    const std::string& body,
                                    time::Instant deadline,
                                    std::unique_ptr<net::Conn> conn,
                                    bool* stale);
  std::unique_ptr<net::Conn> take_idle(const std::string& key);
  void put_idle(const std::string& key, std::unique_ptr<net::Conn> conn);

  const ClientOptions options_;
  mutable sync::Mutex mu_;
  std::map<std::string, std::vector<std::unique_ptr<net::Conn>>> idle_;
  uint64_t dials_ = 0;
};

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_CLIENT_H_
