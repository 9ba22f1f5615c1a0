// Copyright 2026 The mco Authors.
//
// tls::Stream (stream.h) over TCP loopback, with 1 and 2 workers: round
// trips small and large, a reader and a writer on one stream, many
// connections, ALPN, SNI, close_notify and truncation, deadlines, close and
// cancellation, and every handshake failure with its message.

#include "mco/crypto/tls/stream.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "mco/cancel.h"
#include "mco/crypto/tls/config.h"
#include "mco/go.h"
#include "mco/net/tcp.h"
#include "mco/time/instant.h"
#include "tests/crypto/tls/test_certs.h"
#include "tests/test_util.h"

namespace mco::tls {
namespace {

using mco_test::test_pki;
using net::TcpListener;
using net::TcpStream;
using time::Instant;
using time::Millisecond;
using time::Second;

#define ASSERT_OK(expr)                            \
  do {                                             \
    const absl::Status st_ = (expr);               \
    ASSERT_TRUE(st_.ok()) << #expr << ": " << st_; \
  } while (0)

Config server_config() {
  Config c;
  absl::Status st =
      c.load_certificate_pem(test_pki().server.cert, test_pki().server.key);
  EXPECT_TRUE(st.ok()) << st;
  return c;
}

Config client_config() {
  Config c;
  c.set_system_roots(false);
  absl::Status st = c.add_root_ca_pem(test_pki().ca.cert);
  EXPECT_TRUE(st.ok()) << st;
  return c;
}

std::string address_of(const TcpListener& ln) {
  return ln.local_address()->to_string();
}

TcpListener listen_loopback() {
  auto ln = TcpListener::bind("127.0.0.1:0");
  EXPECT_TRUE(ln.ok()) << ln.status();
  return std::move(*ln);
}

// Two connected TCP streams, as Conns.
struct TcpPair {
  std::unique_ptr<net::Conn> client, server;
};
TcpPair tcp_pair(TcpListener& ln) {
  auto c = TcpStream::connect(address_of(ln), 5 * Second);
  EXPECT_TRUE(c.ok()) << c.status();
  auto s = ln.accept();
  EXPECT_TRUE(s.ok()) << s.status();
  return {std::make_unique<TcpStream>(std::move(*c)),
          std::make_unique<TcpStream>(std::move(*s))};
}

// A client and a server stream over one TCP connection, not yet shaken.
struct TlsPair {
  std::unique_ptr<Stream> client, server;
};
TlsPair tls_pair(TcpListener& ln, const Config& client_cfg,
                 const Config& server_cfg,
                 std::string_view name = "localhost") {
  TcpPair p = tcp_pair(ln);
  auto c = client(std::move(p.client), client_cfg, name);
  EXPECT_TRUE(c.ok()) << c.status();
  auto s = server(std::move(p.server), server_cfg);
  EXPECT_TRUE(s.ok()) << s.status();
  return {std::move(*c), std::move(*s)};
}

// Both handshakes at once: {client's result, server's result}.
// Bounded, so a side left waiting fails the test instead of hanging it.
std::pair<absl::Status, absl::Status> shake(TlsPair& p) {
  p.client->set_deadline(Instant::now() + 10 * Second);
  p.server->set_deadline(Instant::now() + 10 * Second);
  auto srv = go([&] { return p.server->handshake(); });
  absl::Status c = p.client->handshake();
  absl::Status s = srv.join();
  p.client->set_deadline(Instant());
  p.server->set_deadline(Instant());
  return {c, s};
}

// Byte i of a test payload (not periodic in any power of two).
char pattern(size_t i, int seed) {
  return static_cast<char>((i * 131 + i / 251 + seed) & 0xff);
}
std::string payload(size_t n, int seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = pattern(i, seed);
  return s;
}

// Reads to the end (close_notify); the bytes, or the error.
absl::StatusOr<std::string> read_all(net::Conn& c) {
  std::string out;
  std::vector<char> buf(1 << 16);
  for (;;) {
    absl::StatusOr<size_t> n = c.read(buf.data(), buf.size());
    if (!n.ok()) return n.status();
    if (*n == 0) return out;
    out.append(buf.data(), *n);
  }
}

class StreamTest : public mco_test::WorkersTest {};

TEST_P(StreamTest, HandshakeEchoAndWhatWasNegotiated) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    TlsPair p = tls_pair(ln, ccfg, scfg);
    EXPECT_FALSE(p.client->handshake_complete());
    EXPECT_EQ(p.client->version(), Version::kUnknown);
    auto srv = go([&] {  // implicit handshake on the first read
      char buf[5];
      ASSERT_OK(p.server->read_exact(buf, 5));
      ASSERT_OK(p.server->write_all(std::string(buf, 5) + " back"));
    });
    ASSERT_OK(p.client->write_all("hello"));  // implicit handshake
    char buf[10];
    ASSERT_OK(p.client->read_exact(buf, 10));
    EXPECT_EQ(std::string(buf, 10), "hello back");
    srv.join();
    EXPECT_TRUE(p.client->is_client());
    EXPECT_FALSE(p.server->is_client());
    EXPECT_EQ(p.client->version(), Version::kTls13);
    EXPECT_EQ(p.server->version(), Version::kTls13);
    EXPECT_EQ(p.client->cipher_suite(), p.server->cipher_suite());
    EXPECT_TRUE(absl::StartsWith(p.client->cipher_suite(), "TLS_"));
    EXPECT_EQ(p.client->peer_certificate_subject(), "CN=localhost");
    EXPECT_EQ(p.server->peer_certificate_subject(), "");  // no client cert
    EXPECT_EQ(p.server->server_name(), "localhost");      // SNI
    EXPECT_EQ(p.client->alpn_protocol(), "");
    EXPECT_TRUE(p.client->local_address().ok());
    EXPECT_EQ(p.client->peer_address()->to_string(), address_of(ln));
  });
}

TEST_P(StreamTest, Tls12WhenTheClientCapsIt) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    ccfg.set_max_version(Version::kTls12);
    TlsPair p = tls_pair(ln, ccfg, scfg);
    auto [c, s] = shake(p);
    ASSERT_OK(c);
    ASSERT_OK(s);
    EXPECT_EQ(p.client->version(), Version::kTls12);
    EXPECT_EQ(p.server->version(), Version::kTls12);
    auto srv = go([&] {
      auto got = read_all(*p.server);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(*got, "over 1.2");
    });
    ASSERT_OK(p.client->write_all("over 1.2"));
    ASSERT_OK(p.client->close_write());
    srv.join();
  });
}

TEST_P(StreamTest, NoCommonVersionFailsTheHandshake) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    scfg.set_min_version(Version::kTls13);
    ccfg.set_max_version(Version::kTls12);
    TlsPair p = tls_pair(ln, ccfg, scfg);
    auto [c, s] = shake(p);
    EXPECT_EQ(c.code(), absl::StatusCode::kUnavailable) << c;
    EXPECT_TRUE(absl::StartsWith(c.message(), "tls: handshake failed: ")) << c;
    EXPECT_TRUE(absl::StrContains(s.message(), "unsupported protocol")) << s;
  });
}

// A reader and a writer on each stream at once, megabytes each way.
TEST_P(StreamTest, ConcurrentReaderAndWriterMoveMegabytesBothWays) {
  on_scheduler([] {
    const size_t kBytes = mco_test::kUnderSanitizer ? (1 << 20) : (8 << 20);
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    TlsPair p = tls_pair(ln, ccfg, scfg);
    const std::string up = payload(kBytes, 1), down = payload(kBytes, 2);
    auto writer = [](Stream* s, const std::string* data) {
      // Uneven pieces: single bytes, odd sizes, more than a record.
      size_t off = 0, step = 1;
      while (off < data->size()) {
        const size_t n = std::min(step, data->size() - off);
        absl::Status st = s->write_all(data->data() + off, n);
        if (!st.ok()) return st;
        off += n;
        step = step * 3 + 7 > 300000 ? 1 : step * 3 + 7;
      }
      return s->close_write();
    };
    auto cw = go([&] { return writer(p.client.get(), &up); });
    auto sw = go([&] { return writer(p.server.get(), &down); });
    auto sr = go([&] { return read_all(*p.server); });
    auto cr = read_all(*p.client);
    ASSERT_OK(cw.join());
    ASSERT_OK(sw.join());
    auto sr_got = sr.join();
    ASSERT_TRUE(cr.ok()) << cr.status();
    ASSERT_TRUE(sr_got.ok()) << sr_got.status();
    EXPECT_TRUE(*cr == down) << "client got " << cr->size() << " bytes";
    EXPECT_TRUE(*sr_got == up) << "server got " << sr_got->size() << " bytes";
  });
}

TEST_P(StreamTest, WriteVectoredKeepsOrderAcrossSmallAndLargePieces) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    TlsPair p = tls_pair(ln, ccfg, scfg);
    const std::string big = payload(300000, 3);
    auto srv = go([&] { return read_all(*p.server); });
    ASSERT_OK(p.client->write_vectored(
        {"GET ", "/ ", "HTTP/1.1\r\n", "", big, "tail", big, "end"}));
    ASSERT_OK(p.client->close_write());
    auto got = srv.join();
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(*got == "GET / HTTP/1.1\r\n" + big + "tail" + big + "end")
        << got->size();
  });
}

// Two writers on one stream: each write_all arrives whole, never mixed
// with the other's, and the records stay in order (no MAC failure).
TEST_P(StreamTest, TwoWritersOnOneStreamNeverInterleave) {
  on_scheduler([] {
    constexpr size_t kChunk = 100000;
    const int kChunks = mco_test::scaled(40);
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    TlsPair p = tls_pair(ln, ccfg, scfg);
    auto writer = [&](char letter) {
      const std::string chunk(kChunk, letter);
      for (int i = 0; i < kChunks; ++i) {
        absl::Status st = p.client->write_all(chunk);
        if (!st.ok()) return st;
      }
      return absl::OkStatus();
    };
    auto a = go([&] { return writer('a'); });
    auto b = go([&] { return writer('b'); });
    auto srv = go([&] { return read_all(*p.server); });
    ASSERT_OK(a.join());
    ASSERT_OK(b.join());
    ASSERT_OK(p.client->close_write());
    auto got = srv.join();
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->size(), 2 * kChunks * kChunk);
    int as = 0;
    for (size_t off = 0; off < got->size(); off += kChunk) {
      const char first = (*got)[off];
      ASSERT_TRUE(first == 'a' || first == 'b');
      as += first == 'a';
      ASSERT_EQ(got->compare(off, kChunk, std::string(kChunk, first)), 0)
          << "a chunk mixed with the other writer's at " << off;
    }
    EXPECT_EQ(as, kChunks);
  });
}

TEST_P(StreamTest, ManyConcurrentConnections) {
  on_scheduler([] {
    const int kConns = mco_test::scaled(200);
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    std::atomic<int> served{0};
    auto acceptor = go([&] {
      std::vector<JoinHandle<void>> handlers;
      for (int i = 0; i < kConns; ++i) {
        auto a = ln.accept();
        ASSERT_TRUE(a.ok()) << a.status();
        handlers.push_back(go([&, conn = std::move(*a)]() mutable {
          auto s = server(std::make_unique<TcpStream>(std::move(conn)), scfg);
          ASSERT_TRUE(s.ok());
          char buf[64];
          auto n = (*s)->read(buf, sizeof buf);
          ASSERT_TRUE(n.ok()) << n.status();
          ASSERT_OK((*s)->write_all(buf, *n));
          ASSERT_OK((*s)->close());
          served.fetch_add(1);
        }));
      }
      for (auto& h : handlers) h.join();
    });
    std::vector<JoinHandle<void>> clients;
    for (int i = 0; i < kConns; ++i) {
      clients.push_back(go([&, i] {
        auto s = dial(address_of(ln), ccfg, 30 * Second);
        ASSERT_TRUE(s.ok()) << s.status();
        const std::string msg = "client " + std::to_string(i);
        ASSERT_OK((*s)->write_all(msg));
        auto got = read_all(**s);
        ASSERT_TRUE(got.ok()) << got.status();
        EXPECT_EQ(*got, msg);
      }));
    }
    for (auto& c : clients) c.join();
    acceptor.join();
    EXPECT_EQ(served.load(), kConns);
  });
}

TEST_P(StreamTest, CloseNotifyIsEndOfStreamAndTheOtherSideGoesOn) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    TlsPair p = tls_pair(ln, ccfg, scfg);
    EXPECT_EQ(p.client->close_write().code(),
              absl::StatusCode::kFailedPrecondition);  // before handshake
    auto srv = go([&] {
      auto got = read_all(*p.server);  // until the client's close_notify
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(*got, "request");
      char b;
      EXPECT_EQ(*p.server->read(&b, 1), 0u);  // and stays at the end
      ASSERT_OK(p.server->write_all("response"));
      ASSERT_OK(p.server->close());  // sends close_notify too
    });
    ASSERT_OK(p.client->write_all("request"));
    ASSERT_OK(p.client->close_write());
    ASSERT_OK(p.client->close_write());  // a second one does nothing
    absl::Status w = p.client->write_all("more");
    EXPECT_EQ(w.code(), absl::StatusCode::kFailedPrecondition) << w;
    auto got = read_all(*p.client);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, "response");
    srv.join();
    ASSERT_OK(p.client->close());
    EXPECT_EQ(p.client->close().code(), absl::StatusCode::kFailedPrecondition);
    char b;
    EXPECT_EQ(p.client->read(&b, 1).status().code(),
              absl::StatusCode::kFailedPrecondition);
  });
}

// A peer that closes the TCP connection without close_notify may be an
// attacker cutting the data short: an error, not end of stream.
TEST_P(StreamTest, TruncationWithoutCloseNotifyIsUnexpectedEof) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    TlsPair p = tls_pair(ln, ccfg, scfg);
    auto srv = go([&] {
      ASSERT_OK(p.server->write_all("partial"));
      ASSERT_OK(p.server->underlying().close());  // no close_notify
    });
    char buf[7];
    ASSERT_OK(p.client->read_exact(buf, 7));
    EXPECT_EQ(std::string(buf, 7), "partial");
    auto n = p.client->read(buf, sizeof buf);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.status().code(), absl::StatusCode::kOutOfRange) << n.status();
    EXPECT_TRUE(absl::StrContains(n.status().message(), "tls: unexpected EOF"))
        << n.status();
    // It stays that way.
    EXPECT_EQ(p.client->read(buf, 1).status(), n.status());
    srv.join();
  });
}

TEST_P(StreamTest, AlpnPicksTheServersFirstChoiceTheClientOffers) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    ASSERT_OK(scfg.set_alpn_protocols({"h2", "http/1.1"}));
    ASSERT_OK(ccfg.set_alpn_protocols({"http/1.1", "h2"}));
    TlsPair p = tls_pair(ln, ccfg, scfg);
    auto [c, s] = shake(p);
    ASSERT_OK(c);
    ASSERT_OK(s);
    EXPECT_EQ(p.client->alpn_protocol(), "h2");
    EXPECT_EQ(p.server->alpn_protocol(), "h2");

    // A client that offers nothing gets no protocol, and connects.
    Config plain = client_config();
    TlsPair q = tls_pair(ln, plain, scfg);
    auto [c2, s2] = shake(q);
    ASSERT_OK(c2);
    ASSERT_OK(s2);
    EXPECT_EQ(q.server->alpn_protocol(), "");

    // No protocol in common: the handshake fails, as in Go.
    Config other = client_config();
    ASSERT_OK(other.set_alpn_protocols({"spdy/3"}));
    TlsPair r = tls_pair(ln, other, scfg);
    auto [c3, s3] = shake(r);
    EXPECT_FALSE(c3.ok());
    EXPECT_TRUE(absl::StrContains(c3.message(), "no application protocol"))
        << c3;
    EXPECT_FALSE(s3.ok());
  });
}

TEST_P(StreamTest, SniAndIpAddressVerification) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    {
      TlsPair p = tls_pair(ln, ccfg, scfg, "localhost");
      auto [c, s] = shake(p);
      ASSERT_OK(c);
      ASSERT_OK(s);
      EXPECT_EQ(p.server->server_name(), "localhost");
      EXPECT_EQ(p.client->server_name(), "localhost");
    }
    {  // an IP address is verified against the IP SANs and not sent as SNI
      TlsPair p = tls_pair(ln, ccfg, scfg, "127.0.0.1");
      auto [c, s] = shake(p);
      ASSERT_OK(c);
      ASSERT_OK(s);
      EXPECT_EQ(p.server->server_name(), "");
    }
    {  // dial takes the name from the address
      auto acceptor = go([&]() -> std::string {
        auto a = ln.accept();
        if (!a.ok()) return a.status().ToString();
        auto s = server(std::make_unique<TcpStream>(std::move(*a)), scfg);
        absl::Status st = (*s)->handshake();
        return st.ok() ? (*s)->server_name() : st.ToString();
      });
      const std::string port = std::to_string(ln.local_address()->port());
      auto s = dial("localhost:" + port, ccfg, 10 * Second);
      ASSERT_TRUE(s.ok()) << s.status();
      EXPECT_EQ(acceptor.join(), "localhost");
      EXPECT_EQ((*s)->server_name(), "localhost");
    }
  });
}

// Certificates that must not be accepted, each with its message.
TEST_P(StreamTest, VerificationFailuresSayWhy) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config ccfg = client_config();
    struct Case {
      const char* what;
      mco_test::Pem cert;
      std::string name;
      const char* want;
    };
    mco_test::CertSpec localhost;
    localhost.dns_names = {"localhost"};
    mco_test::CertSpec expired = localhost;
    expired.valid_from_days = -30;
    expired.valid_to_days = -1;
    const mco_test::Pem other_ca = mco_test::make_ca("another CA");
    std::vector<Case> cases = {
        {"self-signed", mco_test::make_self_signed(localhost), "localhost",
         "tls: certificate verify failed: self-signed certificate"},
        {"unknown CA", mco_test::make_cert(other_ca, localhost), "localhost",
         "tls: certificate verify failed: unable to get local issuer "
         "certificate"},
        {"expired", mco_test::make_cert(test_pki().ca, expired), "localhost",
         "tls: certificate verify failed: certificate has expired"},
        {"wrong name", test_pki().server, "example.com",
         "tls: certificate verify failed: hostname mismatch (want "
         "\"example.com\")"},
        {"wrong IP", test_pki().server, "127.0.0.2",
         "tls: certificate verify failed: IP address mismatch"},
    };
    for (const Case& k : cases) {
      Config scfg;
      ASSERT_OK(scfg.load_certificate_pem(k.cert.cert, k.cert.key));
      TlsPair p = tls_pair(ln, ccfg, scfg, k.name);
      auto [c, s] = shake(p);
      EXPECT_EQ(c.code(), absl::StatusCode::kUnauthenticated)
          << k.what << ": " << c;
      EXPECT_TRUE(absl::StartsWith(c.message(), k.want)) << k.what << ": " << c;
      // The client's alert reaches the server.
      EXPECT_FALSE(s.ok()) << k.what;
      EXPECT_TRUE(absl::StrContains(s.message(), "tls: handshake failed"))
          << k.what << ": " << s;
      // The error sticks, for reads and writes too.
      EXPECT_EQ(p.client->handshake(), c) << k.what;
      char b;
      EXPECT_EQ(p.client->read(&b, 1).status(), c) << k.what;
    }
    // Skipping verification accepts the self-signed one.
    Config insecure;
    insecure.set_insecure_skip_verify(true);
    Config scfg;
    const mco_test::Pem self = mco_test::make_self_signed(localhost);
    ASSERT_OK(scfg.load_certificate_pem(self.cert, self.key));
    TlsPair p = tls_pair(ln, insecure, scfg, "");
    auto [c, s] = shake(p);
    ASSERT_OK(c);
    ASSERT_OK(s);
  });
}

TEST_P(StreamTest, MutualTlsRequiresAndVerifiesTheClientCertificate) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config();
    ASSERT_OK(scfg.add_root_ca_pem(test_pki().ca.cert));
    scfg.set_system_roots(false);
    scfg.set_client_auth(ClientAuth::kRequireAndVerify);
    Config with_cert = client_config();
    ASSERT_OK(with_cert.load_certificate_pem(test_pki().client.cert,
                                             test_pki().client.key));
    TlsPair p = tls_pair(ln, with_cert, scfg);
    auto srv = go([&] {
      char b[2];
      absl::Status st = p.server->read_exact(b, 2);
      return st.ok() ? p.server->peer_certificate_subject() : st.ToString();
    });
    ASSERT_OK(p.client->write_all("hi"));
    EXPECT_EQ(srv.join(), "CN=mco test client");

    Config without = client_config();
    TlsPair q = tls_pair(ln, without, scfg);
    auto srv2 = go([&] { return q.server->handshake(); });
    // TLS 1.3: the client finishes first and learns of the refusal on read.
    absl::Status c = q.client->handshake();
    char b;
    if (c.ok()) c = q.client->read(&b, 1).status();
    absl::Status s = srv2.join();
    EXPECT_FALSE(c.ok());
    EXPECT_TRUE(absl::StrContains(s.message(), "certificate")) << s;
  });
}

// What a plaintext client gets from a TLS server, and the server survives.
TEST_P(StreamTest, PlaintextClientGetsAClearErrorAndTheServerGoesOn) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    auto acceptor = go([&] {
      std::vector<absl::Status> results;
      for (int i = 0; i < 2; ++i) {
        auto a = ln.accept();
        if (!a.ok()) break;
        auto s = server(std::make_unique<TcpStream>(std::move(*a)), scfg);
        absl::Status st = (*s)->handshake();
        if (st.ok()) st = (*s)->write_all("tls ok");
        results.push_back(st);
        (*s)->close().IgnoreError();
      }
      return results;
    });
    auto plain = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(plain.ok());
    ASSERT_OK(plain->write_all("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto good = dial(address_of(ln), ccfg, 10 * Second);
    ASSERT_TRUE(good.ok()) << good.status();
    char buf[6];
    ASSERT_OK((*good)->read_exact(buf, 6));
    EXPECT_EQ(std::string(buf, 6), "tls ok");
    std::vector<absl::Status> results = acceptor.join();
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(std::string(results[0].message()),
              "tls: first record does not look like a TLS handshake "
              "(starts with \"GET / HT\")");
    EXPECT_TRUE(results[1].ok()) << results[1];
  });
}

TEST_P(StreamTest, TlsClientToAPlaintextServer) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config ccfg = client_config();
    // One that answers in plaintext, one that reads and hangs up.
    auto srv = go([&] {
      auto a = ln.accept();
      ASSERT_TRUE(a.ok());
      char buf[512];
      (void)a->read(buf, sizeof buf);
      ASSERT_OK(a->write_all("HTTP/1.1 400 Bad Request\r\n\r\n"));
      auto b = ln.accept();
      ASSERT_TRUE(b.ok());
      (void)b->read(buf, sizeof buf);  // part of the ClientHello
      ASSERT_OK(b->close());
    });
    auto s = dial(address_of(ln), ccfg, 10 * Second);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(std::string(s.status().message()),
              "tls: first record does not look like a TLS handshake "
              "(starts with \"HTTP/1.1\")");
    auto t = dial(address_of(ln), ccfg, 10 * Second);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(std::string(t.status().message()),
              "tls: handshake failed: connection closed by the peer");
    srv.join();
  });
}

// Either side hanging up in the middle of the handshake, and a corrupt
// ClientHello: clear errors, no crash.
TEST_P(StreamTest, PeerClosingMidHandshake) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    // The client side: the "server" reads the ClientHello and hangs up.
    TcpPair p = tcp_pair(ln);
    auto cl = client(std::move(p.client), ccfg, "localhost");
    ASSERT_TRUE(cl.ok());
    auto shaker = go([&] { return (*cl)->handshake(); });
    std::string hello(4096, '\0');
    auto n = p.server->read(hello.data(), hello.size());
    ASSERT_TRUE(n.ok()) << n.status();
    hello.resize(*n);
    ASSERT_OK(p.server->close());
    const absl::Status c = shaker.join();
    EXPECT_EQ(c.code(), absl::StatusCode::kUnavailable) << c;
    EXPECT_EQ(std::string(c.message()),
              "tls: handshake failed: connection closed by the peer");
    ASSERT_GT(hello.size(), 50u);
    EXPECT_EQ(hello[0], 22);  // a handshake record

    // The server side: half of that ClientHello, then the end.
    TcpPair q = tcp_pair(ln);
    auto sv = server(std::move(q.server), scfg);
    ASSERT_TRUE(sv.ok());
    ASSERT_OK(q.client->write_all(hello.substr(0, hello.size() / 2)));
    ASSERT_OK(q.client->close());
    const absl::Status s = (*sv)->handshake();
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
    EXPECT_EQ(std::string(s.message()),
              "tls: handshake failed: connection closed by the peer");

    // A ClientHello with a good header and a corrupt body.
    TcpPair r = tcp_pair(ln);
    auto sv2 = server(std::move(r.server), scfg);
    ASSERT_TRUE(sv2.ok());
    std::string bad = hello;
    for (size_t i = 9; i < bad.size(); ++i) bad[i] ^= 0x5a;
    ASSERT_OK(r.client->write_all(bad));
    const absl::Status s2 = (*sv2)->handshake();
    EXPECT_EQ(s2.code(), absl::StatusCode::kUnavailable) << s2;
    EXPECT_TRUE(absl::StartsWith(s2.message(), "tls: handshake failed: "))
        << s2;
  });
}

TEST_P(StreamTest, ReadDeadlineThenRetry) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    TlsPair p = tls_pair(ln, ccfg, scfg);
    auto [c, s] = shake(p);
    ASSERT_OK(c);
    ASSERT_OK(s);
    p.client->set_read_deadline(Instant::now() + 50 * Millisecond);
    const Instant start = Instant::now();
    char buf[4];
    auto n = p.client->read(buf, sizeof buf);
    EXPECT_EQ(n.status().code(), absl::StatusCode::kDeadlineExceeded)
        << n.status();
    EXPECT_GE(Instant::now() - start, 50 * Millisecond);
    // The stream is still good for reading once the deadline is cleared.
    p.client->set_read_deadline(Instant());
    ASSERT_OK(p.server->write_all("late"));
    ASSERT_OK(p.client->read_exact(buf, 4));
    EXPECT_EQ(std::string(buf, 4), "late");
  });
}

// A writer stuck on a peer that does not read: the write deadline ends it,
// and since half a record may be out, later writes fail the same way; a
// cancelled writer leaves the write side broken too. Reads still work.
TEST_P(StreamTest, WriteDeadlineAndCancelledWriteBreakTheWriteSide) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    const std::string chunk(1 << 20, 'w');
    for (const bool cancel : {false, true}) {
      TlsPair p = tls_pair(ln, ccfg, scfg);
      auto [c, s] = shake(p);
      ASSERT_OK(c);
      ASSERT_OK(s);
      absl::Status first;
      if (!cancel) {
        p.client->set_write_deadline(Instant::now() + 100 * Millisecond);
        for (;;) {  // the peer never reads: the buffers fill, then time out
          first = p.client->write_all(chunk);
          if (!first.ok()) break;
        }
        EXPECT_EQ(first.code(), absl::StatusCode::kDeadlineExceeded) << first;
        p.client->set_write_deadline(Instant());
      } else {
        mco_test::Event writing;
        auto writer = go([&] {
          writing.set();
          for (;;) (void)p.client->write_all(chunk);
        });
        writing.wait();
        writer.cancel();
        EXPECT_THROW(writer.join(), Cancelled);
        first = absl::AbortedError("tls: a write was interrupted");
      }
      absl::Status again = p.client->write_all("x");
      EXPECT_EQ(again.code(), first.code()) << again;
      if (cancel) {
        EXPECT_TRUE(
            absl::StartsWith(again.message(), "tls: a write was interrupted"))
            << again;
      }
      ASSERT_OK(p.server->write_all("reads still work"));
      char buf[16];
      ASSERT_OK(p.client->read_exact(buf, 16));
      EXPECT_EQ(std::string(buf, 16), "reads still work");
    }
  });
}

// A server that accepts but never answers: the dial's timeout ends it.
TEST_P(StreamTest, StalledHandshakeEndsAtTheDeadline) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config ccfg = client_config();
    auto silent = go([&] { return ln.accept(); });  // keeps it open
    const Instant start = Instant::now();
    auto s = dial(address_of(ln), ccfg, 100 * Millisecond);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kDeadlineExceeded)
        << s.status();
    EXPECT_GE(Instant::now() - start, 100 * Millisecond);
    EXPECT_LT(Instant::now() - start, 5 * Second);
    (void)silent.join();

    // And a server whose client never speaks.
    Config scfg = server_config();
    TcpPair p = tcp_pair(ln);
    auto srv = server(std::move(p.server), scfg);
    ASSERT_TRUE(srv.ok());
    (*srv)->set_deadline(Instant::now() + 50 * Millisecond);
    EXPECT_EQ((*srv)->handshake().code(), absl::StatusCode::kDeadlineExceeded);
  });
}

TEST_P(StreamTest, CloseWakesABlockedReaderAndWriter) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    TlsPair p = tls_pair(ln, ccfg, scfg);
    auto [c, s] = shake(p);
    ASSERT_OK(c);
    ASSERT_OK(s);
    // The server never reads: the client's writer fills the buffers.
    mco_test::Event reading, writing;
    auto reader = go([&] {
      reading.set();
      char buf[8];
      return p.client->read(buf, sizeof buf).status();
    });
    auto writer = go([&] {
      writing.set();
      const std::string chunk(1 << 20, 'w');
      for (;;) {
        absl::Status st = p.client->write_all(chunk);
        if (!st.ok()) return st;
      }
    });
    reading.wait();
    writing.wait();
    ASSERT_OK(p.client->close());
    const absl::Status r = reader.join(), w = writer.join();
    EXPECT_EQ(r.code(), absl::StatusCode::kFailedPrecondition) << r;
    EXPECT_EQ(w.code(), absl::StatusCode::kFailedPrecondition) << w;
  });
}

TEST_P(StreamTest, CancellingABlockedReadThrowsAndTheStreamSurvives) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    TlsPair p = tls_pair(ln, ccfg, scfg);
    auto [c, s] = shake(p);
    ASSERT_OK(c);
    ASSERT_OK(s);
    mco_test::Event reading;
    auto reader = go([&] {
      reading.set();
      char buf[8];
      (void)p.client->read(buf, sizeof buf);
      ADD_FAILURE() << "read returned in a cancelled coroutine";
    });
    reading.wait();
    reader.cancel();
    EXPECT_THROW(reader.join(), Cancelled);
    ASSERT_OK(p.server->write_all("still here"));
    char buf[10];
    ASSERT_OK(p.client->read_exact(buf, 10));
    EXPECT_EQ(std::string(buf, 10), "still here");

    // A cancelled handshake throws too.
    TcpPair q = tcp_pair(ln);  // nobody serves it
    auto cl = client(std::move(q.client), ccfg, "localhost");
    ASSERT_TRUE(cl.ok());
    auto shaker = go([&] { (void)(*cl)->handshake(); });
    shaker.cancel();
    EXPECT_THROW(shaker.join(), Cancelled);
  });
}

TEST_P(StreamTest, PlainThreadClient) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    Config scfg = server_config(), ccfg = client_config();
    auto srv = go([&] {
      auto a = ln.accept();
      ASSERT_TRUE(a.ok());
      auto s = server(std::make_unique<TcpStream>(std::move(*a)), scfg);
      ASSERT_TRUE(s.ok());
      auto got = read_all(**s);
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_OK((*s)->write_all(*got));
      ASSERT_OK((*s)->close());
    });
    const std::string addr = address_of(ln);
    std::string echoed;
    mco_test::Event finished;
    std::thread t([&] {
      auto s = dial(addr, ccfg, 10 * Second);
      if (s.ok() && (*s)->write_all("from a thread").ok() &&
          (*s)->close_write().ok()) {
        auto got = read_all(**s);
        if (got.ok()) echoed = *got;
      }
      finished.set();
    });
    finished.wait();
    t.join();
    srv.join();
    EXPECT_EQ(echoed, "from a thread");
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, StreamTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace mco::tls
