// Copyright 2026 The mco Authors.

#include "mco/net/address.h"

#include <arpa/inet.h>
#include <sys/un.h>

#include <cstring>

#include "absl/strings/numbers.h"

namespace mco::net {

namespace {

absl::Status bad_address(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError("address " + std::string(text) + ": " +
                                    std::string(why));
}

}  // namespace

absl::StatusOr<std::pair<std::string, uint16_t>> split_host_port(
    std::string_view host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos) {
    return bad_address(host_port, "missing port");
  }
  std::string_view host = host_port.substr(0, colon);
  const std::string_view port = host_port.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.back() != ']') return bad_address(host_port, "missing ']'");
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad_address(host_port, "too many colons");
  }
  if (host.find_first_of("[]") != std::string_view::npos) {
    return bad_address(host_port, "unexpected '[' or ']'");
  }
  uint32_t p = 0;
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos ||
      !absl::SimpleAtoi(absl::string_view(port.data(), port.size()), &p) ||
      p > 65535) {
    return bad_address(host_port, "invalid port");
  }
  return std::make_pair(std::string(host), static_cast<uint16_t>(p));
}

std::string join_host_port(std::string_view host, uint16_t port) {
  std::string out;
  if (host.find(':') != std::string_view::npos) {
    out = "[" + std::string(host) + "]";
  } else {
    out = std::string(host);
  }
  return out + ":" + std::to_string(port);
}

absl::StatusOr<SocketAddress> SocketAddress::ip(std::string_view ip,
                                                uint16_t port) {
  const std::string text(ip);
  SocketAddress a;
  if (text.find('\0') != std::string::npos) {  // inet_pton would stop there
    return bad_address(text, "not a numeric IP address");
  }
  if (text.empty()) {
    auto* in = reinterpret_cast<sockaddr_in*>(&a.storage_);
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    in->sin_addr.s_addr = htonl(INADDR_ANY);
    a.len_ = sizeof(sockaddr_in);
    return a;
  }
  auto* in = reinterpret_cast<sockaddr_in*>(&a.storage_);
  if (inet_pton(AF_INET, text.c_str(), &in->sin_addr) == 1) {
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    a.len_ = sizeof(sockaddr_in);
    return a;
  }
  a.storage_ = {};
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&a.storage_);
  if (inet_pton(AF_INET6, text.c_str(), &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    a.len_ = sizeof(sockaddr_in6);
    return a;
  }
  return bad_address(text, "not a numeric IP address");
}

absl::StatusOr<SocketAddress> SocketAddress::parse(std::string_view host_port) {
  auto hp = split_host_port(host_port);
  if (!hp.ok()) return hp.status();
  return ip(hp->first, hp->second);
}

absl::StatusOr<SocketAddress> SocketAddress::unix_path(std::string_view path) {
  SocketAddress a;
  auto* un = reinterpret_cast<sockaddr_un*>(&a.storage_);
  if (path.empty()) return bad_address(path, "empty Unix socket path");
  if (path.size() >= sizeof(un->sun_path)) {
    return bad_address(path, "Unix socket path too long");
  }
  // The kernel reads a file system path up to its first NUL; an abstract
  // name is all its bytes.
  if (path.front() != '@' && path.find('\0') != std::string_view::npos) {
    return bad_address(path, "NUL byte in Unix socket path");
  }
  un->sun_family = AF_UNIX;
  std::memcpy(un->sun_path, path.data(), path.size());
  if (path.front() == '@') un->sun_path[0] = '\0';  // abstract namespace
  a.len_ = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) +
                                  path.size() + (path.front() == '@' ? 0 : 1));
  return a;
}

SocketAddress SocketAddress::from_sockaddr(const sockaddr* sa, socklen_t len) {
  SocketAddress a;
  if (len > sizeof(a.storage_)) len = sizeof(a.storage_);
  std::memcpy(&a.storage_, sa, len);
  a.len_ = len;
  return a;
}

uint16_t SocketAddress::port() const {
  if (is_ipv4()) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  }
  if (is_ipv6()) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  }
  return 0;
}

std::string SocketAddress::ip_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (is_ipv4()) {
    inet_ntop(AF_INET,
              &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, buf,
              sizeof buf);
  } else if (is_ipv6()) {
    inet_ntop(AF_INET6,
              &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, buf,
              sizeof buf);
  }
  return buf;
}

std::string SocketAddress::path() const {
  if (!is_unix()) return "";
  const auto* un = reinterpret_cast<const sockaddr_un*>(&storage_);
  const size_t n = len_ > offsetof(sockaddr_un, sun_path)
                       ? len_ - offsetof(sockaddr_un, sun_path)
                       : 0;
  if (n == 0) return "";  // unnamed (e.g. a connecting client)
  if (un->sun_path[0] == '\0')
    return "@" + std::string(un->sun_path + 1, n - 1);
  return std::string(un->sun_path, strnlen(un->sun_path, n));
}

std::string SocketAddress::to_string() const {
  if (is_unix()) return path();
  if (is_ipv4() || is_ipv6()) return join_host_port(ip_string(), port());
  return "";
}

SocketAddress SocketAddress::with_port(uint16_t port) const {
  SocketAddress a = *this;
  if (is_ipv4()) {
    reinterpret_cast<sockaddr_in*>(&a.storage_)->sin_port = htons(port);
  } else if (is_ipv6()) {
    reinterpret_cast<sockaddr_in6*>(&a.storage_)->sin6_port = htons(port);
  }
  return a;
}

bool operator==(const SocketAddress& a, const SocketAddress& b) {
  return a.len_ == b.len_ && std::memcmp(&a.storage_, &b.storage_, a.len_) == 0;
}

}  // namespace mco::net
