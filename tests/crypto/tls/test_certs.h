// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: test_certs.h
// -----------------------------------------------------------------------------
//
// Certificates for TLS tests, made at run time with OpenSSL's API (nothing
// checked in expires): a CA, certificates it signs (or self-signed ones),
// as PEM strings, optionally written to files under TEST_TMPDIR. For the
// TLS tests and for anything built on TLS (HTTPS, WSS).
//
//   const mco_test::TestPki& pki = mco_test::test_pki();
//   mco::tls::Config server;
//   ASSERT_TRUE(server.load_certificate_pem(pki.server.cert,
//                                           pki.server.key).ok());
//   mco::tls::Config client;
//   ASSERT_TRUE(client.add_root_ca_pem(pki.ca.cert).ok());
//
// Keys are ECDSA P-256 (fast to make); signatures SHA-256. Failures to make
// a certificate throw std::runtime_error (they are bugs in the test).

#ifndef MCO_TESTS_CRYPTO_TLS_TEST_CERTS_H_
#define MCO_TESTS_CRYPTO_TLS_TEST_CERTS_H_

#include <string>
#include <string_view>
#include <vector>

namespace mco_test {

// Pem
//
// A certificate and its private key, PEM-encoded.
struct Pem {
  std::string cert;
  std::string key;
};

// CertSpec
//
// What to put in a certificate.
struct CertSpec {
  std::string common_name = "localhost";
  std::vector<std::string> dns_names;     // subjectAltName DNS:
  std::vector<std::string> ip_addresses;  // subjectAltName IP:
  int valid_from_days = -1;               // notBefore, days from now
  int valid_to_days = 365;                // notAfter, days from now
  bool is_ca = false;
};

// make_ca()
//
// A self-signed CA certificate.
Pem make_ca(std::string_view common_name = "mco test CA");

// make_cert()
//
// A certificate for `spec` signed by `issuer` (a CA from `make_ca`).
Pem make_cert(const Pem& issuer, const CertSpec& spec);

// make_self_signed()
//
// A certificate for `spec` that signs itself (not a CA).
Pem make_self_signed(const CertSpec& spec);

// TestPki
//
// One CA and what it signed: `server` for localhost, 127.0.0.1 and ::1;
// `client` ("CN=mco test client") for mutual TLS.
struct TestPki {
  Pem ca;
  Pem server;
  Pem client;
};

// test_pki()
//
// Made on first use, then the same for the whole process.
const TestPki& test_pki();

// write_test_file()
//
// Writes `content` to `name` under $TEST_TMPDIR (or /tmp) and returns the
// path.
std::string write_test_file(std::string_view name, std::string_view content);

}  // namespace mco_test

#endif  // MCO_TESTS_CRYPTO_TLS_TEST_CERTS_H_
