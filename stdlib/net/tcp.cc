// Copyright 2026 The mco Authors.

#include "mco/net/tcp.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "mco/net/dns.h"
#include "stdlib/net/io_internal.h"

namespace mco::net {

absl::StatusOr<TcpStream> TcpStream::connect(const SocketAddress& address,
                                             time::Instant deadline) {
  if (!address.is_ipv4() && !address.is_ipv6()) {
    return absl::InvalidArgumentError("connect " + address.to_string() +
                                      ": not an IP address");
  }
  auto pd = internal::connect_socket(address, SOCK_STREAM,
                                     internal::to_nanos(deadline));
  if (!pd.ok()) return pd.status();
  return TcpStream(*pd);
}

absl::StatusOr<TcpStream> TcpStream::connect_until(std::string_view host_port,
                                                   time::Instant deadline) {
  auto addrs = resolve_host_port(host_port, deadline);
  if (!addrs.ok()) return addrs.status();
  absl::Status first_error;
  for (const SocketAddress& a : *addrs) {
    auto s = connect(a, deadline);
    if (s.ok()) return s;
    if (first_error.ok()) first_error = s.status();
    if (absl::IsDeadlineExceeded(s.status())) break;
  }
  if (first_error.ok()) {
    return absl::NotFoundError("connect " + std::string(host_port) +
                               ": no addresses");
  }
  return first_error;
}

absl::StatusOr<TcpStream> TcpStream::connect(std::string_view host_port) {
  return connect_until(host_port, time::Instant());
}

absl::StatusOr<TcpStream> TcpStream::connect(std::string_view host_port,
                                             time::Duration timeout) {
  return connect_until(host_port, time::Instant::now() + timeout);
}

absl::Status TcpStream::set_nodelay(bool on) {
  return set_option(IPPROTO_TCP, TCP_NODELAY, on ? 1 : 0);
}

absl::Status TcpStream::set_keepalive(bool on, time::Duration idle) {
  absl::Status st = set_option(SOL_SOCKET, SO_KEEPALIVE, on ? 1 : 0);
  if (!st.ok() || !on) return st;
  const int secs = std::max<int64_t>(1, idle.milliseconds() / 1000);
  st = set_option(IPPROTO_TCP, TCP_KEEPIDLE, secs);
  if (!st.ok()) return st;
  return set_option(IPPROTO_TCP, TCP_KEEPINTVL, secs);
}

absl::StatusOr<TcpListener> TcpListener::bind(const SocketAddress& address,
                                              ListenOptions options) {
  if (!address.is_ipv4() && !address.is_ipv6()) {
    return absl::InvalidArgumentError("listen " + address.to_string() +
                                      ": not an IP address");
  }
  auto pd = internal::bind_socket(address, SOCK_STREAM, options,
                                  std::max(options.backlog, 1));
  if (!pd.ok()) return pd.status();
  return TcpListener(*pd);
}

absl::StatusOr<TcpListener> TcpListener::bind(std::string_view host_port,
                                              ListenOptions options) {
  auto addrs = resolve_host_port(host_port);
  if (!addrs.ok()) return addrs.status();
  if (addrs->empty()) {
    return absl::NotFoundError("listen " + std::string(host_port) +
                               ": no addresses");
  }
  return bind(addrs->front(), options);
}

absl::StatusOr<TcpStream> TcpListener::accept(SocketAddress* peer) {
  auto pd = internal::accept_socket(desc(), peer);
  if (!pd.ok()) return pd.status();
  return TcpStream(*pd);
}

absl::StatusOr<TcpStream> TcpListener::accept() { return accept(nullptr); }

}  // namespace mco::net
