// Copyright 2026 The mco Authors.
//
// Tests of mco/net/http/client.h, against our server (pool reuse counted
// by accepted connections, concurrent use, redirects, timeouts, a stale
// pooled connection, the dial hook) and against a real peer, Python's
// http.server, started from the test.

#include "mco/net/http/client.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "mco/cancel.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/net/http/router.h"
#include "mco/offload/offload.h"
#include "mco/this_coroutine.h"
#include "mco/time/instant.h"
#include "tests/net/http/http_test_util.h"
#include "tests/test_util.h"

namespace {

using http_test::TestServer;
using mco::net::http::Client;
using mco::net::http::ClientOptions;
using mco::net::http::Request;
using mco::net::http::ResponseWriter;
using mco::time::Instant;
using mco::time::Millisecond;
using mco::time::Second;

class ClientTest : public mco_test::WorkersTest {};

void describe(Request& req, ResponseWriter& w) {
  w.reply(200, "text/plain",
          req.method + " " + req.target + " " +
              std::string(req.header("content-type")) + " " + req.body);
}

TEST_P(ClientTest, GetPostAndSend) {
  on_scheduler([] {
    TestServer s(describe);
    Client c;
    auto r = c.get(s.url("/a?b=c"));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->reason, "OK");
    EXPECT_EQ(r->body, "GET /a?b=c  ");
    EXPECT_EQ(r->header("Content-Type"), "text/plain");
    EXPECT_EQ(r->url, s.url("/a?b=c"));
    r = c.post(s.url("/p"), "application/json", "{}");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->body, "POST /p application/json {}");
    Request req = Request::make("DELETE", s.url("/d"));
    req.headers.set("Content-Type", "x/y");
    r = c.send(req);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->body, "DELETE /d x/y ");
    req = Request::make("HEAD", s.url("/h"));
    r = c.send(req);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->body, "");
    EXPECT_EQ(r->header("content-length"), "9");
    EXPECT_EQ(s.server().accepted(), 1u);  // all on one connection
  });
}

TEST_P(ClientTest, ChunkedAndUntilCloseBodies) {
  on_scheduler([] {
    TestServer s([](Request& req, ResponseWriter& w) {
      if (req.path == "/chunked") {
        for (int i = 0; i < 5; ++i) {
          EXPECT_TRUE(
              w.write(std::string(10000, static_cast<char>('0' + i))).ok());
          EXPECT_TRUE(w.flush().ok());
        }
      } else {
        w.headers().set("Connection", "close");
        w.reply(404, "text/plain", "gone");
      }
    });
    Client c;
    auto r = c.get(s.url("/chunked"));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->header("transfer-encoding"), "chunked");
    ASSERT_EQ(r->body.size(), 50000u);
    EXPECT_EQ(r->body[49999], '4');
    EXPECT_EQ(c.idle_connections(), 1u);
    r = c.get(s.url("/other"));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(r->body, "gone");
    EXPECT_EQ(c.idle_connections(), 0u);  // "Connection: close": not pooled
  });
}

TEST_P(ClientTest, PoolIsSharedAcrossCoroutinesAndBounded) {
  on_scheduler([] {
    TestServer s(describe);
    ClientOptions o;
    o.max_idle_per_host = 3;
    Client c(o);
    for (int round = 0; round < 3; ++round) {
      std::vector<mco::JoinHandle<bool>> hs;
      for (int i = 0; i < 3; ++i) {
        hs.push_back(mco::go([&] {
          auto r = c.get(s.url("/x"));
          return r.ok() && r->status == 200;
        }));
      }
      for (auto& h : hs) EXPECT_TRUE(h.join());
    }
    // Sequential rounds of 3 reuse at most 3 connections... and at least
    // one was reused: far fewer than 9 accepted.
    EXPECT_LE(s.server().accepted(), 6u);
    EXPECT_LE(c.idle_connections(), 3u);
    EXPECT_EQ(c.dials(), s.server().accepted());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(c.get(s.url("/seq")).ok());
    const uint64_t before = s.server().accepted();
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(c.get(s.url("/seq")).ok());
    EXPECT_EQ(s.server().accepted(), before);  // no new connection
  });
}

TEST_P(ClientTest, FollowsRedirects) {
  on_scheduler([] {
    mco::net::http::Router router;
    router.handle("", "/r/{code}", [](Request& req, ResponseWriter& w) {
      w.headers().set("Location",
                      "/target?from=" + std::string(req.param("code")));
      w.write_header(std::stoi(std::string(req.param("code"))));
    });
    router.handle("", "/target", describe);
    router.get("/loop", [](Request&, ResponseWriter& w) {
      w.headers().set("Location", "loop");
      w.write_header(302);
    });
    TestServer s(router.handler());
    Client c;
    for (const char* code : {"301", "302", "303"}) {
      auto r = c.post(s.url(std::string("/r/") + code), "text/plain", "data");
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(r->body, std::string("GET /target?from=") + code + "  ")
          << code;
      EXPECT_EQ(r->url, s.url(std::string("/target?from=") + code));
    }
    for (const char* code : {"307", "308"}) {
      auto r = c.post(s.url(std::string("/r/") + code), "text/plain", "data");
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(r->body,
                std::string("POST /target?from=") + code + " text/plain data");
    }
    auto r = c.get(s.url("/loop"));
    EXPECT_TRUE(absl::IsFailedPrecondition(r.status())) << r.status();
    EXPECT_EQ(r.status().message(), "http: stopped after 10 redirects");
    ClientOptions o;
    o.max_redirects = 0;
    Client none(o);
    r = none.get(s.url("/loop"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 302);
  });
}

TEST_P(ClientTest, TimeoutBoundsTheWholeCall) {
  on_scheduler([] {
    mco::Chan<int> never;
    TestServer s([&](Request&, ResponseWriter&) { never.recv(); });
    ClientOptions o;
    o.timeout = 200 * Millisecond;
    Client c(o);
    const Instant start = Instant::now();
    auto r = c.get(s.url("/slow"));
    EXPECT_TRUE(absl::IsDeadlineExceeded(r.status())) << r.status();
    EXPECT_GE(start.elapsed(), 150 * Millisecond);
    EXPECT_LT(start.elapsed(), 5 * Second);
    EXPECT_EQ(r.status().message().substr(0, 5), "GET \"");
    s.stop(Instant::now()).IgnoreError();  // cancels the parked handler
  });
}

TEST_P(ClientTest, CancellationThrowsFromTheCall) {
  on_scheduler([] {
    mco::Chan<int> entered(1);
    mco::Chan<int> never;
    TestServer s([&](Request&, ResponseWriter&) {
      entered.send(1);
      never.recv();
    });
    Client c;
    auto h = mco::go([&] { return c.get(s.url("/stuck")).ok(); });
    entered.recv();  // the request is in the handler: the client waits
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    s.stop(Instant::now()).IgnoreError();
  });
}

TEST_P(ClientTest, WorksFromAPlainThread) {
  on_scheduler([] {
    TestServer s(describe);
    const std::string url = s.url("/thread");
    std::string body;
    uint64_t dials = 0;
    std::thread t([&] {
      Client c;
      for (int i = 0; i < 3; ++i) {
        auto r = c.get(url);
        if (r.ok()) body = r->body;
      }
      dials = c.dials();
    });
    mco::offload::block_on([&] { t.join(); });
    EXPECT_EQ(body, "GET /thread  ");
    EXPECT_EQ(dials, 1u);
  });
}

TEST_P(ClientTest, DialErrorsAndHttps) {
  on_scheduler([] {
    Client c;
    auto r = c.get("https://127.0.0.1:1/");  // TLS over TCP: refused
    EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
    r = c.get("http://127.0.0.1:1/");
    EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
    r = c.get("not a url");
    EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
    // The hook sees scheme and host:port.
    ClientOptions o;
    std::string seen;
    o.dial = [&](std::string_view scheme, std::string_view hp, Instant deadline)
        -> absl::StatusOr<std::unique_ptr<mco::net::Conn>> {
      seen = std::string(scheme) + " " + std::string(hp);
      EXPECT_NE(deadline, Instant());
      return absl::PermissionDeniedError("no");
    };
    Client hooked(o);
    r = hooked.get("https://example.com/x");
    EXPECT_TRUE(absl::IsPermissionDenied(r.status()));
    EXPECT_EQ(seen, "https example.com:443");
  });
}

// A server that closes each connection right after its first response,
// though it says keep-alive: the client's pooled connection goes stale.
TEST_P(ClientTest, StaleConnectionIsRetriedOnceForIdempotentRequests) {
  on_scheduler([] {
    auto ln = mco::net::TcpListener::bind("127.0.0.1:0");
    ASSERT_TRUE(ln.ok());
    const std::string addr = ln->local_address()->to_string();
    std::atomic<int> accepted{0};
    auto server = mco::go([&] {
      for (;;) {
        auto conn = ln->accept();
        if (!conn.ok()) return;
        ++accepted;
        char buf[4096];
        std::string got;
        while (got.find("\r\n\r\n") == std::string::npos) {
          auto n = conn->read(buf, sizeof buf);
          if (!n.ok() || *n == 0) break;
          got.append(buf, *n);
        }
        conn->write_all("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            .IgnoreError();
        conn->close().IgnoreError();
      }
    });
    Client c;
    auto r = c.get("http://" + addr + "/1");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(c.idle_connections(), 1u);
    r = c.get("http://" + addr + "/2");  // stale, retried on a new one
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->body, "ok");
    EXPECT_EQ(accepted.load(), 2);
    EXPECT_EQ(c.dials(), 2u);
    r = c.post("http://" + addr + "/3", "text/plain", "x");  // not retried
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(accepted.load(), 2);
    ln->close().IgnoreError();
    server.join();
  });
}

// Python's http.server, a real peer: HTTP/1.0 responses, read to close.
TEST_P(ClientTest, AgainstPythonHttpServer) {
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no python3";
  on_scheduler([] {
    const char* tmp = getenv("TEST_TMPDIR");
    const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") +
                            "/pyhttp" + std::to_string(getpid());
    const std::string content(100000, 'p');
    const std::string cmd = "mkdir -p " + dir + " && printf '" + content +
                            "' > " + dir + "/file.txt && echo $$ && exec " +
                            "python3 -u -m http.server 0 --bind 127.0.0.1 " +
                            "--directory " + dir + " 2>/dev/null";
    FILE* p = nullptr;
    int pid = 0;
    int port = 0;
    mco::offload::block_on([&] {
      p = popen(cmd.c_str(), "r");
      char line[256];
      if (fgets(line, sizeof line, p) != nullptr) pid = atoi(line);
      if (fgets(line, sizeof line, p) != nullptr) {
        const char* at = strstr(line, " port ");
        if (at != nullptr) port = atoi(at + 6);
      }
    });
    ASSERT_GT(pid, 0);
    ASSERT_GT(port, 0);
    Client c;
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    auto r = c.get(base + "/file.txt");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(r->body == content) << r->body.size();
    r = c.get(base + "/nope");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 404);
    // A directory without its slash: a 301 redirect to it, followed.
    r = c.get(base + "/..");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("file.txt"), std::string::npos);
    kill(pid, SIGTERM);
    mco::offload::block_on([&] { pclose(p); });
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, ClientTest, testing::Values(1, 2));

}  // namespace
