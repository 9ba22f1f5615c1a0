// Copyright 2026 The mco Authors.
//
// Config (config.h): an SSL_CTX set up by the setters and frozen by the
// first stream. OpenSSL's error queue is per thread; every call here runs
// without parking, so it reads the queue of the thread that filled it.

#include "mco/crypto/tls/config.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mco/crypto/tls/record.h"
#include "stdlib/crypto/tls/ssl_internal.h"

namespace mco::tls {
namespace internal {
namespace {

// The server's ALPN pick: the first of its protocols the client offered.
int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen,
                const unsigned char* in, unsigned int inlen, void* arg) {
  const auto* impl = static_cast<const ConfigImpl*>(arg);
  unsigned char* chosen = nullptr;
  const int r = SSL_select_next_proto(
      &chosen, outlen,
      reinterpret_cast<const unsigned char*>(impl->alpn_wire.data()),
      static_cast<unsigned int>(impl->alpn_wire.size()), in, inlen);
  if (r != OPENSSL_NPN_NEGOTIATED) return SSL_TLSEXT_ERR_ALERT_FATAL;
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

std::string openssl_errors(std::string_view fallback) {
  std::vector<std::string> reasons;
  while (unsigned long e = ERR_get_error()) {
    const char* r = ERR_reason_error_string(e);
    std::string reason = ERR_SYSTEM_ERROR(e) ? std::strerror(ERR_GET_REASON(e))
                         : r != nullptr
                             ? r
                             : absl::StrCat("error ", ERR_GET_REASON(e));
    if (reason == "system lib" && !reasons.empty()) continue;  // said
    if (reasons.empty() || reasons.back() != reason) {
      reasons.push_back(std::move(reason));
    }
  }
  if (reasons.empty()) return std::string(fallback);
  return absl::StrJoin(reasons, "; ");
}

ConfigImpl::ConfigImpl() {
  ctx = SSL_CTX_new(TLS_method());
  if (ctx == nullptr) throw std::bad_alloc();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
  // Give idle connections' 34 KB of read and write buffers back.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
}

ConfigImpl::~ConfigImpl() { SSL_CTX_free(ctx); }

// OpenSSL computes a certificate's extension cache (key identifiers,
// flags) on first use, under a lock with an unlocked fast path that
// ThreadSanitizer reports as a race when two handshakes verify against the
// same shared CA at once (openssl/openssl#25202, #32609). Computing it here,
// before any stream exists, makes every later use a read.
void ConfigImpl::warm_certificate_caches() {
  STACK_OF(X509_OBJECT)* objects =
      X509_STORE_get0_objects(SSL_CTX_get_cert_store(ctx));
  for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
    X509* x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i));
    if (x != nullptr) (void)X509_check_purpose(x, -1, 0);
  }
  if (X509* leaf = SSL_CTX_get0_certificate(ctx)) {
    (void)X509_check_purpose(leaf, -1, 0);
  }
  STACK_OF(X509)* chain = nullptr;
  if (SSL_CTX_get0_chain_certs(ctx, &chain) == 1) {
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      (void)X509_check_purpose(sk_X509_value(chain, i), -1, 0);
    }
  }
  ERR_clear_error();
}

absl::Status ConfigImpl::freeze() {
  std::call_once(freeze_once, [this] {
    if (system_roots && SSL_CTX_set_default_verify_paths(ctx) != 1) {
      freeze_status = absl::InternalError(absl::StrCat(
          "tls: cannot load the system's trusted roots: ", openssl_errors()));
    }
    warm_certificate_caches();
    if (!alpn_wire.empty()) {
      // Note: 0 is success here.
      if (SSL_CTX_set_alpn_protos(
              ctx, reinterpret_cast<const unsigned char*>(alpn_wire.data()),
              static_cast<unsigned int>(alpn_wire.size())) != 0) {
        freeze_status = absl::InternalError(
            absl::StrCat("tls: cannot set ALPN: ", openssl_errors()));
      }
      SSL_CTX_set_alpn_select_cb(ctx, select_alpn, this);
    }
    frozen_flag.store(true, std::memory_order_release);
  });
  return freeze_status;
}

}  // namespace internal

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr mem_bio(std::string_view pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

}  // namespace

std::string_view version_name(Version v) {
  switch (v) {
    case Version::kTls12:
      return "TLS 1.2";
    case Version::kTls13:
      return "TLS 1.3";
    default:
      return "unknown";
  }
}

Config::Config() : impl_(std::make_shared<internal::ConfigImpl>()) {}
Config::~Config() = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;

internal::ConfigImpl& Config::mutable_impl(const char* what) {
  if (impl_ == nullptr) {
    throw std::logic_error(
        absl::StrCat("tls: ", what, " on a moved-from Config"));
  }
  if (impl_->frozen()) {
    throw std::logic_error(
        absl::StrCat("tls: Config modified after use (", what, ")"));
  }
  return *impl_;
}

absl::Status Config::load_certificate_files(std::string_view chain_file,
                                            std::string_view key_file) {
  internal::ConfigImpl& c = mutable_impl("load_certificate_files");
  ERR_clear_error();
  const std::string chain(chain_file), key(key_file);
  if (SSL_CTX_use_certificate_chain_file(c.ctx, chain.c_str()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls: cannot load certificate ", chain, ": ",
                     internal::openssl_errors()));
  }
  if (SSL_CTX_use_PrivateKey_file(c.ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls: cannot load private key ", key, ": ",
                     internal::openssl_errors()));
  }
  if (SSL_CTX_check_private_key(c.ctx) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat(
        "tls: private key ", key, " does not match the certificate ", chain));
  }
  c.has_certificate = true;
  return absl::OkStatus();
}

absl::Status Config::load_certificate_pem(std::string_view chain_pem,
                                          std::string_view key_pem) {
  internal::ConfigImpl& c = mutable_impl("load_certificate_pem");
  ERR_clear_error();
  BioPtr bio = mem_bio(chain_pem);
  X509* leaf = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (leaf == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls: cannot load certificate: ", internal::openssl_errors()));
  }
  const int used = SSL_CTX_use_certificate(c.ctx, leaf);
  X509_free(leaf);
  if (used != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls: cannot use certificate: ", internal::openssl_errors()));
  }
  SSL_CTX_clear_chain_certs(c.ctx);
  while (X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(c.ctx, ca) != 1) {
      X509_free(ca);
      return absl::InvalidArgumentError(absl::StrCat(
          "tls: cannot add chain certificate: ", internal::openssl_errors()));
    }
  }
  ERR_clear_error();  // the end of the PEM text is reported as an error
  BioPtr key_bio = mem_bio(key_pem);
  EVP_PKEY* key =
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls: cannot load private key: ", internal::openssl_errors()));
  }
  const int key_used = SSL_CTX_use_PrivateKey(c.ctx, key);
  EVP_PKEY_free(key);
  if (key_used != 1 || SSL_CTX_check_private_key(c.ctx) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        "tls: private key does not match the certificate");
  }
  c.has_certificate = true;
  return absl::OkStatus();
}

absl::Status Config::add_root_ca_file(std::string_view path) {
  internal::ConfigImpl& c = mutable_impl("add_root_ca_file");
  ERR_clear_error();
  const std::string p(path);
  if (SSL_CTX_load_verify_file(c.ctx, p.c_str()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls: cannot load CA file ", p, ": ", internal::openssl_errors()));
  }
  return absl::OkStatus();
}

absl::Status Config::add_root_ca_pem(std::string_view pem) {
  internal::ConfigImpl& c = mutable_impl("add_root_ca_pem");
  ERR_clear_error();
  BioPtr bio = mem_bio(pem);
  X509_STORE* store = SSL_CTX_get_cert_store(c.ctx);
  int added = 0;
  while (X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    const int ok = X509_STORE_add_cert(store, ca);
    X509_free(ca);
    if (ok != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tls: cannot add CA certificate: ", internal::openssl_errors()));
    }
    ++added;
  }
  if (added == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls: no CA certificate in PEM: ",
                     internal::openssl_errors("no certificate found")));
  }
  ERR_clear_error();
  return absl::OkStatus();
}

void Config::set_system_roots(bool use) {
  mutable_impl("set_system_roots").system_roots = use;
}

void Config::set_server_name(std::string_view name) {
  mutable_impl("set_server_name").server_name = std::string(name);
}

void Config::set_insecure_skip_verify(bool skip) {
  mutable_impl("set_insecure_skip_verify").insecure_skip_verify = skip;
}

absl::Status Config::set_alpn_protocols(
    const std::vector<std::string>& protocols) {
  internal::ConfigImpl& c = mutable_impl("set_alpn_protocols");
  absl::StatusOr<std::string> wire = encode_alpn(protocols);
  if (!wire.ok()) return wire.status();
  c.alpn = protocols;
  c.alpn_wire = *std::move(wire);
  return absl::OkStatus();
}

void Config::set_min_version(Version v) {
  // Never below TLS 1.2 (kUnknown would mean "the lowest OpenSSL has").
  SSL_CTX_set_min_proto_version(mutable_impl("set_min_version").ctx,
                                std::max(static_cast<int>(v), TLS1_2_VERSION));
}

void Config::set_max_version(Version v) {
  SSL_CTX_set_max_proto_version(mutable_impl("set_max_version").ctx,
                                static_cast<int>(v));
}

void Config::set_client_auth(ClientAuth mode) {
  mutable_impl("set_client_auth").client_auth = mode;
}

std::string Config::server_name() const { return impl_->server_name; }
bool Config::insecure_skip_verify() const {
  return impl_->insecure_skip_verify;
}
std::vector<std::string> Config::alpn_protocols() const { return impl_->alpn; }

}  // namespace mco::tls
