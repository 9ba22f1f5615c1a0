// Copyright 2026 The mco Authors.
//
// End-to-end tests of mco/net/http/server.h (and response_writer.h) over
// loopback, with 1 and 2 workers: requests and their fields, keep-alive
// and close, pipelining, chunked bodies both ways, HEAD, 100-continue, the
// limits and their status codes, timeouts, a throwing handler, hijacking,
// wrap_conn, graceful shutdown, and curl as a real client.

#include "mco/net/http/server.h"

#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/net/http/response_writer.h"
#include "mco/offload/offload.h"
#include "mco/time/instant.h"
#include "tests/net/http/http_test_util.h"
#include "tests/test_util.h"

namespace {

using http_test::RawConn;
using http_test::RawResponse;
using http_test::TestServer;
using mco::net::http::Request;
using mco::net::http::ResponseWriter;
using mco::net::http::ServerOptions;
using mco::time::Instant;
using mco::time::Millisecond;
using mco::time::Second;

class ServerTest : public mco_test::WorkersTest {};

// Answers with what it got: "METHOD path q=<query a> h=<X-H> body=<body>".
void describe(Request& req, ResponseWriter& w) {
  w.reply(200, "text/plain",
          req.method + " " + req.path + " q=" + std::string(req.query("a")) +
              " h=" + std::string(req.header("x-h")) + " body=" + req.body);
}

TEST_P(ServerTest, RequestFieldsReachTheHandler) {
  on_scheduler([] {
    std::string remote;
    TestServer s([&](Request& req, ResponseWriter& w) {
      remote = req.remote_address;
      EXPECT_EQ(req.raw_query, "a=x%20y&b=2&a=3");
      EXPECT_EQ(req.query_values("a").size(), 2u);
      EXPECT_EQ(req.query("b"), "2");
      EXPECT_EQ(req.minor, 1);
      describe(req, w);
    });
    RawConn c(s.address());
    ASSERT_TRUE(c.send(
        "POST /p%2Fq/r?a=x%20y&b=2&a=3 HTTP/1.1\r\nHost: t\r\nx-H: hv\r\n"
        "Content-Length: 4\r\n\r\nbody"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status(), 200);
    EXPECT_EQ(r->body, "POST /p/q/r q=x y h=hv body=body");
    EXPECT_EQ(r->header("content-length"), "32");
    EXPECT_EQ(r->header("content-type"), "text/plain");
    EXPECT_FALSE(r->header("date").empty());
    EXPECT_EQ(remote.rfind("127.0.0.1:", 0), 0u) << remote;
  });
}

TEST_P(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  on_scheduler([] {
    TestServer s(describe);
    RawConn c(s.address());
    std::string batch;
    for (int i = 0; i < 20; ++i) {
      batch += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }
    batch += "PUT /last HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok";
    ASSERT_TRUE(c.send(batch));
    for (int i = 0; i < 20; ++i) {
      auto r = c.read();
      ASSERT_TRUE(r) << i;
      EXPECT_EQ(r->body, "GET /" + std::to_string(i) + " q= h= body=");
    }
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "PUT /last q= h= body=ok");
    EXPECT_EQ(s.server().accepted(), 1u);
  });
}

TEST_P(ServerTest, KeepAliveAndClose) {
  on_scheduler([] {
    TestServer s(describe);
    {
      RawConn c(s.address());
      for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
        auto r = c.read();
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->head.keep_alive);
      }
      ASSERT_TRUE(
          c.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
      auto r = c.read();
      ASSERT_TRUE(r);
      EXPECT_EQ(r->header("connection"), "close");
      EXPECT_TRUE(c.at_eof());
    }
    {
      RawConn c(s.address());  // HTTP/1.0: close by default
      ASSERT_TRUE(c.send("GET / HTTP/1.0\r\n\r\n"));
      auto r = c.read();
      ASSERT_TRUE(r);
      EXPECT_EQ(r->header("connection"), "close");
      EXPECT_TRUE(c.at_eof());
    }
    {
      RawConn c(s.address());  // HTTP/1.0 keep-alive
      for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        auto r = c.read();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header("connection"), "keep-alive");
      }
    }
    EXPECT_EQ(s.server().accepted(), 3u);
  });
}

TEST_P(ServerTest, ChunkedRequestBody) {
  on_scheduler([] {
    TestServer s(describe);
    RawConn c(s.address());
    ASSERT_TRUE(c.send(
        "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3\r\nabc\r\n10;ext\r\n0123456789abcdef\r\n0\r\nX-T: 1\r\n\r\n"
        "GET /after HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "POST /c q= h= body=abc0123456789abcdef");
    r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "GET /after q= h= body=");
    // A bad chunk size: 400 and a close.
    RawConn bad(s.address());
    ASSERT_TRUE(bad.send(
        "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        "zz\r\n"));
    r = bad.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status(), 400);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(bad.at_eof());
  });
}

TEST_P(ServerTest, StreamedResponsesAreChunked) {
  on_scheduler([] {
    TestServer s([](Request& req, ResponseWriter& w) {
      if (req.path == "/flush") {
        EXPECT_TRUE(w.write("one ").ok());
        EXPECT_TRUE(w.flush().ok());
        EXPECT_TRUE(w.committed());
        EXPECT_TRUE(w.write("two").ok());
      } else if (req.path == "/big") {
        for (int i = 0; i < 100; ++i) {
          EXPECT_TRUE(
              w.write(std::string(1000, static_cast<char>('a' + i % 26))).ok());
        }
      } else if (req.path == "/declared") {
        w.headers().set("Content-Length", "6");
        EXPECT_TRUE(w.flush().ok());
        EXPECT_TRUE(w.write("abc").ok());
        EXPECT_TRUE(w.write("def").ok());
        EXPECT_FALSE(w.write("g").ok());  // more than declared
      }
    });
    RawConn c(s.address());
    ASSERT_TRUE(c.send("GET /flush HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("transfer-encoding"), "chunked");
    EXPECT_EQ(r->body, "one two");
    ASSERT_TRUE(c.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n"));
    r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("transfer-encoding"), "chunked");
    ASSERT_EQ(r->body.size(), 100000u);
    EXPECT_EQ(r->body[99999], static_cast<char>('a' + 99 % 26));
    ASSERT_TRUE(c.send("GET /declared HTTP/1.1\r\nHost: t\r\n\r\n"));
    r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("content-length"), "6");
    EXPECT_EQ(r->body, "abcdef");
    // HTTP/1.0 cannot take chunks: the body runs until the close.
    RawConn old(s.address());
    ASSERT_TRUE(
        old.send("GET /flush HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    r = old.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->head.body, mco::net::http::BodyKind::kUntilClose);
    EXPECT_EQ(r->body, "one two");
  });
}

TEST_P(ServerTest, HeadSendsNoBody) {
  on_scheduler([] {
    TestServer s(describe);
    RawConn c(s.address());
    ASSERT_TRUE(
        c.send("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n"
               "GET /y HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = c.read("HEAD");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("content-length"), "19");  // "HEAD /x q= h= body="
    r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "GET /y q= h= body=");  // right after the HEAD head
  });
}

TEST_P(ServerTest, ExpectContinue) {
  on_scheduler([] {
    ServerOptions o;
    o.max_body_bytes = 100;
    TestServer s(describe, o);
    RawConn c(s.address());
    ASSERT_TRUE(
        c.send("PUT /e HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
               "Expect: 100-continue\r\n\r\n"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status(), 100);  // before the body was sent
    ASSERT_TRUE(c.send("hello"));
    r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "PUT /e q= h= body=hello");
    // Too large: 413 at once, no 100.
    ASSERT_TRUE(
        c.send("PUT /e HTTP/1.1\r\nHost: t\r\nContent-Length: 101\r\n"
               "Expect: 100-continue\r\n\r\n"));
    r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status(), 413);
    EXPECT_EQ(r->body, "413 Content Too Large\n");
    EXPECT_TRUE(c.at_eof());
  });
}

struct LimitCase {
  std::string request;
  int status;
};

TEST_P(ServerTest, LimitsAndMalformedRequestsGetTheirStatusAndAClose) {
  on_scheduler([] {
    ServerOptions o;
    o.max_header_bytes = 1024;
    o.max_body_bytes = 64;
    TestServer s(describe, o);
    const std::vector<LimitCase> cases = {
        {"GET / HTTP/1.1\r\nHost: t\r\nX: " + std::string(2000, 'a') +
             "\r\n\r\n",
         431},
        {"GET / HTTP/1.1\r\nHost: t\r\nX: " + std::string(2000, 'a'), 431},
        {"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 65\r\n\r\n", 413},
        {"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
         "41\r\n" +
             std::string(65, 'x') + "\r\n0\r\n\r\n",
         413},
        {"GET / HTTP/1.1\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nTransfer-Encoding: "
         "chunked\r\n\r\n",
         400},
        {"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n", 400},
        {"GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n", 400},
        {"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400},  // TLS hello
        {"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
    };
    // (No SCOPED_TRACE: gtest keeps it per thread, and this coroutine may
    // move between workers.)
    for (const LimitCase& lc : cases) {
      const std::string what = lc.request.substr(0, 50);
      RawConn c(s.address());
      ASSERT_TRUE(c.send(lc.request)) << what;
      auto r = c.read();
      ASSERT_TRUE(r) << what;
      EXPECT_EQ(r->status(), lc.status) << what;
      EXPECT_EQ(r->header("connection"), "close") << what;
      EXPECT_TRUE(c.at_eof()) << what;
    }
    // Still serving.
    RawConn c(s.address());
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status(), 200);
  });
}

TEST_P(ServerTest, IdleAndReadTimeoutsCloseTheConnection) {
  on_scheduler([] {
    ServerOptions o;
    o.idle_timeout = 200 * Millisecond;
    o.read_timeout = 200 * Millisecond;
    TestServer s(describe, o);
    {
      RawConn c(s.address());  // silent
      const Instant start = Instant::now();
      EXPECT_TRUE(c.at_eof());
      EXPECT_GE(start.elapsed(), 150 * Millisecond);
      EXPECT_LT(start.elapsed(), 5 * Second);
    }
    {
      RawConn c(s.address());  // answered, then idle
      ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
      ASSERT_TRUE(c.read());
      const Instant start = Instant::now();
      EXPECT_TRUE(c.at_eof());
      EXPECT_GE(start.elapsed(), 150 * Millisecond);
    }
    {
      RawConn c(s.address());  // a body that never comes
      ASSERT_TRUE(
          c.send("PUT / HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n\r\nab"));
      const Instant start = Instant::now();
      EXPECT_TRUE(c.at_eof());
      EXPECT_GE(start.elapsed(), 150 * Millisecond);
      EXPECT_LT(start.elapsed(), 5 * Second);
    }
    // Nothing was left open: shutdown needs no force.
    EXPECT_TRUE(s.stop(Instant::now() + 2 * Second).ok());
  });
}

TEST_P(ServerTest, AThrowingHandlerGets500AndTheServerGoesOn) {
  on_scheduler([] {
    TestServer s([](Request& req, ResponseWriter& w) {
      if (req.path == "/throw") {
        EXPECT_TRUE(w.write("partial").ok());  // buffered, then dropped
        throw std::runtime_error("boom");
      }
      if (req.path == "/throw-late") {
        EXPECT_TRUE(w.flush().ok());
        throw 42;
      }
      w.reply(200, "text/plain", "fine");
    });
    RawConn c(s.address());
    ASSERT_TRUE(
        c.send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: "
               "t\r\n\r\n"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status(), 500);
    EXPECT_EQ(r->body, "500 Internal Server Error\n");
    r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "fine");
    // Once the head is out, the connection is cut.
    RawConn late(s.address());
    ASSERT_TRUE(late.send("GET /throw-late HTTP/1.1\r\nHost: t\r\n\r\n"));
    r = late.read();
    EXPECT_FALSE(r && r->body.size() > 0);
    RawConn after(s.address());
    ASSERT_TRUE(after.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
    r = after.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "fine");
  });
}

TEST_P(ServerTest, HijackHandsTheConnectionOver) {
  on_scheduler([] {
    TestServer* server = nullptr;
    TestServer s([&](Request& req, ResponseWriter& w) {
      if (req.path != "/upgrade") return w.reply(200, "text/plain", "plain");
      auto h = w.hijack();
      ASSERT_TRUE(h.ok()) << h.status();
      EXPECT_FALSE(w.hijack().ok());
      EXPECT_FALSE(w.write("x").ok());
      EXPECT_EQ(server->server().connections(), 0u);  // forgotten
      // Echo what came after the request, buffered or not, in upper case.
      std::string got = h->buffered;
      while (got.size() < 6) {
        char buf[16];
        auto n = h->conn->read(buf, sizeof buf);
        ASSERT_TRUE(n.ok() && *n > 0);
        got.append(buf, *n);
      }
      for (char& ch : got) ch = static_cast<char>(std::toupper(ch));
      EXPECT_TRUE(h->conn->write_all("hijacked:" + got).ok());
      h->conn->close().IgnoreError();
    });
    server = &s;
    RawConn c(s.address());
    // A pipelined request before: its response is written before the hijack.
    ASSERT_TRUE(
        c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"
               "GET /upgrade HTTP/1.1\r\nHost: t\r\n\r\nabc"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "plain");
    ASSERT_TRUE(c.send("def"));
    std::string rest;
    char buf[64];
    for (;;) {
      auto n = c.stream().read(buf, sizeof buf);
      if (!n.ok() || *n == 0) break;
      rest.append(buf, *n);
    }
    EXPECT_EQ(c.buffered() + rest, "hijacked:ABCDEF");
  });
}

// A Conn that counts the bytes read through it.
class CountingConn : public mco::net::Conn {
 public:
  CountingConn(std::unique_ptr<mco::net::Conn> inner, std::atomic<int>* reads)
      : inner_(std::move(inner)), reads_(reads) {}
  absl::StatusOr<size_t> read(void* b, size_t n) override {
    ++*reads_;
    return inner_->read(b, n);
  }
  absl::StatusOr<size_t> write(const void* b, size_t n) override {
    return inner_->write(b, n);
  }
  absl::Status close_write() override { return inner_->close_write(); }
  absl::Status close() override { return inner_->close(); }
  void set_read_deadline(Instant t) override { inner_->set_read_deadline(t); }
  void set_write_deadline(Instant t) override { inner_->set_write_deadline(t); }
  absl::StatusOr<mco::net::SocketAddress> local_address() const override {
    return inner_->local_address();
  }
  absl::StatusOr<mco::net::SocketAddress> peer_address() const override {
    return inner_->peer_address();
  }

 private:
  std::unique_ptr<mco::net::Conn> inner_;
  std::atomic<int>* reads_;
};

TEST_P(ServerTest, WrapConnRunsPerConnection) {
  on_scheduler([] {
    std::atomic<int> reads{0};
    std::atomic<int> wrapped{0};
    ServerOptions o;
    o.wrap_conn = [&](std::unique_ptr<mco::net::Conn> c)
        -> absl::StatusOr<std::unique_ptr<mco::net::Conn>> {
      if (++wrapped == 1) {
        // A failed "handshake": the connection is dropped.
        char b[8];
        EXPECT_TRUE(c->read(b, 1).ok());
        return absl::PermissionDeniedError("tls: bad handshake");
      }
      return std::unique_ptr<mco::net::Conn>(
          new CountingConn(std::move(c), &reads));
    };
    TestServer s(describe, o);
    {
      RawConn c(s.address());
      ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
      EXPECT_FALSE(c.read());
    }
    RawConn c(s.address());
    ASSERT_TRUE(c.send("GET /w HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "GET /w q= h= body=");
    EXPECT_GE(reads.load(), 1);
    EXPECT_EQ(wrapped.load(), 2);
  });
}

TEST_P(ServerTest, GracefulShutdownLetsRequestsInFlightFinish) {
  on_scheduler([] {
    mco::Chan<int> entered(1);
    mco::Chan<int> release(1);
    auto s = std::make_unique<TestServer>([&](Request& req, ResponseWriter& w) {
      if (req.path == "/slow") {
        entered.send(1);
        release.recv();
      }
      w.reply(200, "text/plain", "done " + req.path);
    });
    RawConn idle(s->address());
    ASSERT_TRUE(idle.send("GET /first HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(idle.read());  // now idle, kept alive
    RawConn busy(s->address());
    ASSERT_TRUE(busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
    entered.recv();
    auto stopping =
        mco::go([&] { return s->stop(Instant::now() + 10 * Second); });
    EXPECT_TRUE(idle.at_eof());  // closed at once
    // New connections are refused (the listener is closed).
    EXPECT_FALSE(mco::net::TcpStream::connect(s->address(), 5 * Second).ok());
    EXPECT_FALSE(stopping.is_finished());
    release.send(1);
    auto r = busy.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "done /slow");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(busy.at_eof());
    EXPECT_TRUE(stopping.join().ok());
    EXPECT_EQ(s->server().connections(), 0u);
  });
}

TEST_P(ServerTest, ShutdownDeadlineCancelsWhatIsLeft) {
  on_scheduler([] {
    mco::Chan<int> entered(1);
    mco::Chan<int> never;
    std::atomic<bool> cancelled{false};
    TestServer s([&](Request&, ResponseWriter&) {
      entered.send(1);
      try {
        never.recv();
      } catch (const mco::Cancelled&) {
        cancelled = true;
        throw;
      }
    });
    RawConn c(s.address());
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
    entered.recv();
    const Instant start = Instant::now();
    const absl::Status st = s.stop(Instant::now() + 200 * Millisecond);
    EXPECT_TRUE(absl::IsDeadlineExceeded(st)) << st;
    EXPECT_GE(start.elapsed(), 150 * Millisecond);
    EXPECT_TRUE(cancelled.load());
    EXPECT_EQ(s.server().connections(), 0u);
    EXPECT_TRUE(c.at_eof());
  });
}

// curl, a real client: keep-alive across URLs, chunked upload, HEAD.
TEST_P(ServerTest, Curl) {
  if (access("/usr/bin/curl", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/curl";
  on_scheduler([] {
    TestServer s(describe);
    const std::string cmd = "/usr/bin/curl -sS --max-time 10 -H 'X-H: c' '" +
                            s.url("/a?a=1") + "' '" + s.url("/b") +
                            "' -w ' %{http_code} %{num_connects}' 2>&1";
    std::string out = mco::offload::block_on([&] {
      std::string text;
      FILE* p = popen(cmd.c_str(), "r");
      char buf[512];
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
      pclose(p);
      return text;
    });
    // Two responses over one connection (num_connects is 0 for the reused).
    EXPECT_EQ(out, "GET /a q=1 h=c body= 200 1GET /b q= h=c body= 200 0");
    const std::string up =
        "printf 'xyz' | /usr/bin/curl -sS --max-time 10 "
        "-H 'Transfer-Encoding: chunked' --data-binary @- '" +
        s.url("/up") + "' 2>&1";
    out = mco::offload::block_on([&] {
      std::string text;
      FILE* p = popen(up.c_str(), "r");
      char buf[512];
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
      pclose(p);
      return text;
    });
    EXPECT_EQ(out, "POST /up q= h= body=xyz");
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, ServerTest, testing::Values(1, 2));

}  // namespace
