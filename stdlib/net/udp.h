// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: udp.h
// -----------------------------------------------------------------------------
//
// UDP: `UdpSocket`, Go's net.ListenUDP / DialUDP in one type.
//
//   auto s = mco::net::UdpSocket::bind("127.0.0.1:0");
//   mco::net::SocketAddress from;
//   char buf[1500];
//   auto n = s->receive_from(buf, sizeof buf, &from);   // one datagram
//   s->send_to(buf, *n, from);
//
//   auto c = mco::net::UdpSocket::connect("127.0.0.1:5353");  // fixes the peer
//   c->send("ping", 4);
//   auto m = c->receive(buf, sizeof buf);
//
// Each call sends or receives one datagram. A datagram longer than the
// buffer is truncated (the rest is lost, as with recvfrom(2)); `receive*`
// returns the bytes stored. On a connected socket an ICMP "port
// unreachable" for an earlier datagram makes a later call fail with
// Unavailable ("connection refused").
//
// Blocking, deadlines, close and cancellation: see socket.h.

#ifndef MCO_STDLIB_NET_UDP_H_
#define MCO_STDLIB_NET_UDP_H_

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/address.h"
#include "mco/net/socket.h"
#include "mco/time/instant.h"

namespace mco::net {

class UdpSocket : public Socket {
 public:
  UdpSocket() = default;
  explicit UdpSocket(rt::PollDesc* pd) : Socket(pd) {}

  // UdpSocket::bind()
  //
  // A socket bound to "host:port" / `address` (port 0: any free port).
  static absl::StatusOr<UdpSocket> bind(std::string_view host_port);
  static absl::StatusOr<UdpSocket> bind(const SocketAddress& address);

  // UdpSocket::connect()
  //
  // A socket (bound to an ephemeral port) whose peer is fixed: `send` and
  // `receive` talk only to it.
  static absl::StatusOr<UdpSocket> connect(std::string_view host_port);
  static absl::StatusOr<UdpSocket> connect(const SocketAddress& address);

  // UdpSocket::send_to() / receive_from()
  //
  // One datagram to / from anyone (`from` may be null).
  absl::Status send_to(const void* buf, size_t len, const SocketAddress& to);
  absl::StatusOr<size_t> receive_from(void* buf, size_t len,
                                      SocketAddress* from);

  // UdpSocket::send() / receive()
  //
  // One datagram to / from the connected peer.
  absl::Status send(const void* buf, size_t len);
  absl::Status send(std::string_view data) {
    return send(data.data(), data.size());
  }
  absl::StatusOr<size_t> receive(void* buf, size_t len);

  [[nodiscard]] absl::StatusOr<SocketAddress> peer_address() const;
};

}  // namespace mco::net

#endif  // MCO_STDLIB_NET_UDP_H_
