// Copyright 2026 The mco Authors.
//
// TLS over loopback (mco/crypto/tls): one-way throughput of a TLS stream
// next to a plain TCP stream, and full handshakes per second.
//
//   bazel run //tools/bench:tls_throughput -- [MB] [workers] [handshakes]
//
// Defaults: 512 MB, 2 workers, 500 handshakes. The client writes in
// 256 KiB pieces; the server reads and discards. Certificates are ECDSA
// P-256 (tests/crypto/tls/test_certs.h); the suite is what OpenSSL picks
// (TLS_AES_256_GCM_SHA384 with AES-NI here).

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "mco/crypto/tls/config.h"
#include "mco/crypto/tls/stream.h"
#include "mco/go.h"
#include "mco/net/tcp.h"
#include "mco/runtime.h"
#include "mco/time/instant.h"
#include "tests/crypto/tls/test_certs.h"

namespace {

using mco::time::Instant;

void die(const absl::Status& st, const char* what) {
  std::fprintf(stderr, "tls_throughput: %s: %s\n", what, st.ToString().c_str());
  std::exit(1);
}

// CPU seconds (user + system) used by the process so far.
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Sends `total` bytes over `c` while the peer `s` discards them: MB/s of
// wall time, and MB per CPU second (what a busy, shared machine does not
// distort) in `*per_cpu`.
double pump(mco::net::Conn& c, mco::net::Conn& s, size_t total,
            double* per_cpu) {
  const double cpu0 = cpu_seconds();
  auto sink = mco::go([&] {
    std::vector<char> buf(1 << 18);
    size_t got = 0;
    while (got < total) {
      auto n = s.read(buf.data(), buf.size());
      if (!n.ok()) die(n.status(), "read");
      if (*n == 0) break;
      got += *n;
    }
  });
  const std::string piece(1 << 18, 'x');
  const Instant start = Instant::now();
  for (size_t sent = 0; sent < total; sent += piece.size()) {
    if (absl::Status st = c.write_all(piece); !st.ok()) die(st, "write");
  }
  sink.join();
  const double secs = (Instant::now() - start) / mco::time::Microsecond / 1e6;
  const double megabytes = static_cast<double>(total) / (1 << 20);
  *per_cpu = megabytes / (cpu_seconds() - cpu0);
  return megabytes / secs;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t mb = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 512;
  const int workers = argc > 2 ? std::atoi(argv[2]) : 2;
  const int handshakes = argc > 3 ? std::atoi(argv[3]) : 500;
  const size_t total = mb << 20;
  return mco::run({.workers = workers}, [&] {
    const mco_test::TestPki& pki = mco_test::test_pki();
    mco::tls::Config scfg, ccfg;
    if (auto st = scfg.load_certificate_pem(pki.server.cert, pki.server.key);
        !st.ok()) {
      die(st, "server config");
    }
    ccfg.set_system_roots(false);
    if (auto st = ccfg.add_root_ca_pem(pki.ca.cert); !st.ok()) die(st, "ca");
    auto ln = mco::net::TcpListener::bind("127.0.0.1:0");
    if (!ln.ok()) die(ln.status(), "bind");
    const std::string addr = ln->local_address()->to_string();

    auto connect = [&] {
      auto c = mco::net::TcpStream::connect(addr);
      if (!c.ok()) die(c.status(), "connect");
      auto s = ln->accept();
      if (!s.ok()) die(s.status(), "accept");
      return std::make_pair(
          std::make_unique<mco::net::TcpStream>(std::move(*c)),
          std::make_unique<mco::net::TcpStream>(std::move(*s)));
    };

    {
      auto [c, s] = connect();
      double per_cpu = 0;
      const double rate = pump(*c, *s, total, &per_cpu);
      std::printf("tcp  %5zu MB, %d workers: %6.0f MB/s, %6.0f MB per CPU s\n",
                  mb, workers, rate, per_cpu);
    }
    {
      auto [c, s] = connect();
      auto tc = mco::tls::client(std::move(c), ccfg, "localhost");
      auto ts = mco::tls::server(std::move(s), scfg);
      auto hs = mco::go([&] { return (*ts)->handshake(); });
      if (auto st = (*tc)->handshake(); !st.ok()) die(st, "handshake");
      if (auto st = hs.join(); !st.ok()) die(st, "server handshake");
      double per_cpu = 0;
      const double rate = pump(**tc, **ts, total, &per_cpu);
      std::printf(
          "tls  %5zu MB, %d workers: %6.0f MB/s, %6.0f MB per CPU s "
          "(%s, %s)\n",
          mb, workers, rate, per_cpu,
          std::string(mco::tls::version_name((*tc)->version())).c_str(),
          (*tc)->cipher_suite().c_str());
    }
    {
      const Instant start = Instant::now();
      for (int i = 0; i < handshakes; ++i) {
        auto [c, s] = connect();
        auto tc = mco::tls::client(std::move(c), ccfg, "localhost");
        auto ts = mco::tls::server(std::move(s), scfg);
        auto hs = mco::go([&] { return (*ts)->handshake(); });
        if (auto st = (*tc)->handshake(); !st.ok()) die(st, "handshake");
        if (auto st = hs.join(); !st.ok()) die(st, "server handshake");
      }
      const double secs =
          (Instant::now() - start) / mco::time::Microsecond / 1e6;
      std::printf(
          "handshakes (both sides, one process): %d in %.2f s, "
          "%.0f/s\n",
          handshakes, secs, handshakes / secs);
    }
    return 0;
  });
}
