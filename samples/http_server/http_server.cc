// Copyright 2026 The mco Authors.
//
// A minimal HTTP/1.1 server: one coroutine per connection, a buffered
// reader, and one write per batch of responses.
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
//   GET or HEAD /    200, "Hello, World!\n" (text/plain)
//   POST /echo       200, the request body (up to 1 MiB; 413 beyond)
//   other methods    405 with an Allow header (on the two paths above)
//   any other path   404
//
// Contract:
//  - Requests are parsed from the bytes as they come (request_parser.h):
//    a request split over many reads waits for its end; several requests in
//    one read (pipelining) are answered in order, their responses written
//    together.
//  - Connections persist: HTTP/1.1 unless `Connection: close`; HTTP/1.0
//    only with `Connection: keep-alive`. A connection is closed when the
//    next request's head has not all arrived 60 s (the idle timeout) after
//    the server began to wait for it: whether the client sends nothing or
//    sends it a byte at a time (slow-loris), it holds its connection no
//    longer. A body must arrive, and a response be written, within 30 s
//    (the I/O timeout).
//  - A request body (Content-Length) is read and discarded, or echoed on
//    POST /echo. `Expect: 100-continue` gets its interim response.
//  - Malformed requests get `400 Bad Request` with `Connection: close`, and
//    the connection is closed: a bad request line, a bad header line (no
//    colon, a space before it, a folded line, a control character), a
//    request line and headers over 8 KiB in all, a bad or conflicting
//    Content-Length, an HTTP/1.1 request without exactly one Host. A body in
//    Transfer-Encoding (chunked) gets 501 and a close.
//  - Closing after a final response shuts down the sending side and reads
//    what the client still sends for a moment (a "lingering close"), so the
//    client sees the response rather than a reset.
//  - SIGINT or SIGTERM: prints `shutting down`, stops accepting, exits 0.
//
// Speed: no allocation per request once a connection is warm (the reader
// buffer, the response buffer and the echo body buffer are reused); the
// Date header is formatted once a second per worker thread.
//
// Try it: `curl -i http://127.0.0.1:8080/`, or
// `wrk -t2 -c100 -d5s http://127.0.0.1:8080/`.

#include <time.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/module.h"
#include "mco/net/tcp.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"
#include "samples/common/buffered_reader.h"
#include "samples/common/server.h"
#include "samples/http_server/request_parser.h"

namespace {

using mco::time::Duration;
using mco::time::Instant;
using mco::time::Second;
using mco_samples::http::find_head_end;
using mco_samples::http::parse_head;
using mco_samples::http::Request;

constexpr char kProgram[] = "http_server";
constexpr char kDefaultAddress[] = "127.0.0.1:8080";

constexpr size_t kMaxHeadBytes = 8 * 1024;  // request line and headers
constexpr size_t kReadBufferBytes = 16 * 1024;
constexpr size_t kMaxEchoBody = 1 << 20;
constexpr size_t kFlushBytes = 64 * 1024;  // write out pipelined answers

// How long a connection may take (see the file comment).
struct Timeouts {
  Duration idle = 60 * Second;  // for the next request's head
  Duration io = 30 * Second;    // for a body, for a write
};

constexpr std::string_view kHello = "Hello, World!\n";

// --- responses ---------------------------------------------------------------

// The value of the Date header, e.g. "Sun, 06 Nov 1994 08:49:37 GMT",
// formatted once a second per worker thread. Valid until the caller parks.
std::string_view http_date() {
  thread_local time_t cached_second = -1;
  thread_local char text[40];
  thread_local size_t length = 0;
  const time_t now = ::time(nullptr);
  if (now != cached_second) {
    struct tm tm;
    gmtime_r(&now, &tm);
    length = strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return std::string_view(text, length);
}

// What to answer.
struct Response {
  int status = 200;
  std::string_view reason = "OK";
  std::string_view body;
  std::string_view content_type = "text/plain; charset=utf-8";
  std::string_view allow;       // the Allow header, for 405
  bool head_only = false;       // HEAD: no body
  bool keep_alive = true;       // false: "Connection: close"
  bool announce_alive = false;  // HTTP/1.0 keep-alive: say so
};

void append_number(std::string* out, uint64_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out->append(digits, end);
}

// Appends `r`, head and body, to `out`.
void append_response(const Response& r, std::string* out) {
  out->append("HTTP/1.1 ");
  append_number(out, static_cast<uint64_t>(r.status));
  out->append(" ").append(r.reason).append("\r\nDate: ").append(http_date());
  out->append("\r\nContent-Type: ").append(r.content_type);
  out->append("\r\nContent-Length: ");
  append_number(out, r.body.size());
  if (!r.allow.empty()) out->append("\r\nAllow: ").append(r.allow);
  if (!r.keep_alive) {
    out->append("\r\nConnection: close");
  } else if (r.announce_alive) {
    out->append("\r\nConnection: keep-alive");
  }
  out->append("\r\n\r\n");
  if (!r.head_only) out->append(r.body);
}

Response error_response(int status, std::string_view reason,
                        std::string_view body) {
  Response r;
  r.status = status;
  r.reason = reason;
  r.body = body;
  r.keep_alive = false;
  return r;
}

// --- a connection ------------------------------------------------------------

enum class Route { kHello, kEcho, kHelloMethod, kEchoMethod, kNotFound };

Route route_of(const Request& req) {
  std::string_view path = req.target.substr(0, req.target.find('?'));
  if (path == "/") {
    return req.method == "GET" || req.method == "HEAD" ? Route::kHello
                                                       : Route::kHelloMethod;
  }
  if (path == "/echo") {
    return req.method == "POST" ? Route::kEcho : Route::kEchoMethod;
  }
  return Route::kNotFound;
}

// Serves one connection: reads requests, appends their responses to a
// buffer, and writes the buffer out before waiting for more bytes.
class HttpConnection {
 public:
  HttpConnection(mco::net::TcpStream conn, const Timeouts& timeouts)
      : conn_(std::move(conn)),
        in_(conn_, kReadBufferBytes),
        timeouts_(timeouts) {
    out_.reserve(4096);
  }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void serve() {
    for (;;) {
      Request req;
      size_t head_len = 0;
      const Head head = read_head(&req, &head_len);
      if (head == Head::kEnd) return;
      if (head == Head::kBad) {
        close_with(error_response(400, "Bad Request", "400 Bad Request\n"));
        return;
      }
      if (!answer(req, head_len)) return;
      if (out_.size() >= kFlushBytes && !flush()) return;
    }
  }

 private:
  enum class Head { kOk, kEnd, kBad };

  // Waits for the next request's head and parses it; `*len` is its size
  // in the reader's buffer. kEnd: the client went (or idled) away.
  Head read_head(Request* req, size_t* len) {
    conn_.set_read_deadline(Instant::now() + timeouts_.idle);
    size_t scanned = 0;
    for (;;) {
      skip_blank_lines();
      const std::string_view data = in_.buffered();
      *len = find_head_end(data, scanned);
      if (*len > kMaxHeadBytes) return Head::kBad;
      if (*len > 0) {
        return parse_head(data.substr(0, *len), req) ? Head::kOk : Head::kBad;
      }
      if (data.size() > kMaxHeadBytes) return Head::kBad;
      scanned = data.size() >= 2 ? data.size() - 2 : 0;
      if (!flush()) return Head::kEnd;  // answer what came before first
      absl::StatusOr<size_t> n = in_.fill();
      if (!n.ok() || *n == 0) return Head::kEnd;
    }
  }

  // Empty lines before a request line are ignored (RFC 9112, 2.2).
  void skip_blank_lines() {
    for (;;) {
      const std::string_view data = in_.buffered();
      if (data.substr(0, 1) == "\n") {
        in_.consume(1);
      } else if (data.substr(0, 2) == "\r\n") {
        in_.consume(2);
      } else {
        return;
      }
    }
  }

  // Consumes the head, reads the body and appends the response. False if
  // the connection is to be closed (after the response is written).
  bool answer(const Request& req, size_t head_len) {
    if (req.transfer_encoding) {
      close_with(error_response(501, "Not Implemented",
                                "501 Transfer-Encoding not implemented\n"));
      return false;
    }
    Response r;
    r.keep_alive = req.minor >= 1 ? !req.close : req.keep_alive && !req.close;
    r.announce_alive = req.minor == 0 && r.keep_alive;
    r.head_only = req.method == "HEAD";
    const Route route = route_of(req);  // before the views go stale
    const bool expect_continue = req.expect_continue && req.minor >= 1;
    in_.consume(head_len);
    const uint64_t length = req.has_length ? req.length : 0;
    if (route == Route::kEcho && length > kMaxEchoBody) {
      close_with(
          error_response(413, "Content Too Large", "413 Content Too Large\n"));
      return false;
    }
    body_.clear();
    if (length > 0 &&
        !read_body(route == Route::kEcho, length, expect_continue)) {
      return false;
    }
    fill_response(route, &r);
    append_response(r, &out_);
    if (!r.keep_alive) close_with_pending();
    return r.keep_alive;
  }

  void fill_response(Route route, Response* r) {
    switch (route) {
      case Route::kHello:
        r->body = kHello;
        break;
      case Route::kEcho:
        r->body = body_;
        r->content_type = "application/octet-stream";
        break;
      case Route::kHelloMethod:
      case Route::kEchoMethod:
        r->status = 405;
        r->reason = "Method Not Allowed";
        r->body = "405 method not allowed\n";
        r->allow = route == Route::kHelloMethod ? "GET, HEAD" : "POST";
        break;
      case Route::kNotFound:
        r->status = 404;
        r->reason = "Not Found";
        r->body = "404 page not found\n";
        break;
    }
  }

  // Reads a body of `length` bytes into body_ (`keep`) or discards it.
  bool read_body(bool keep, uint64_t length, bool expect_continue) {
    if (expect_continue && in_.buffered().empty()) {
      out_.append("HTTP/1.1 100 Continue\r\n\r\n");
      if (!flush()) return false;
    }
    conn_.set_read_deadline(Instant::now() + timeouts_.io);
    if (!keep) return in_.discard(length).ok();
    body_.resize(length);
    return in_.read_into(body_.data(), length).ok();
  }

  // Writes what is pending. False if the client is gone.
  bool flush() {
    if (out_.empty()) return true;
    conn_.set_write_deadline(Instant::now() + timeouts_.io);
    const bool ok = conn_.write_all(out_).ok();
    out_.clear();
    return ok;
  }

  // Answers with `r` (which closes) and closes.
  void close_with(const Response& r) {
    append_response(r, &out_);
    close_with_pending();
  }

  // Writes what is pending, then closes gracefully (see close_gracefully).
  void close_with_pending() {
    if (flush()) mco_samples::close_gracefully(conn_);
  }

  mco::net::TcpStream conn_;
  mco_samples::BufferedReader in_;  // reads conn_
  const Timeouts timeouts_;
  std::string out_;   // responses not written yet
  std::string body_;  // the last POST /echo body
};

// Takes the `--idle-timeout=D` and `--io-timeout=D` options out of `*args`
// into `*timeouts`. False (after one line on stderr) for a bad duration.
bool timeout_options(mco::Args* args, Timeouts* timeouts) {
  mco::Args rest;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string_view arg = (*args)[i];
    Duration* target = nullptr;
    std::string_view value;
    for (auto [name, field] :
         {std::pair{std::string_view("--idle-timeout="), &timeouts->idle},
          std::pair{std::string_view("--io-timeout="), &timeouts->io}}) {
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
  Timeouts timeouts;
  std::string host_port;
  if (!timeout_options(&rest, &timeouts) ||
      !mco_samples::server_args(rest, kProgram, kDefaultAddress, &host_port)) {
    return 2;
  }
  return mco_samples::serve(host_port, kProgram,
                            [timeouts](mco::net::TcpStream conn) {
                              HttpConnection(std::move(conn), timeouts).serve();
                            });
}
