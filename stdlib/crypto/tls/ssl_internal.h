// Copyright 2026 The mco Authors.
//
// Private to mco/crypto/tls: what config.cc and stream.cc share about
// OpenSSL. Only the package's .cc files include it, so users of the public
// headers never see OpenSSL's.

#ifndef MCO_STDLIB_CRYPTO_TLS_SSL_INTERNAL_H_
#define MCO_STDLIB_CRYPTO_TLS_SSL_INTERNAL_H_

#include <openssl/ssl.h>

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "mco/crypto/tls/config.h"

namespace mco::tls::internal {

// ConfigImpl
//
// The state behind a `Config`. Written only before `freeze()`; read-only
// (and so safe to share between threads) after it.
struct ConfigImpl {
  ConfigImpl();
  ~ConfigImpl();
  ConfigImpl(const ConfigImpl&) = delete;
  ConfigImpl& operator=(const ConfigImpl&) = delete;

  // Config::freeze()
  //
  // Called by every stream made from the config: the first call loads the
  // system roots (if wanted) and makes the config read-only. Thread-safe.
  absl::Status freeze();
  [[nodiscard]] bool frozen() const {
    return frozen_flag.load(std::memory_order_acquire);
  }

  SSL_CTX* ctx = nullptr;  // owned
  std::string server_name;
  bool insecure_skip_verify = false;
  bool system_roots = true;
  bool has_certificate = false;
  ClientAuth client_auth = ClientAuth::kNone;
  std::vector<std::string> alpn;
  std::string alpn_wire;  // `alpn` in its wire form, for the server's pick

 private:
  void warm_certificate_caches();

  std::once_flag freeze_once;
  absl::Status freeze_status;
  std::atomic<bool> frozen_flag{false};
};

// openssl_errors()
//
// The reasons in this thread's OpenSSL error queue, oldest first, joined
// by "; " ("no such file"); `fallback` if it is empty. Clears the queue.
std::string openssl_errors(std::string_view fallback = "unknown error");

}  // namespace mco::tls::internal

#endif  // MCO_STDLIB_CRYPTO_TLS_SSL_INTERNAL_H_
