// Copyright 2026 The mco Authors.
//
// HTTPS (tls.h, and the client's default dial for "https"): a Server with
// `tls_wrap_conn` and a Client with the test CA, with 1 and 2 workers.
// Certificates are made by the test (tests/crypto/tls/test_certs.h).

#include "mco/net/http/tls.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "mco/crypto/tls/config.h"
#include "mco/net/http/client.h"
#include "mco/net/http/router.h"
#include "mco/net/tcp.h"
#include "tests/crypto/tls/test_certs.h"
#include "tests/net/http/http_test_util.h"
#include "tests/test_util.h"

namespace {

using http_test::TestServer;
using mco::net::http::Client;
using mco::net::http::ClientOptions;
using mco::net::http::Request;
using mco::net::http::ResponseWriter;
using mco::net::http::ServerOptions;
using mco_test::WorkersTest;

std::shared_ptr<mco::tls::Config> server_config() {
  auto config = std::make_shared<mco::tls::Config>();
  const mco_test::TestPki& pki = mco_test::test_pki();
  EXPECT_TRUE(
      config->load_certificate_pem(pki.server.cert, pki.server.key).ok());
  EXPECT_TRUE(config->set_alpn_protocols({"http/1.1"}).ok());
  return config;
}

std::shared_ptr<mco::tls::Config> trusting_test_ca() {
  auto config = std::make_shared<mco::tls::Config>();
  EXPECT_TRUE(config->add_root_ca_pem(mco_test::test_pki().ca.cert).ok());
  return config;
}

// "https://localhost:PORT" for a server on 127.0.0.1:PORT (the test
// certificate names localhost and 127.0.0.1).
std::string https_url(const TestServer& s, const std::string& path) {
  return "https://" + s.address() + path;
}

class HttpsTest : public WorkersTest {};

TEST_P(HttpsTest, ClientAndServerOverTlsWithPooling) {
  on_scheduler([] {
    ServerOptions options;
    options.wrap_conn = mco::net::http::tls_wrap_conn(server_config());
    TestServer server(
        [](Request& req, ResponseWriter& w) {
          w.reply(200, "text/plain",
                  req.method + " " + req.path + " " + req.body);
        },
        options);
    ClientOptions co;
    co.tls_config = trusting_test_ca();
    Client client(co);
    auto r = client.get(https_url(server, "/a"));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "GET /a ");
    r = client.post(https_url(server, "/b"), "text/plain",
                    std::string(100000, 'x'));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->body.size(), std::string("POST /b ").size() + 100000);
    EXPECT_EQ(client.dials(), 1u);  // one TLS connection, reused
    EXPECT_EQ(server.server().accepted(), 1u);
  });
}

TEST_P(HttpsTest, UntrustedCertificateAndPlaintextClientsFailAlone) {
  on_scheduler([] {
    ServerOptions options;
    options.wrap_conn = mco::net::http::tls_wrap_conn(server_config());
    TestServer server(
        [](Request&, ResponseWriter& w) { w.reply(200, "text/plain", "ok"); },
        options);
    // The system's roots do not know the test CA.
    Client system_roots;
    auto r = system_roots.get(https_url(server, "/"));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("certificate verify failed"),
              std::string::npos)
        << r.status();
    // Plain HTTP to the TLS server: no HTTP answer, the connection drops.
    Client plain;
    r = plain.get("http://" + server.address() + "/");
    EXPECT_FALSE(r.ok()) << r->status;
    // The server still serves a good client.
    ClientOptions co;
    co.tls_config = trusting_test_ca();
    Client good(co);
    r = good.get(https_url(server, "/"));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->body, "ok");
  });
}

TEST_P(HttpsTest, HttpsToAPlaintextServerIsATlsError) {
  on_scheduler([] {
    TestServer server(
        [](Request&, ResponseWriter& w) { w.reply(200, "text/plain", "ok"); });
    ClientOptions co;
    co.tls_config = trusting_test_ca();
    co.connect_timeout = 10 * mco::time::Second;
    Client client(co);
    auto r = client.get(https_url(server, "/"));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("tls:"), std::string::npos)
        << r.status();
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, HttpsTest, ::testing::Values(1, 2));

}  // namespace
