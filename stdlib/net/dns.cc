// Copyright 2026 The mco Authors.

#include "mco/net/dns.h"

#include <netdb.h>
#include <uv.h>

#include <algorithm>
#include <string>

#include "runtime/cancelled.h"
#include "runtime/uv_call.h"
#include "stdlib/net/io_internal.h"

namespace mco::net {

namespace {

// The lookup itself, on libuv's thread pool (below).
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

absl::Status lookup_error(const std::string& host, int uv_error) {
  const std::string msg = "lookup " + host + ": " + uv_strerror(uv_error);
  switch (uv_error) {
    case UV_EAI_NONAME:
    case UV_EAI_NODATA:
      return absl::NotFoundError(msg);
    case UV_EAI_AGAIN:
      return absl::UnavailableError(msg);
    case UV_EAI_MEMORY:
      return absl::ResourceExhaustedError(msg);
    default:
      return absl::UnknownError(msg);
  }
}

absl::StatusOr<std::vector<SocketAddress>> lookup(const std::string& host,
                                                  uint16_t port,
                                                  rt::Nanos deadline) {
  rt::UvResult r = rt::uv_call(
      [host](const rt::UvIssue& is) {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;  // one entry per address
        return uv_getaddrinfo(is.loop, &is.req->getaddrinfo, is.getaddrinfo_cb,
                              host.c_str(), nullptr, &hints);
      },
      [](rt::UvReq&, int64_t) {}, deadline);
  if (r.reason() == rt::WakeReason::kCancelled) throw Cancelled();
  if (!r.done()) return internal::timeout_error("lookup", host);
  if (r.result() < 0) return lookup_error(host, static_cast<int>(r.result()));
  std::vector<SocketAddress> v4, v6;
  for (addrinfo* ai = r.req().getaddrinfo.addrinfo; ai != nullptr;
       ai = ai->ai_next) {
    SocketAddress a = SocketAddress::from_sockaddr(ai->ai_addr, ai->ai_addrlen)
                          .with_port(port);
    auto& out = a.is_ipv4() ? v4 : v6;
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  v4.insert(v4.end(), v6.begin(), v6.end());
  if (v4.empty()) return lookup_error(host, UV_EAI_NODATA);
  return v4;
}

}  // namespace

}  // namespace mco::net
