// Copyright 2026 The mco Authors.
//
// websocket::upgrade (http_upgrade.h): WebSocket endpoints of an
// mco/net/http server, with 1 and 2 workers.

#include "mco/net/websocket/http_upgrade.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "mco/crypto/tls/config.h"
#include "mco/go.h"
#include "mco/net/http/router.h"
#include "mco/net/http/server.h"
#include "mco/net/http/tls.h"
#include "mco/net/tcp.h"
#include "mco/net/websocket/client.h"
#include "mco/time/instant.h"
#include "tests/crypto/tls/test_certs.h"
#include "tests/test_util.h"

namespace mco::net::websocket {
namespace {

using mco_test::WorkersTest;
using time::Instant;
using time::Second;

class HttpUpgradeTest : public WorkersTest {};

// Reads what the server sends until it closes.
std::string read_all(TcpStream& c) {
  std::string out;
  char buf[4096];
  c.set_read_deadline(Instant::now() + 10 * Second);
  for (;;) {
    auto n = c.read(buf, sizeof buf);
    if (!n.ok() || *n == 0) return out;
    out.append(buf, *n);
  }
}

TEST_P(HttpUpgradeTest, EchoEndpointBesideOrdinaryRoutes) {
  on_scheduler([] {
    http::Router router;
    router.get("/hello", [](http::Request&, http::ResponseWriter& w) {
      w.reply(200, "text/plain", "hello\n");
    });
    router.get("/echo", [](http::Request& req, http::ResponseWriter& w) {
      auto ws = upgrade(req, w);
      if (!ws.ok()) return;
      for (;;) {
        auto m = (*ws)->read();
        if (!m.ok()) return;
        if (!(*ws)->write(m->type, "echo: " + m->data).ok()) return;
      }
    });
    router.get("/late", [](http::Request& req, http::ResponseWriter& w) {
      ASSERT_TRUE(w.write("x").ok());
      ASSERT_TRUE(w.flush().ok());
      auto ws = upgrade(req, w);  // the head is out: too late to upgrade
      EXPECT_EQ(ws.status().code(), absl::StatusCode::kFailedPrecondition)
          << ws.status();
    });
    http::Server server(router.handler());
    auto ln = TcpListener::bind("127.0.0.1:0");
    ASSERT_TRUE(ln.ok()) << ln.status();
    const std::string addr = ln->local_address()->to_string();
    auto serving = go([&] { return server.serve(*ln); });

    auto ws = dial("ws://" + addr + "/echo");
    ASSERT_TRUE(ws.ok()) << ws.status();
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE((*ws)->write_text("m" + std::to_string(i)).ok());
      auto m = (*ws)->read();
      ASSERT_TRUE(m.ok()) << m.status();
      EXPECT_EQ(m->data, "echo: m" + std::to_string(i));
      EXPECT_EQ(m->type, MessageType::kText);
    }
    // The upgraded connection is the handler's, not the server's.
    EXPECT_EQ(server.connections(), 0u);

    // A plain GET of the endpoint is refused with a 4xx, and the rest of
    // the server still works on a keep-alive connection.
    auto plain = TcpStream::connect(addr);
    ASSERT_TRUE(plain.ok());
    ASSERT_TRUE(plain->write_all("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n").ok());
    const std::string refusal = read_all(*plain);
    EXPECT_TRUE(refusal.rfind("HTTP/1.1 400", 0) == 0 ||
                refusal.rfind("HTTP/1.1 426", 0) == 0)
        << refusal;

    auto other = TcpStream::connect(addr);
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(other
                    ->write_all("GET /late HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /hello HTTP/1.1\r\nHost: x\r\n"
                                "Connection: close\r\n\r\n")
                    .ok());
    const std::string answers = read_all(*other);
    EXPECT_NE(answers.find("hello\n"), std::string::npos) << answers;

    ASSERT_TRUE((*ws)->close().ok());
    ASSERT_TRUE(server.shutdown(Instant::now() + 5 * Second).ok());
    EXPECT_TRUE(serving.join().ok());
  });
}

// wss: the HTTP server speaks TLS (tls_wrap_conn), the client dials
// "wss://" trusting the test CA.
TEST_P(HttpUpgradeTest, WssThroughTheHttpsServer) {
  on_scheduler([] {
    http::Router router;
    router.get("/echo", [](http::Request& req, http::ResponseWriter& w) {
      auto ws = upgrade(req, w);
      if (!ws.ok()) return;
      for (auto m = (*ws)->read(); m.ok(); m = (*ws)->read()) {
        if (!(*ws)->write(m->type, m->data).ok()) return;
      }
    });
    const mco_test::TestPki& pki = mco_test::test_pki();
    auto server_config = std::make_shared<tls::Config>();
    ASSERT_TRUE(
        server_config->load_certificate_pem(pki.server.cert, pki.server.key)
            .ok());
    http::ServerOptions options;
    options.wrap_conn = http::tls_wrap_conn(server_config);
    http::Server server(router.handler(), options);
    auto ln = TcpListener::bind("127.0.0.1:0");
    ASSERT_TRUE(ln.ok()) << ln.status();
    const std::string addr = ln->local_address()->to_string();
    auto serving = go([&] { return server.serve(*ln); });

    // Without the test CA the certificate is refused.
    auto untrusted = dial("wss://" + addr + "/echo");
    ASSERT_FALSE(untrusted.ok());
    EXPECT_NE(untrusted.status().message().find("certificate verify failed"),
              std::string::npos)
        << untrusted.status();

    DialOptions o;
    auto trusting = std::make_shared<tls::Config>();
    ASSERT_TRUE(trusting->add_root_ca_pem(pki.ca.cert).ok());
    o.tls_config = trusting;
    auto ws = dial("wss://" + addr + "/echo", o);
    ASSERT_TRUE(ws.ok()) << ws.status();
    const std::string big(300000, 'z');
    ASSERT_TRUE((*ws)->write_binary(big).ok());
    auto m = (*ws)->read();
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->data, big);
    EXPECT_EQ(m->type, MessageType::kBinary);
    ASSERT_TRUE((*ws)->close().ok());
    ASSERT_TRUE(server.shutdown(Instant::now() + 5 * Second).ok());
    EXPECT_TRUE(serving.join().ok());
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, HttpUpgradeTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace mco::net::websocket
