// Copyright 2026 The mco Authors.
//
// tls::Config (config.h): loading certificates, keys and roots from files
// and PEM, the errors when that fails, ALPN names, and freezing on use.

#include "mco/crypto/tls/config.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "mco/crypto/tls/stream.h"
#include "mco/net/tcp.h"
#include "tests/crypto/tls/test_certs.h"
#include "tests/test_util.h"

namespace mco::tls {
namespace {

using mco_test::test_pki;
using mco_test::write_test_file;

bool contains(const absl::Status& st, absl::string_view part) {
  return absl::StrContains(st.message(), part);
}

TEST(ConfigTest, LoadsACertificateAndKeyFromFilesAndPem) {
  const std::string cert =
      write_test_file("server.pem", test_pki().server.cert);
  const std::string key = write_test_file("server.key", test_pki().server.key);
  Config from_files;
  absl::Status st = from_files.load_certificate_files(cert, key);
  EXPECT_TRUE(st.ok()) << st;
  Config from_pem;
  st = from_pem.load_certificate_pem(test_pki().server.cert,
                                     test_pki().server.key);
  EXPECT_TRUE(st.ok()) << st;
  // A chain: the leaf, then its CA.
  Config chain;
  st = chain.load_certificate_pem(test_pki().server.cert + test_pki().ca.cert,
                                  test_pki().server.key);
  EXPECT_TRUE(st.ok()) << st;
}

TEST(ConfigTest, LoadErrorsNameTheFileAndOpenSslsReason) {
  Config c;
  absl::Status st =
      c.load_certificate_files("/nonexistent/server.pem", "/nonexistent/k");
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(
      st.message(), "tls: cannot load certificate /nonexistent/server.pem: "))
      << st;
  EXPECT_TRUE(absl::EndsWith(st.message(), ": No such file or directory"))
      << st;

  const std::string garbage = write_test_file("garbage.pem", "not a PEM\n");
  st = c.load_certificate_files(garbage, garbage);
  EXPECT_TRUE(absl::StartsWith(
      st.message(), "tls: cannot load certificate " + garbage + ": "))
      << st;

  st = c.load_certificate_pem("junk", test_pki().server.key);
  EXPECT_TRUE(absl::StartsWith(st.message(), "tls: cannot load certificate: "))
      << st;
  st = c.load_certificate_pem(test_pki().server.cert, "junk");
  EXPECT_TRUE(absl::StartsWith(st.message(), "tls: cannot load private key: "))
      << st;
}

TEST(ConfigTest, AKeyThatDoesNotMatchIsRefused) {
  Config c;
  absl::Status st =
      c.load_certificate_pem(test_pki().server.cert, test_pki().client.key);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(st.message()),
            "tls: private key does not match the certificate");
  const std::string cert = write_test_file("s.pem", test_pki().server.cert);
  const std::string key = write_test_file("c.key", test_pki().client.key);
  st = c.load_certificate_files(cert, key);
  EXPECT_TRUE(contains(
      st, "tls: cannot load private key " + key + ": key values mismatch"))
      << st;
}

TEST(ConfigTest, RootCas) {
  Config c;
  EXPECT_TRUE(c.add_root_ca_pem(test_pki().ca.cert).ok());
  const std::string path = write_test_file("ca.pem", test_pki().ca.cert);
  EXPECT_TRUE(c.add_root_ca_file(path).ok());
  absl::Status st = c.add_root_ca_pem("no certificate here");
  EXPECT_TRUE(absl::StartsWith(st.message(), "tls: no CA certificate in PEM"))
      << st;
  st = c.add_root_ca_file("/nonexistent/ca.pem");
  EXPECT_TRUE(absl::StartsWith(st.message(),
                               "tls: cannot load CA file /nonexistent/ca.pem"))
      << st;
}

TEST(ConfigTest, AlpnNamesAreChecked) {
  Config c;
  EXPECT_TRUE(c.set_alpn_protocols({"h2", "http/1.1"}).ok());
  EXPECT_EQ(c.alpn_protocols(), (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_EQ(c.set_alpn_protocols({""}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.set_alpn_protocols({std::string(256, 'x')}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.alpn_protocols(), (std::vector<std::string>{"h2", "http/1.1"}));
}

TEST(ConfigTest, ClientAndServerNeedWhatTheyNeed) {
  int rc = mco::run({.workers = 1}, [] {
    auto ln = net::TcpListener::bind("127.0.0.1:0");
    auto conn = [&] {
      auto c = net::TcpStream::connect(ln->local_address()->to_string());
      return std::make_unique<net::TcpStream>(std::move(*c));
    };
    Config empty;
    auto s = server(conn(), empty);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(s.status().message()),
              "tls: server config has no certificate");
    auto c = client(conn(), empty, "");
    EXPECT_EQ(std::string(c.status().message()),
              "tls: either a server name or insecure_skip_verify must be set");
    Config named;
    named.set_server_name("localhost");
    EXPECT_TRUE(client(conn(), named).ok());
    EXPECT_EQ(named.server_name(), "localhost");
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(ConfigTest, AConfigInUseCannotChange) {
  int rc = mco::run({.workers = 1}, [] {
    auto ln = net::TcpListener::bind("127.0.0.1:0");
    auto c = net::TcpStream::connect(ln->local_address()->to_string());
    Config cfg;
    cfg.set_insecure_skip_verify(true);
    EXPECT_TRUE(cfg.insecure_skip_verify());
    auto s = client(std::make_unique<net::TcpStream>(std::move(*c)), cfg);
    EXPECT_TRUE(s.ok()) << s.status();
    EXPECT_THROW(cfg.set_server_name("x"), std::logic_error);
    EXPECT_THROW((void)cfg.add_root_ca_pem(test_pki().ca.cert),
                 std::logic_error);
    // The stream keeps the config's state alive.
    { Config gone = std::move(cfg); }
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST(ConfigTest, VersionNames) {
  EXPECT_EQ(version_name(Version::kTls12), "TLS 1.2");
  EXPECT_EQ(version_name(Version::kTls13), "TLS 1.3");
  EXPECT_EQ(version_name(Version::kUnknown), "unknown");
}

}  // namespace
}  // namespace mco::tls
