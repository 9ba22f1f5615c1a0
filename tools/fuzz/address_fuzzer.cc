// Copyright 2026 The mco Authors.
//
// Fuzzes the address parsers of stdlib/net/address.h with arbitrary text:
// `split_host_port`, `SocketAddress::parse` and `SocketAddress::unix_path`.
//
// Invariants checked beyond "no crash, no sanitizer report":
//  - split/join: what `split_host_port` accepts, `join_host_port` writes so
//    that splitting it again gives the same host and port.
//  - `parse` accepts only what `split_host_port` accepts, with the same
//    port, and only numeric hosts (hex digits, '.', ':'); its address
//    prints (`to_string`) as text that parses back to the same address.
//  - `unix_path`: an accepted path reads back unchanged (`path()`), and the
//    address survives a trip through `from_sockaddr`.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mco/net/address.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

using mco::net::join_host_port;
using mco::net::SocketAddress;
using mco::net::split_host_port;

bool is_numeric_host_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F') || c == '.' || c == ':';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const auto hp = split_host_port(text);
  if (hp.ok()) {
    const std::string joined = join_host_port(hp->first, hp->second);
    const auto again = split_host_port(joined);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->first == hp->first && again->second == hp->second);
  }

  const auto addr = SocketAddress::parse(text);
  if (addr.ok()) {
    FUZZ_CHECK(hp.ok());
    FUZZ_CHECK(addr->is_ipv4() || addr->is_ipv6());
    FUZZ_CHECK(addr->port() == hp->second);
    for (char c : hp->first) FUZZ_CHECK(is_numeric_host_char(c));
    const auto again = SocketAddress::parse(addr->to_string());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *addr);
  }

  const auto unix_addr = SocketAddress::unix_path(text);
  if (unix_addr.ok()) {
    FUZZ_CHECK(unix_addr->is_unix());
    FUZZ_CHECK(unix_addr->path() == text);
    const SocketAddress copy = SocketAddress::from_sockaddr(
        unix_addr->sockaddr_ptr(), unix_addr->size());
    FUZZ_CHECK(copy == *unix_addr);
  }
  return 0;
}
