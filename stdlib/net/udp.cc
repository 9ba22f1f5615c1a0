// Copyright 2026 The mco Authors.

#include "mco/net/udp.h"

#include <sys/socket.h>

#include "mco/net/dns.h"
#include "runtime/netpoll.h"
#include "stdlib/net/io_internal.h"

namespace mco::net {

namespace {

absl::StatusOr<SocketAddress> first_address(std::string_view host_port) {
  auto addrs = resolve_host_port(host_port);
  if (!addrs.ok()) return addrs.status();
  if (addrs->empty()) {
    return absl::NotFoundError(std::string(host_port) + ": no addresses");
  }
  return addrs->front();
}

}  // namespace

absl::StatusOr<UdpSocket> UdpSocket::bind(const SocketAddress& address) {
  auto pd = internal::bind_socket(address, SOCK_DGRAM, ListenOptions{},
                                  /*backlog=*/-1);
  if (!pd.ok()) return pd.status();
  return UdpSocket(*pd);
}

absl::StatusOr<UdpSocket> UdpSocket::bind(std::string_view host_port) {
  auto a = first_address(host_port);
  if (!a.ok()) return a.status();
  return bind(*a);
}

absl::StatusOr<UdpSocket> UdpSocket::connect(const SocketAddress& address) {
  // A datagram connect only records the peer: it never waits.
  auto pd = internal::connect_socket(address, SOCK_DGRAM, rt::kNoDeadline);
  if (!pd.ok()) return pd.status();
  return UdpSocket(*pd);
}

absl::StatusOr<UdpSocket> UdpSocket::connect(std::string_view host_port) {
  auto a = first_address(host_port);
  if (!a.ok()) return a.status();
  return connect(*a);
}

absl::Status UdpSocket::send_to(const void* buf, size_t len,
                                const SocketAddress& to) {
  return internal::retry_io(desc(), rt::IoDir::kWrite, "sendto",
                            [&](int fd) {
                              return ::sendto(fd, buf, len, MSG_NOSIGNAL,
                                              to.sockaddr_ptr(), to.size());
                            })
      .status();
}

absl::StatusOr<size_t> UdpSocket::receive_from(void* buf, size_t len,
                                               SocketAddress* from) {
  sockaddr_storage ss{};
  socklen_t ss_len = sizeof ss;
  auto n =
      internal::retry_io(desc(), rt::IoDir::kRead, "recvfrom", [&](int fd) {
        ss_len = sizeof ss;
        return ::recvfrom(fd, buf, len, 0, reinterpret_cast<sockaddr*>(&ss),
                          &ss_len);
      });
  if (n.ok() && from != nullptr) {
    *from =
        SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), ss_len);
  }
  return n;
}

absl::Status UdpSocket::send(const void* buf, size_t len) {
  return internal::retry_io(
             desc(), rt::IoDir::kWrite, "send",
             [&](int fd) { return ::send(fd, buf, len, MSG_NOSIGNAL); })
      .status();
}

absl::StatusOr<size_t> UdpSocket::receive(void* buf, size_t len) {
  return internal::retry_io(desc(), rt::IoDir::kRead, "recv",
                            [&](int fd) { return ::recv(fd, buf, len, 0); });
}

absl::StatusOr<SocketAddress> UdpSocket::peer_address() const {
  return internal::socket_name(desc(), /*peer=*/true);
}

}  // namespace mco::net
