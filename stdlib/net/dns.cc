// Copyright 2026 The mco Authors.

#include "mco/net/dns.h"

#include <netdb.h>

#include <algorithm>
#include <string>

#include "stdlib/net/io_internal.h"

namespace mco::net {

namespace {

// The lookup itself; see lookup.cc.
absl::StatusOr<std::vector<SocketAddress>> lookup(const std::string& host,
                                                  uint16_t port,
                                                  rt::Nanos deadline);

}  // namespace

absl::StatusOr<std::vector<SocketAddress>> resolve_until(
    std::string_view host, uint16_t port, time::Instant deadline) {
  if (auto numeric = SocketAddress::ip(host, port); numeric.ok()) {
    return std::vector<SocketAddress>{*numeric};
  }
  return lookup(std::string(host), port, internal::to_nanos(deadline));
}

absl::StatusOr<std::vector<SocketAddress>> resolve(std::string_view host,
                                                   uint16_t port) {
  return resolve_until(host, port, time::Instant());
}

absl::StatusOr<std::vector<SocketAddress>> resolve_host_port(
    std::string_view host_port, time::Instant deadline) {
  auto hp = split_host_port(host_port);
  if (!hp.ok()) return hp.status();
  return resolve_until(hp->first, hp->second, deadline);
}

namespace {

absl::StatusOr<std::vector<SocketAddress>> lookup(const std::string& host,
                                                  uint16_t port,
                                                  rt::Nanos deadline) {
  (void)deadline;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0) {
    return absl::NotFoundError("lookup " + host + ": " + gai_strerror(rc));
  }
  std::vector<SocketAddress> v4, v6;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    SocketAddress a = SocketAddress::from_sockaddr(ai->ai_addr, ai->ai_addrlen)
                          .with_port(port);
    auto& out = a.is_ipv4() ? v4 : v6;
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  freeaddrinfo(res);
  v4.insert(v4.end(), v6.begin(), v6.end());
  return v4;
}

}  // namespace

}  // namespace mco::net
