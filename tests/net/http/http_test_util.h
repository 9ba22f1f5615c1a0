// Copyright 2026 The mco Authors.
//
// Helpers for the mco/net/http tests: a server on a loopback port run in a
// coroutine, and a raw client that writes bytes and reads responses with
// the library's pure parsers (tested alone in parser_test, chunked_test).

#ifndef MCO_TESTS_NET_HTTP_HTTP_TEST_UTIL_H_
#define MCO_TESTS_NET_HTTP_HTTP_TEST_UTIL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/net/http/chunked.h"
#include "mco/net/http/parser.h"
#include "mco/net/http/server.h"
#include "mco/net/tcp.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace http_test {

using mco::time::Instant;
using mco::time::Millisecond;
using mco::time::Second;

// A Server serving a loopback listener in a coroutine; shut down (and
// checked to end cleanly) by `stop()` or the destructor.
class TestServer {
 public:
  explicit TestServer(mco::net::http::Handler h,
                      mco::net::http::ServerOptions options = {})
      : server_(std::move(h), std::move(options)) {
    auto ln = mco::net::TcpListener::bind("127.0.0.1:0");
    EXPECT_TRUE(ln.ok()) << ln.status();
    listener_ = std::move(*ln);
    address_ = listener_.local_address()->to_string();
    serving_ = mco::go([this] { return server_.serve(listener_); });
  }
  ~TestServer() { stop().IgnoreError(); }

  // Shuts down with `deadline`; returns shutdown's status.
  absl::Status stop(Instant deadline = Instant::now() + 5 * Second) {
    if (!serving_.joinable()) return absl::OkStatus();
    absl::Status st = server_.shutdown(deadline);
    EXPECT_TRUE(serving_.join().ok());
    return st;
  }

  [[nodiscard]] const std::string& address() const { return address_; }
  [[nodiscard]] std::string url(std::string_view path) const {
    return "http://" + address_ + std::string(path);
  }
  mco::net::http::Server& server() { return server_; }

 private:
  mco::net::http::Server server_;
  mco::net::TcpListener listener_;
  std::string address_;
  mco::JoinHandle<absl::Status> serving_;
};

struct RawResponse {
  mco::net::http::ResponseHead head;
  std::string body;
  [[nodiscard]] int status() const { return head.status; }
  [[nodiscard]] std::string_view header(std::string_view n) const {
    return head.headers.get(n);
  }
};

// A client connection speaking raw bytes.
class RawConn {
 public:
  explicit RawConn(const std::string& address) {
    auto s = mco::net::TcpStream::connect(address, 5 * Second);
    EXPECT_TRUE(s.ok()) << s.status();
    if (s.ok()) stream_ = std::move(*s);
    stream_.set_deadline(Instant::now() + 10 * Second);
  }

  bool send(std::string_view bytes) { return stream_.write_all(bytes).ok(); }

  // Reads one response to a request with `method`; nothing if the stream
  // ends or breaks first, or the response is malformed.
  std::optional<RawResponse> read(std::string_view method = "GET") {
    RawResponse r;
    size_t len = 0;
    while ((len = mco::net::http::find_head_end(buf_, 0)) == 0) {
      if (!fill()) return std::nullopt;
    }
    if (!mco::net::http::parse_response_head(buf_.substr(0, len), method,
                                             &r.head)
             .ok()) {
      return std::nullopt;
    }
    buf_.erase(0, len);
    switch (r.head.body) {
      case mco::net::http::BodyKind::kNone:
        break;
      case mco::net::http::BodyKind::kLength:
        while (buf_.size() < r.head.content_length) {
          if (!fill()) return std::nullopt;
        }
        r.body = buf_.substr(0, r.head.content_length);
        buf_.erase(0, r.head.content_length);
        break;
      case mco::net::http::BodyKind::kChunked: {
        mco::net::http::ChunkedDecoder dec;
        for (;;) {
          auto used = dec.decode(buf_, &r.body);
          if (!used.ok()) return std::nullopt;
          buf_.erase(0, *used);
          if (dec.done()) break;
          if (!fill()) return std::nullopt;
        }
        break;
      }
      case mco::net::http::BodyKind::kUntilClose:
        while (fill()) {
        }
        r.body = std::move(buf_);
        buf_.clear();
        break;
    }
    return r;
  }

  // True if the server ends the stream (FIN or reset) with nothing more.
  bool at_eof() {
    if (!buf_.empty()) return false;
    char c;
    auto n = stream_.read(&c, 1);
    return !n.ok() ? !absl::IsDeadlineExceeded(n.status()) : *n == 0;
  }

  mco::net::TcpStream& stream() { return stream_; }
  std::string& buffered() { return buf_; }

 private:
  bool fill() {
    char tmp[16384];
    auto n = stream_.read(tmp, sizeof tmp);
    if (!n.ok() || *n == 0) return false;
    buf_.append(tmp, *n);
    return true;
  }

  mco::net::TcpStream stream_;
  std::string buf_;
};

}  // namespace http_test

#endif  // MCO_TESTS_NET_HTTP_HTTP_TEST_UTIL_H_
