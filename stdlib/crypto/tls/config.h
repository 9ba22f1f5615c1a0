// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: config.h
// -----------------------------------------------------------------------------
//
// `Config`: how TLS connections are set up (Go's tls.Config): certificates,
// trusted roots, verification, server name, ALPN and protocol versions. One
// `Config` serves any number of client and server streams (stream.h).
//
//   // A server.
//   mco::tls::Config server_config;
//   MCO_TRY(
//       server_config.load_certificate_files("server.pem", "server.key"));
//   MCO_TRY(server_config.set_alpn_protocols({"http/1.1"}));
//
//   // A client: the system's trusted roots, the name from the address.
//   mco::tls::Config client_config;
//   auto stream = mco::tls::dial("example.com:443", client_config,
//                                10 * mco::time::Second);
//
// Defaults, as Go's: TLS 1.2 at least (1.3 preferred); a client verifies
// the server's certificate chain against the system's trust store
// (/etc/ssl/certs) plus any roots added here, and the server's name (a DNS
// name, or an IP address against the certificate's IP SANs);
// `set_insecure_skip_verify(true)` turns that off. Renegotiation is off.
//
// Lifetime and sharing: `Config` holds an OpenSSL `SSL_CTX` (hidden here).
// It is set up first, then used: the first stream made from it freezes it,
// after which a setter throws `std::logic_error` ("tls: Config modified
// after use"), as Go forbids changing a Config in use. Once frozen it may be
// used from any number of coroutines and threads at once. Streams keep what
// they need alive, so a `Config` may be destroyed before its streams.
//
// Errors from loading carry OpenSSL's reason: "tls: cannot load certificate
// server.pem: no such file", "tls: private key does not match the
// certificate".

#ifndef MCO_STDLIB_CRYPTO_TLS_CONFIG_H_
#define MCO_STDLIB_CRYPTO_TLS_CONFIG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace mco::tls {

namespace internal {
struct ConfigImpl;
}  // namespace internal

// Version
//
// A protocol version, with its wire value (Go's VersionTLS12, VersionTLS13).
enum class Version : uint16_t {
  kUnknown = 0,  // before the handshake
  kTls12 = 0x0303,
  kTls13 = 0x0304,
};

// version_name()
//
// "TLS 1.2", "TLS 1.3" or "unknown".
[[nodiscard]] std::string_view version_name(Version v);

// ClientAuth
//
// Whether a server asks clients for a certificate (Go's ClientAuthType).
enum class ClientAuth {
  kNone,              // no client certificate (the default)
  kVerifyIfGiven,     // ask; verify one if the client sends it
  kRequireAndVerify,  // a verified client certificate is required
};

class Config {
 public:
  // Config::Config()
  //
  // The defaults (see the file comment). Creating the OpenSSL context does
  // not fail short of running out of memory, which throws std::bad_alloc.
  Config();
  ~Config();
  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  // Config::load_certificate_files() / load_certificate_pem()
  //
  // The certificate chain (leaf first, then intermediates) and its private
  // key, in PEM: what a server presents (or a client, to a server that asks).
  // Fails if either cannot be read or parsed, or if they do not match.
  absl::Status load_certificate_files(std::string_view chain_file,
                                      std::string_view key_file);
  absl::Status load_certificate_pem(std::string_view chain_pem,
                                    std::string_view key_pem);

  // Config::add_root_ca_file() / add_root_ca_pem()
  //
  // Trusts the CA certificates in a PEM file or string (one or more), in
  // addition to the system's (see `set_system_roots`). Clients verify
  // servers against them; servers verify client certificates.
  absl::Status add_root_ca_file(std::string_view path);
  absl::Status add_root_ca_pem(std::string_view pem);

  // Config::set_system_roots()
  //
  // Whether to trust the system's store too (default true).
  void set_system_roots(bool use);

  // Config::set_server_name()
  //
  // The name a client sends (SNI) and checks the server's certificate
  // against, when `client()` is given none; `dial` takes it from the
  // address otherwise.
  void set_server_name(std::string_view name);

  // Config::set_insecure_skip_verify()
  //
  // A client accepts any server certificate (for tests and debugging only:
  // it allows a man in the middle).
  void set_insecure_skip_verify(bool skip);

  // Config::set_alpn_protocols()
  //
  // The application protocols, most preferred first ("h2", "http/1.1"). A
  // client offers them; a server picks the first of its list the client
  // offered, and fails the handshake ("no application protocol") if the
  // client offered some and none is in the list. InvalidArgument for an
  // empty or over-long (> 255 bytes) name.
  absl::Status set_alpn_protocols(const std::vector<std::string>& protocols);

  // Config::set_min_version() / set_max_version()
  //
  // The range of versions to speak: min TLS 1.2 (the default, and the
  // floor: a lower or kUnknown minimum means TLS 1.2), max TLS 1.3 (the
  // default; kUnknown means the highest).
  void set_min_version(Version v);
  void set_max_version(Version v);

  // Config::set_client_auth()
  //
  // Whether a server asks for client certificates (default kNone).
  void set_client_auth(ClientAuth mode);

  [[nodiscard]] std::string server_name() const;
  [[nodiscard]] bool insecure_skip_verify() const;
  [[nodiscard]] std::vector<std::string> alpn_protocols() const;

  // For the implementation (stream.cc): the shared, frozen state.
  [[nodiscard]] const std::shared_ptr<internal::ConfigImpl>& impl() const {
    return impl_;
  }

 private:
  internal::ConfigImpl& mutable_impl(const char* what);

  std::shared_ptr<internal::ConfigImpl> impl_;
};

}  // namespace mco::tls

#endif  // MCO_STDLIB_CRYPTO_TLS_CONFIG_H_
