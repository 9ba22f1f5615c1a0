// Copyright 2026 The mco Authors.

#include "mco/net/http/client.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/crypto/tls/config.h"
#include "mco/crypto/tls/stream.h"
#include "mco/net/http/chunked.h"
#include "mco/net/http/parser.h"
#include "stdlib/net/http/conn_reader.h"

namespace mco::net::http {
namespace {

using time::Instant;

bool idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" ||
         method == "TRACE" || method == "PUT" || method == "DELETE";
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

// The same error, saying which request it was.
absl::Status annotate(const absl::Status& st, std::string_view method,
                      const Url& url) {
  return absl::Status(st.code(), std::string(method) + " \"" + url.to_string() +
                                     "\": " + std::string(st.message()));
}

void append_value(std::string* out, std::string_view v) {
  for (char c : v) out->push_back(c == '\r' || c == '\n' ? ' ' : c);
}

std::string request_bytes(const std::string& method, const Url& url,
                          const Headers& headers, const std::string& body) {
  std::string out;
  out.reserve(256 + body.size());
  out.append(method).append(" ").append(url.request_target());
  out.append(" HTTP/1.1\r\nHost: ");
  append_value(&out, headers.has("Host") ? std::string(headers.get("Host"))
                                         : url.host_header());
  out.append("\r\n");
  if (!headers.has("User-Agent")) out.append("User-Agent: mco-http/1\r\n");
  for (const auto& [name, value] : headers.fields()) {
    if (equal_fold(name, "Host") || equal_fold(name, "Content-Length") ||
        equal_fold(name, "Transfer-Encoding")) {
      continue;
    }
    append_value(&out, name);
    out.append(": ");
    append_value(&out, value);
    out.append("\r\n");
  }
  if (!body.empty() || method == "POST" || method == "PUT" ||
      method == "PATCH") {
    out.append("Content-Length: ").append(std::to_string(body.size()));
    out.append("\r\n");
  }
  out.append("\r\n").append(body);
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<net::Conn>> default_dial(
    std::string_view scheme, std::string_view host_port, Instant deadline,
    const tls::Config* tls) {
  if (scheme != "http" && scheme != "https") {
    return absl::InvalidArgumentError("http: unsupported scheme \"" +
                                      std::string(scheme) + "\"");
  }
  // Made once, shared by every client without a config of its own.
  static const tls::Config* const kSystemRoots = [] {
    auto* config = new tls::Config();
    config->set_alpn_protocols({"http/1.1"}).IgnoreError();
    return config;
  }();
  return tls::dial_conn(host_port, scheme == "https",
                        tls != nullptr ? *tls : *kSystemRoots, deadline);
}

Client::Client(ClientOptions options) : options_(std::move(options)) {}

Client::~Client() = default;

absl::StatusOr<Response> Client::get(std::string_view url) {
  return send(Request::make("GET", std::string(url)));
}

absl::StatusOr<Response> Client::post(std::string_view url,
                                      std::string_view content_type,
                                      std::string body) {
  Request req = Request::make("POST", std::string(url), std::move(body));
  req.headers.set("Content-Type", content_type);
  return send(req);
}

absl::StatusOr<Response> Client::send(const Request& req) {
  const Instant deadline = options_.timeout > time::Duration()
                               ? Instant::now() + options_.timeout
                               : Instant();
  absl::StatusOr<Url> parsed = Url::parse(req.target);
  if (!parsed.ok()) return parsed.status();
  if (!is_token(req.method)) {
    return absl::InvalidArgumentError("http: bad method \"" + req.method +
                                      "\"");
  }
  Url url = std::move(*parsed);
  std::string method = req.method;
  std::string body = req.body;
  Headers headers = req.headers;
  for (int redirects = 0;; ++redirects) {
    absl::StatusOr<Response> r =
        round_trip(method, url, headers, body, deadline);
    if (!r.ok()) return annotate(r.status(), method, url);
    r->url = url.to_string();
    const std::string_view location = r->header("Location");
    if (!is_redirect(r->status) || location.empty() ||
        options_.max_redirects == 0) {
      return r;
    }
    if (redirects >= options_.max_redirects) {
      return absl::FailedPreconditionError(
          "http: stopped after " + std::to_string(options_.max_redirects) +
          " redirects");
    }
    absl::StatusOr<Url> next = url.resolve(location);
    if (!next.ok()) return annotate(next.status(), method, url);
    if (r->status == 301 || r->status == 302 || r->status == 303) {
      if (method != "HEAD") method = "GET";
      body.clear();
      headers.del("Content-Type");
    }
    if (next->host != url.host || next->port != url.port) {
      headers.del("Authorization");
      headers.del("Host");
    }
    url = std::move(*next);
  }
}

absl::StatusOr<Response> Client::round_trip(const std::string& method,
                                            const Url& url,
                                            const Headers& headers,
                                            const std::string& body,
                                            Instant deadline) {
  const std::string key = url.scheme + "://" + url.host_port();
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<net::Conn> conn = attempt == 0 ? take_idle(key) : nullptr;
    const bool reused = conn != nullptr;
    if (!reused) {
      Instant dial_deadline = Instant::now() + options_.connect_timeout;
      if (deadline != Instant() && deadline < dial_deadline) {
        dial_deadline = deadline;
      }
      absl::StatusOr<std::unique_ptr<net::Conn>> c =
          options_.dial
              ? options_.dial(url.scheme, url.host_port(), dial_deadline)
              : default_dial(url.scheme, url.host_port(), dial_deadline,
                             options_.tls_config.get());
      if (!c.ok()) return c.status();
      conn = std::move(*c);
      std::lock_guard<sync::Mutex> l(mu_);
      ++dials_;
    }
    bool stale = false;
    absl::StatusOr<Response> r =
        try_once(method, url, headers, body, deadline, std::move(conn), &stale);
    if (r.ok() || !(stale && reused && idempotent(method))) return r;
  }
}

absl::StatusOr<Response> Client::try_once(
    const std::string& method, const Url& url, const Headers& headers,
    const std::string& body, Instant deadline, std::unique_ptr<net::Conn> conn,
    bool* stale) {
  conn->set_deadline(deadline);
  if (absl::Status st =
          conn->write_all(request_bytes(method, url, headers, body));
      !st.ok()) {
    *stale = true;
    return st;
  }
  internal::ConnReader in(conn.get(), options_.max_header_bytes + 1024);
  ResponseHead head;
  size_t got = 0;  // response bytes seen
  for (;;) {
    size_t scanned = 0;
    size_t len = 0;
    for (;;) {
      const std::string_view data = in.buffered();
      len = find_head_end(data, scanned);
      if (len > 0) break;
      if (data.size() > options_.max_header_bytes) {
        return absl::ResourceExhaustedError("http: response head too large");
      }
      scanned = data.size() >= 2 ? data.size() - 2 : 0;
      absl::StatusOr<size_t> n = in.fill();
      if (!n.ok() || *n == 0) {
        *stale = got == 0 && !absl::IsDeadlineExceeded(n.status());
        if (!n.ok()) return n.status();
        return absl::UnavailableError(
            got == 0 ? "http: server closed the connection before a response"
                     : "http: unexpected EOF in response head");
      }
      got += *n;
    }
    head = ResponseHead();
    if (absl::Status st =
            parse_response_head(in.buffered().substr(0, len), method, &head);
        !st.ok()) {
      return st;
    }
    in.consume(len);
    if (head.status >= 200 || head.status == 101) break;  // else interim
  }
  Response r;
  r.status = head.status;
  r.reason = std::move(head.reason);
  r.minor = head.minor;
  r.headers = std::move(head.headers);
  const uint64_t max = options_.max_body_bytes;
  const auto too_large = [] {
    return absl::ResourceExhaustedError("http: response body too large");
  };
  switch (head.body) {
    case BodyKind::kNone:
      break;
    case BodyKind::kLength: {
      if (head.content_length > max) return too_large();
      r.body.resize(head.content_length);
      if (absl::Status st = in.read_into(r.body.data(), r.body.size());
          !st.ok()) {
        return st;
      }
      break;
    }
    case BodyKind::kChunked: {
      ChunkedDecoder dec;
      for (;;) {
        absl::StatusOr<size_t> used = dec.decode(in.buffered(), &r.body);
        if (!used.ok()) return used.status();
        in.consume(*used);
        if (r.body.size() > max) return too_large();
        if (dec.done()) break;
        absl::StatusOr<size_t> n = in.fill();
        if (!n.ok()) return n.status();
        if (*n == 0) return absl::UnavailableError("http: unexpected EOF");
      }
      break;
    }
    case BodyKind::kUntilClose: {
      for (;;) {
        r.body.append(in.buffered());
        in.consume(in.buffered().size());
        if (r.body.size() > max) return too_large();
        absl::StatusOr<size_t> n = in.fill();
        if (!n.ok()) return n.status();
        if (*n == 0) break;
      }
      break;
    }
  }
  if (head.keep_alive && head.status != 101 && in.buffered().empty()) {
    conn->set_deadline(Instant());
    put_idle(url.scheme + "://" + url.host_port(), std::move(conn));
  } else {
    conn->close().IgnoreError();
  }
  return r;
}

std::unique_ptr<net::Conn> Client::take_idle(const std::string& key) {
  std::lock_guard<sync::Mutex> l(mu_);
  auto it = idle_.find(key);
  if (it == idle_.end() || it->second.empty()) return nullptr;
  std::unique_ptr<net::Conn> c = std::move(it->second.back());
  it->second.pop_back();
  return c;
}

void Client::put_idle(const std::string& key, std::unique_ptr<net::Conn> conn) {
  std::unique_ptr<net::Conn> drop;
  {
    std::lock_guard<sync::Mutex> l(mu_);
    std::vector<std::unique_ptr<net::Conn>>& pool = idle_[key];
    if (pool.size() <
        static_cast<size_t>(std::max(0, options_.max_idle_per_host))) {
      pool.push_back(std::move(conn));
      return;
    }
    drop = std::move(conn);
  }
  drop->close().IgnoreError();
}

void Client::close_idle_connections() {
  std::map<std::string, std::vector<std::unique_ptr<net::Conn>>> idle;
  {
    std::lock_guard<sync::Mutex> l(mu_);
    idle.swap(idle_);
  }
  for (auto& [key, conns] : idle) {
    for (auto& c : conns) c->close().IgnoreError();
  }
}

size_t Client::idle_connections() const {
  std::lock_guard<sync::Mutex> l(mu_);
  size_t n = 0;
  for (const auto& [key, conns] : idle_) n += conns.size();
  return n;
}

uint64_t Client::dials() const {
  std::lock_guard<sync::Mutex> l(mu_);
  return dials_;
}

}  // namespace mco::net::http
