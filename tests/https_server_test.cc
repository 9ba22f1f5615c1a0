// Copyright 2026 The mco Authors.
//
// End-to-end tests of samples/https_server under mco-run, with curl as the
// client and certificates made by the test (tests/crypto/tls/test_certs.h):
// the page and the JSON endpoint over HTTPS with keep-alive, a plaintext
// client that is dropped while the server goes on, a client that does not
// trust the certificate, and bad certificate arguments.
//
// Needs curl (tools/install_deps.sh installs it). Every wait is bounded.

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/crypto/tls/test_certs.h"
#include "tests/process_util.h"
#include "tests/sample_server.h"

namespace {

using mco_test::ProcessResult;
using mco_test::run_process;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr char kMcoRun[] = "launcher/mco-run";
constexpr char kHttps[] = "samples/https_server/https_server.so";
constexpr char kCurl[] = "/usr/bin/curl";

struct Files {
  std::string ca, cert, key;
};

const Files& files() {
  static const Files f = [] {
    const mco_test::TestPki& pki = mco_test::test_pki();
    return Files{mco_test::write_test_file("https-ca.pem", pki.ca.cert),
                 mco_test::write_test_file("https-cert.pem", pki.server.cert),
                 mco_test::write_test_file("https-key.pem", pki.server.key)};
  }();
  return f;
}

// https_server under mco-run, with the test PKI's certificate.
class HttpsServer : public mco_test::SampleServer {
 public:
  HttpsServer()
      : SampleServer(kHttps,
                     {"--cert=" + files().cert, "--key=" + files().key}) {}

  // "localhost:PORT:127.0.0.1", for curl's --resolve.
  [[nodiscard]] std::string resolve() const {
    return "localhost:" + std::to_string(port()) + ":127.0.0.1";
  }

  // curl, verifying the server with the test CA as "localhost".
  ProcessResult curl(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"-sS",      "--max-time", "20",
                                     "--cacert", files().ca,   "--resolve",
                                     resolve()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_process(kCurl, args);
  }
  [[nodiscard]] std::string https_url(const std::string& path) const {
    return "https://localhost:" + std::to_string(port()) + path;
  }
};

TEST(HttpsServerTest, PageAndJsonOverHttpsWithKeepAlive) {
  HttpsServer server;
  ASSERT_TRUE(server.ok()) << server.err();
  // Two requests on one connection: curl says it reused it.
  ProcessResult r = server.curl({"-v", server.https_url("/"),
                                 server.https_url("/api/echo?msg=hi%20there")});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "Hello, World!\n{\"msg\":\"hi there\"}\n");
  EXPECT_THAT(r.err, HasSubstr("SSL connection using TLSv1.3"));
  EXPECT_THAT(r.err, HasSubstr("ALPN: server accepted http/1.1"));
  EXPECT_THAT(r.err, HasSubstr("Re-using existing connection"));

  ProcessResult t = server.curl({server.https_url("/api/time")});
  ASSERT_EQ(t.exit_code, 0) << t;
  EXPECT_THAT(
      t.out,
      MatchesRegex("\\{\"unix_ms\":[0-9]+,\"rfc3339\":\"[0-9T:-]+Z\"\\}\n"));
  server.expect_graceful_stop(SIGTERM, /*only_two_lines=*/false);
}

TEST(HttpsServerTest, PlaintextAndUntrustingClientsAreDroppedAlone) {
  HttpsServer server;
  ASSERT_TRUE(server.ok()) << server.err();
  // Plain HTTP to the TLS port: the handshake fails, that connection is
  // dropped (curl gets no HTTP answer).
  ProcessResult plain =
      run_process(kCurl, {"-sS", "--max-time", "20", server.url("/")});
  EXPECT_NE(plain.exit_code, 0) << plain;
  // A client without the test CA refuses the certificate.
  ProcessResult untrusting =
      run_process(kCurl, {"-sS", "--max-time", "20", "--resolve",
                          server.resolve(), server.https_url("/")});
  EXPECT_EQ(untrusting.exit_code, 60) << untrusting;  // peer cert not trusted
  // The server goes on serving.
  ProcessResult good = server.curl({server.https_url("/")});
  EXPECT_EQ(good.exit_code, 0) << good;
  EXPECT_EQ(good.out, "Hello, World!\n");
  server.expect_graceful_stop(SIGTERM, /*only_two_lines=*/false);
}

TEST(HttpsServerTest, BadCertificateArgumentsAreOneClearError) {
  const ProcessResult missing =
      run_process(kMcoRun, {kHttps, "--", "--cert=/nonexistent.pem",
                            "--key=" + files().key, "127.0.0.1:0"});
  EXPECT_EQ(missing.exit_code, 2) << missing;
  EXPECT_THAT(missing.err, HasSubstr("https_server: tls:")) << missing;
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent.pem")) << missing;

  // The key does not belong to the certificate.
  const std::string other_key = mco_test::write_test_file(
      "https-other-key.pem", mco_test::test_pki().client.key);
  const ProcessResult mismatch =
      run_process(kMcoRun, {kHttps, "--", "--cert=" + files().cert,
                            "--key=" + other_key, "127.0.0.1:0"});
  EXPECT_EQ(mismatch.exit_code, 2) << mismatch;
  EXPECT_THAT(mismatch.err, HasSubstr("https_server: tls:")) << mismatch;

  const ProcessResult none =
      run_process(kMcoRun, {kHttps, "--", "127.0.0.1:0"});
  EXPECT_EQ(none.exit_code, 2) << none;
  EXPECT_THAT(none.err, HasSubstr("usage")) << none;
}

}  // namespace
