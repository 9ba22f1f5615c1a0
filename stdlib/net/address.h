// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: address.h
// -----------------------------------------------------------------------------
//
// `SocketAddress`: an IPv4, IPv6 or Unix-domain socket address, a value type.
// Plus Go's `SplitHostPort`/`JoinHostPort`.
//
//   auto a = mco::net::SocketAddress::parse("127.0.0.1:8080");   // numeric
//   if (a.ok()) std::cout << a->to_string();    // "127.0.0.1:8080"
//   auto b = mco::net::SocketAddress::parse("[::1]:443");
//   auto u = mco::net::SocketAddress::unix_path("/run/app.sock");
//   auto hp = mco::net::split_host_port("example.com:80");  // {"example.com",
//   80}
//
// `parse` takes numeric addresses only; names are resolved by
// `mco/net/dns.h` (which `TcpStream::connect` and `TcpListener::bind` use).
// A host may be empty (":8080"): it means every address ("0.0.0.0").

#ifndef MCO_STDLIB_NET_ADDRESS_H_
#define MCO_STDLIB_NET_ADDRESS_H_

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

namespace mco::net {

class SocketAddress {
 public:
  // An empty address (family AF_UNSPEC).
  SocketAddress() = default;

  // SocketAddress::parse()
  //
  // "1.2.3.4:80", "[::1]:80", ":80" (every IPv4 address). InvalidArgument
  // for anything else, including host names.
  static absl::StatusOr<SocketAddress> parse(std::string_view host_port);

  // SocketAddress::ip()
  //
  // A numeric IPv4 or IPv6 address (no brackets) and a port.
  static absl::StatusOr<SocketAddress> ip(std::string_view ip, uint16_t port);

  // SocketAddress::unix_path()
  //
  // A Unix-domain socket path (at most 107 bytes, no NUL byte); a leading
  // '@' names an abstract socket (Linux), whose name may hold any bytes.
  static absl::StatusOr<SocketAddress> unix_path(std::string_view path);

  // SocketAddress::from_sockaddr()
  //
  // Copies what the kernel returned (`len` bytes of `sa`).
  static SocketAddress from_sockaddr(const sockaddr* sa, socklen_t len);

  [[nodiscard]] int family() const { return storage_.ss_family; }
  [[nodiscard]] bool empty() const { return family() == AF_UNSPEC; }
  [[nodiscard]] bool is_ipv4() const { return family() == AF_INET; }
  [[nodiscard]] bool is_ipv6() const { return family() == AF_INET6; }
  [[nodiscard]] bool is_unix() const { return family() == AF_UNIX; }

  // The port (0 for Unix addresses).
  [[nodiscard]] uint16_t port() const;
  // The numeric IP, "127.0.0.1" or "::1" ("" for Unix addresses).
  [[nodiscard]] std::string ip_string() const;
  // The path of a Unix address ("" otherwise).
  [[nodiscard]] std::string path() const;
  // "127.0.0.1:80", "[::1]:80", or the Unix path.
  [[nodiscard]] std::string to_string() const;

  // The same address with another port (IP addresses only).
  [[nodiscard]] SocketAddress with_port(uint16_t port) const;

  [[nodiscard]] const sockaddr* sockaddr_ptr() const {
    return reinterpret_cast<const sockaddr*>(&storage_);
  }
  [[nodiscard]] socklen_t size() const { return len_; }

  friend bool operator==(const SocketAddress& a, const SocketAddress& b);
  friend bool operator!=(const SocketAddress& a, const SocketAddress& b) {
    return !(a == b);
  }

 private:
  sockaddr_storage storage_{};
  socklen_t len_ = 0;
};

// split_host_port()
//
// Go's SplitHostPort: "host:80" -> {"host", 80}, "[::1]:80" -> {"::1", 80},
// ":80" -> {"", 80}. The port must be numeric.
absl::StatusOr<std::pair<std::string, uint16_t>> split_host_port(
    std::string_view host_port);

// join_host_port()
//
// The inverse: brackets a host that contains ':'.
std::string join_host_port(std::string_view host, uint16_t port);

}  // namespace mco::net

#endif  // MCO_STDLIB_NET_ADDRESS_H_
