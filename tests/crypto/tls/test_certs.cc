// Copyright 2026 The mco Authors.
//
// Test certificates (test_certs.h) with OpenSSL 3's EVP and X509 API.

#include "tests/crypto/tls/test_certs.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace mco_test {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
template <typename T>
using Ptr = std::unique_ptr<T, Free>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test_certs: ") + what);
}

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string key_pem(EVP_PKEY* key) {
  Ptr<BIO> bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                                 nullptr) == 1,
        "write key");
  return bio_string(bio.get());
}

std::string cert_pem(X509* cert) {
  Ptr<BIO> bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(bio.get(), cert) == 1, "write cert");
  return bio_string(bio.get());
}

Ptr<X509> parse_cert(const std::string& pem) {
  Ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Ptr<X509> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  check(cert != nullptr, "parse issuer cert");
  return cert;
}

Ptr<EVP_PKEY> parse_key(const std::string& pem) {
  Ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Ptr<EVP_PKEY> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  check(key != nullptr, "parse issuer key");
  return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  Ptr<X509_EXTENSION> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  check(ext != nullptr, "make extension");
  check(X509_add_ext(cert, ext.get(), -1) == 1, "add extension");
}

// Signs with `issuer_key` as `issuer` (or as itself when null).
Pem make(const CertSpec& spec, X509* issuer, EVP_PKEY* issuer_key) {
  Ptr<EVP_PKEY> key(EVP_EC_gen("P-256"));
  check(key != nullptr, "generate key");
  Ptr<X509> cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial) == 1, "serial");
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()),
                  static_cast<long>(spec.valid_from_days) * 86400);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                  static_cast<long>(spec.valid_to_days) * 86400);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_UTF8,
      reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1,
      0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));

  add_ext(cert.get(), signer, NID_basic_constraints,
          spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_ext(cert.get(), signer, NID_key_usage,
          spec.is_ca ? "critical,keyCertSign,cRLSign"
                     : "critical,digitalSignature,keyEncipherment");
  add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) {
    add_ext(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  }
  if (!spec.is_ca) {
    add_ext(cert.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  std::string san;
  for (const std::string& d : spec.dns_names) {
    san += (san.empty() ? "" : ",") + ("DNS:" + d);
  }
  for (const std::string& ip : spec.ip_addresses) {
    san += (san.empty() ? "" : ",") + ("IP:" + ip);
  }
  if (!san.empty()) add_ext(cert.get(), signer, NID_subject_alt_name, san);

  EVP_PKEY* signing_key = issuer_key != nullptr ? issuer_key : key.get();
  check(X509_sign(cert.get(), signing_key, EVP_sha256()) > 0, "sign");
  return Pem{cert_pem(cert.get()), key_pem(key.get())};
}

}  // namespace

Pem make_ca(std::string_view common_name) {
  CertSpec spec;
  spec.common_name = std::string(common_name);
  spec.is_ca = true;
  spec.valid_to_days = 3650;
  return make(spec, nullptr, nullptr);
}

Pem make_cert(const Pem& issuer, const CertSpec& spec) {
  Ptr<X509> cert = parse_cert(issuer.cert);
  Ptr<EVP_PKEY> key = parse_key(issuer.key);
  return make(spec, cert.get(), key.get());
}

Pem make_self_signed(const CertSpec& spec) {
  return make(spec, nullptr, nullptr);
}

const TestPki& test_pki() {
  static const TestPki* pki = [] {
    auto* p = new TestPki;
    p->ca = make_ca();
    CertSpec server;
    server.dns_names = {"localhost"};
    server.ip_addresses = {"127.0.0.1", "::1"};
    p->server = make_cert(p->ca, server);
    CertSpec client;
    client.common_name = "mco test client";
    p->client = make_cert(p->ca, client);
    return p;
  }();
  return *pki;
}

std::string write_test_file(std::string_view name, std::string_view content) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string path =
      std::string(dir != nullptr ? dir : "/tmp") + "/" + std::string(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  check(out.good(), "write file");
  return path;
}

}  // namespace mco_test
