// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: dns.h
// -----------------------------------------------------------------------------
//
// Name resolution (Go's net.LookupHost / LookupIP) without blocking a
// worker: the lookup runs as libuv's getaddrinfo on its thread pool while
// the coroutine is parked. From a plain thread it simply blocks.
//
//   auto addrs = mco::net::resolve("localhost", 8080);
//   // e.g. {127.0.0.1:8080, [::1]:8080}
//   auto one = mco::net::resolve_host_port("example.com:443");
//
// Numeric hosts are answered without a lookup. Failures are NotFound
// ("lookup nosuch.invalid: Name or service not known") or Unavailable for
// temporary failures. A lookup honours cancellation (throws mco::Cancelled)
// and the deadline of the `_until` form (DeadlineExceeded); an abandoned
// lookup finishes in the background.

#ifndef MCO_STDLIB_NET_DNS_H_
#define MCO_STDLIB_NET_DNS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "mco/net/address.h"
#include "mco/time/instant.h"

namespace mco::net {

// resolve()
//
// The addresses of `host` (IPv4 first, then IPv6, duplicates removed), each
// with `port`.
absl::StatusOr<std::vector<SocketAddress>> resolve(std::string_view host,
                                                   uint16_t port = 0);
absl::StatusOr<std::vector<SocketAddress>> resolve_until(
    std::string_view host, uint16_t port, time::Instant deadline);

// resolve_host_port()
//
// `resolve` of "host:port".
absl::StatusOr<std::vector<SocketAddress>> resolve_host_port(
    std::string_view host_port, time::Instant deadline = {});

}  // namespace mco::net

#endif  // MCO_STDLIB_NET_DNS_H_
