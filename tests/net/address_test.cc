// Copyright 2026 The mco Authors.

#include "mco/net/address.h"

#include <string>

#include "gtest/gtest.h"

namespace mco::net {
namespace {

TEST(SplitHostPort, GoCases) {
  struct Case {
    const char* in;
    const char* host;
    int port;
  } ok[] = {{"localhost:80", "localhost", 80},
            {"127.0.0.1:8080", "127.0.0.1", 8080},
            {"[::1]:443", "::1", 443},
            {":0", "", 0},
            {"[fe80::1%lo]:65535", "fe80::1%lo", 65535}};
  for (const Case& c : ok) {
    auto hp = split_host_port(c.in);
    ASSERT_TRUE(hp.ok()) << c.in << ": " << hp.status();
    EXPECT_EQ(hp->first, c.host) << c.in;
    EXPECT_EQ(hp->second, c.port) << c.in;
  }
  for (const char* bad : {"localhost", "::1:80", "host:", "host:http",
                          "host:65536", "[::1:80", "h:-1"}) {
    auto hp = split_host_port(bad);
    EXPECT_FALSE(hp.ok()) << bad;
    EXPECT_EQ(hp.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

// Found by tools/fuzz/address_fuzzer.cc: brackets inside the host were kept
// ("[[]:80" gave the host "["), so join_host_port's text did not split back
// to the same host. Go rejects them too.
TEST(SplitHostPort, RejectsStrayBrackets) {
  for (const char* bad :
       {"[[]:80", "[[::1]]:80", "a]:80", "[a]]:80", "a[b:80", "[]]:80"}) {
    auto hp = split_host_port(bad);
    EXPECT_FALSE(hp.ok()) << bad;
    EXPECT_EQ(hp.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(split_host_port("[]:80").ok());  // an empty host, as Go
}

TEST(JoinHostPort, BracketsIpv6) {
  EXPECT_EQ(join_host_port("example.com", 80), "example.com:80");
  EXPECT_EQ(join_host_port("::1", 80), "[::1]:80");
}

TEST(SocketAddress, ParsesAndFormatsIpv4AndIpv6) {
  auto a = SocketAddress::parse("127.0.0.1:8080");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->is_ipv4());
  EXPECT_EQ(a->port(), 8080);
  EXPECT_EQ(a->ip_string(), "127.0.0.1");
  EXPECT_EQ(a->to_string(), "127.0.0.1:8080");
  EXPECT_EQ(a->size(), sizeof(sockaddr_in));

  auto b = SocketAddress::parse("[::1]:9");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->is_ipv6());
  EXPECT_EQ(b->to_string(), "[::1]:9");

  auto any = SocketAddress::parse(":80");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->to_string(), "0.0.0.0:80");

  EXPECT_EQ(a->with_port(1).to_string(), "127.0.0.1:1");
  EXPECT_EQ(*a, *SocketAddress::parse("127.0.0.1:8080"));
  EXPECT_NE(*a, a->with_port(1));
}

TEST(SocketAddress, RejectsNamesAndGarbage) {
  for (const char* bad : {"localhost:80", "1.2.3:80", "1.2.3.4.5:1", "x"}) {
    auto a = SocketAddress::parse(bad);
    EXPECT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

// Found by tools/fuzz/address_fuzzer.cc: the host was handed to inet_pton as
// a C string, so "10.0.0.1\0junk" was taken for 10.0.0.1.
TEST(SocketAddress, RejectsAHostWithNul) {
  using namespace std::string_literals;
  EXPECT_FALSE(SocketAddress::parse("10.0.0.1\0junk:80"s).ok());
  EXPECT_FALSE(SocketAddress::parse("[::1\0]:80"s).ok());
  EXPECT_FALSE(SocketAddress::ip("10.0.0.1\0"s, 80).ok());
}

TEST(SocketAddress, UnixPaths) {
  auto u = SocketAddress::unix_path("/tmp/x.sock");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->is_unix());
  EXPECT_EQ(u->path(), "/tmp/x.sock");
  EXPECT_EQ(u->to_string(), "/tmp/x.sock");
  auto abstract = SocketAddress::unix_path("@mco-test");
  ASSERT_TRUE(abstract.ok());
  EXPECT_EQ(abstract->path(), "@mco-test");
  EXPECT_FALSE(SocketAddress::unix_path("").ok());
  EXPECT_FALSE(SocketAddress::unix_path(std::string(200, 'a')).ok());
}

// Found by tools/fuzz/address_fuzzer.cc: a path with a NUL byte was accepted,
// and the socket would have been bound at the part before the NUL.
TEST(SocketAddress, UnixPathWithNulIsRejected) {
  using namespace std::string_literals;
  const auto bad = SocketAddress::unix_path("/tmp/a\0b.sock"s);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  // An abstract name is all its bytes.
  const std::string name = "@a\0b"s;
  const auto abstract = SocketAddress::unix_path(name);
  ASSERT_TRUE(abstract.ok());
  EXPECT_EQ(abstract->path(), name);
}

TEST(SocketAddress, EmptyByDefault) {
  SocketAddress a;
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.to_string(), "");
}

}  // namespace
}  // namespace mco::net
