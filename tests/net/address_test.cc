// Copyright 2026 The mco Authors.

#include "mco/net/address.h"

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

TEST(SocketAddress, EmptyByDefault) {
  SocketAddress a;
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.to_string(), "");
}

}  // namespace
}  // namespace mco::net
