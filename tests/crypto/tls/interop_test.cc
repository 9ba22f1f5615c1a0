// Copyright 2026 The mco Authors.
//
// mco's TLS against real peers, started as child processes: our client
// against `openssl s_server -www` (TLS 1.3 and 1.2), `openssl s_client`
// against our server (verification, SNI, ALPN, close_notify), and `curl`
// against a tiny HTTPS responder. Needs Debian's openssl and curl
// (tools/install_deps.sh).

#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "mco/crypto/tls/config.h"
#include "mco/crypto/tls/stream.h"
#include "mco/go.h"
#include "mco/net/tcp.h"
#include "tests/crypto/tls/test_certs.h"
#include "tests/process_util.h"
#include "tests/test_util.h"

namespace mco::tls {
namespace {

using mco_test::test_pki;
using mco_test::write_test_file;
using namespace std::chrono_literals;

constexpr char kOpenssl[] = "/usr/bin/openssl";
constexpr char kCurl[] = "/usr/bin/curl";

struct Files {
  std::string ca, cert, key;
};
Files cert_files() {
  return {write_test_file("interop-ca.pem", test_pki().ca.cert),
          write_test_file("interop-server.pem", test_pki().server.cert),
          write_test_file("interop-server.key", test_pki().server.key)};
}

Config server_config(std::vector<std::string> alpn = {}) {
  Config c;
  EXPECT_TRUE(
      c.load_certificate_pem(test_pki().server.cert, test_pki().server.key)
          .ok());
  if (!alpn.empty()) {
    EXPECT_TRUE(c.set_alpn_protocols(alpn).ok());
  }
  return c;
}

Config client_config(std::vector<std::string> alpn = {}) {
  Config c;
  c.set_system_roots(false);
  EXPECT_TRUE(c.add_root_ca_pem(test_pki().ca.cert).ok());
  if (!alpn.empty()) {
    EXPECT_TRUE(c.set_alpn_protocols(alpn).ok());
  }
  return c;
}

absl::StatusOr<std::string> read_all(net::Conn& c) {
  std::string out;
  char buf[4096];
  for (;;) {
    absl::StatusOr<size_t> n = c.read(buf, sizeof buf);
    if (!n.ok()) return n.status();
    if (*n == 0) return out;
    out.append(buf, *n);
  }
}

class InteropTest : public mco_test::WorkersTest {
 protected:
  void SetUp() override {
    if (access(kOpenssl, X_OK) != 0 || access(kCurl, X_OK) != 0) {
      GTEST_SKIP() << "needs openssl and curl (tools/install_deps.sh)";
    }
  }
};

// The port `openssl s_server` printed: "ACCEPT [::]:43210" (its first line
// with -no_dhe, which also leaves out "Using default temp DH parameters").
std::optional<std::string> accept_port(mco_test::Process& p) {
  std::optional<std::string> line = p.first_line(20s);
  if (!line || !absl::StartsWith(*line, "ACCEPT")) return std::nullopt;
  return line->substr(line->rfind(':') + 1);
}

TEST_P(InteropTest, OurClientAgainstOpensslServer) {
  const Files f = cert_files();
  for (const bool tls12 : {false, true}) {
    on_scheduler([&] {
      std::vector<std::string> args = {"s_server", "-accept", "0",      "-www",
                                       "-naccept", "1",       "-no_dhe"};
      for (const std::string& a :
           {std::string("-cert"), f.cert, std::string("-key"), f.key,
            std::string("-alpn"), std::string("http/1.1")}) {
        args.push_back(a);
      }
      if (tls12) args.push_back("-tls1_2");
      mco_test::Process server(kOpenssl, args);
      std::optional<std::string> port = accept_port(server);
      ASSERT_TRUE(port.has_value()) << server.wait(5s);
      Config cfg = client_config({"h2", "http/1.1"});
      auto s = dial("localhost:" + *port, cfg, 20 * time::Second);
      ASSERT_TRUE(s.ok()) << s.status() << server.wait(5s);
      EXPECT_EQ((*s)->version(), tls12 ? Version::kTls12 : Version::kTls13);
      EXPECT_EQ((*s)->alpn_protocol(), "http/1.1");
      EXPECT_EQ((*s)->peer_certificate_subject(), "CN=localhost");
      ASSERT_TRUE((*s)->write_all("GET / HTTP/1.0\r\n\r\n").ok());
      absl::StatusOr<std::string> page = read_all(**s);
      ASSERT_TRUE(page.ok()) << page.status();
      EXPECT_TRUE(absl::StartsWith(*page, "HTTP/1.0 200 ok")) << *page;
      // The page describes the session the server saw.
      EXPECT_TRUE(absl::StrContains(*page, tls12 ? "TLSv1.2" : "TLSv1.3"))
          << *page;
      if (!tls12) {  // same names for TLS 1.3 suites in both spellings
        EXPECT_TRUE(absl::StrContains(*page, (*s)->cipher_suite())) << *page;
      }
      EXPECT_TRUE((*s)->close().ok());
      server.signal(SIGTERM);  // s_server -www may linger after -naccept 1
      (void)server.wait(10s);
    });
  }
}

TEST_P(InteropTest, OpensslClientAgainstOurServer) {
  const Files f = cert_files();
  on_scheduler([&] {
    auto ln = net::TcpListener::bind("127.0.0.1:0");
    ASSERT_TRUE(ln.ok());
    const std::string port = std::to_string(ln->local_address()->port());
    mco_test::Process client(
        kOpenssl, {"s_client", "-connect", "127.0.0.1:" + port, "-servername",
                   "localhost", "-CAfile", f.ca, "-verify_return_error",
                   "-alpn", "http/1.1", "-ign_eof"});
    Config cfg = server_config({"http/1.1"});
    ln->set_read_deadline(time::Instant::now() + 20 * time::Second);
    auto a = ln->accept();
    ASSERT_TRUE(a.ok()) << a.status();
    auto s = server(std::make_unique<net::TcpStream>(std::move(*a)), cfg);
    ASSERT_TRUE(s.ok());
    (*s)->set_deadline(time::Instant::now() + 20 * time::Second);
    ASSERT_TRUE((*s)->handshake().ok()) << (*s)->handshake();
    EXPECT_EQ((*s)->server_name(), "localhost");
    EXPECT_EQ((*s)->alpn_protocol(), "http/1.1");
    ASSERT_TRUE((*s)->write_all("hello from mco\n").ok());
    ASSERT_TRUE((*s)->close().ok());  // close_notify ends s_client
    mco_test::ProcessResult r = client.wait(20s);
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_TRUE(absl::StrContains(r.out, "hello from mco")) << r;
    EXPECT_TRUE(absl::StrContains(r.out, "Verify return code: 0 (ok)")) << r;
    EXPECT_TRUE(absl::StrContains(r.out, "ALPN protocol: http/1.1")) << r;
  });
}

TEST_P(InteropTest, CurlAgainstOurServer) {
  const Files f = cert_files();
  on_scheduler([&] {
    auto ln = net::TcpListener::bind("127.0.0.1:0");
    ASSERT_TRUE(ln.ok());
    const std::string port = std::to_string(ln->local_address()->port());
    mco_test::Process curl(
        kCurl, {"-sS", "--max-time", "20", "--cacert", f.ca, "--resolve",
                "localhost:" + port + ":127.0.0.1",
                "https://localhost:" + port + "/hello"});
    Config cfg = server_config({"http/1.1"});
    ln->set_read_deadline(time::Instant::now() + 20 * time::Second);
    auto a = ln->accept();
    ASSERT_TRUE(a.ok()) << a.status();
    auto s = server(std::make_unique<net::TcpStream>(std::move(*a)), cfg);
    ASSERT_TRUE(s.ok());
    (*s)->set_deadline(time::Instant::now() + 20 * time::Second);
    std::string head;
    char buf[1024];
    while (!absl::StrContains(head, "\r\n\r\n")) {
      auto n = (*s)->read(buf, sizeof buf);
      ASSERT_TRUE(n.ok() && *n > 0) << n.status();
      head.append(buf, *n);
    }
    EXPECT_TRUE(absl::StartsWith(head, "GET /hello HTTP/1.1\r\n")) << head;
    EXPECT_EQ((*s)->alpn_protocol(), "http/1.1");
    ASSERT_TRUE((*s)->write_all("HTTP/1.1 200 OK\r\nContent-Length: 14\r\n"
                                "Connection: close\r\n\r\nhello over tls")
                    .ok());
    ASSERT_TRUE((*s)->close().ok());
    mco_test::ProcessResult r = curl.wait(20s);
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.out, "hello over tls") << r;
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, InteropTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace mco::tls
