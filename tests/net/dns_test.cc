// Copyright 2026 The mco Authors.

#include "mco/net/dns.h"

#include <algorithm>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/net/tcp.h"
#include "tests/test_util.h"

namespace mco::net {
namespace {

using mco_test::WorkersTest;
using time::Instant;
using time::Second;

bool has(const std::vector<SocketAddress>& v, const std::string& s) {
  return std::any_of(v.begin(), v.end(), [&](const SocketAddress& a) {
    return a.to_string() == s;
  });
}

class DnsTest : public WorkersTest {};

TEST_P(DnsTest, LocalhostResolvesToLoopbackIpv4First) {
  on_scheduler([] {
    auto addrs = resolve("localhost", 8080);
    ASSERT_TRUE(addrs.ok()) << addrs.status();
    ASSERT_FALSE(addrs->empty());
    EXPECT_TRUE(has(*addrs, "127.0.0.1:8080"));
    EXPECT_TRUE(addrs->front().is_ipv4());
  });
}

TEST_P(DnsTest, NumericHostsNeedNoLookup) {
  on_scheduler([] {
    auto v4 = resolve_host_port("10.1.2.3:53");
    ASSERT_TRUE(v4.ok());
    ASSERT_EQ(v4->size(), 1u);
    EXPECT_EQ(v4->front().to_string(), "10.1.2.3:53");
    auto v6 = resolve("::1", 80);
    ASSERT_TRUE(v6.ok());
    EXPECT_EQ(v6->front().to_string(), "[::1]:80");
  });
}

TEST_P(DnsTest, UnknownNameIsAClearError) {
  on_scheduler([] {
    auto addrs = resolve("nosuch-host.invalid", 80);
    ASSERT_FALSE(addrs.ok());
    EXPECT_NE(addrs.status().message().find("lookup nosuch-host.invalid"),
              std::string::npos)
        << addrs.status();
    EXPECT_TRUE(absl::IsNotFound(addrs.status()) ||
                absl::IsUnavailable(addrs.status()))
        << addrs.status();
  });
}

TEST_P(DnsTest, ManyConcurrentLookups) {
  on_scheduler([] {
    std::vector<JoinHandle<bool>> hs;
    for (int i = 0; i < 50; ++i) {
      hs.push_back(go([] {
        auto a = resolve("localhost", 1);
        return a.ok() && has(*a, "127.0.0.1:1");
      }));
    }
    for (auto& h : hs) EXPECT_TRUE(h.join());
  });
}

TEST_P(DnsTest, DeadlineAndCancellation) {
  on_scheduler([] {
    auto late = resolve_until("localhost", 1, Instant::now() - Second);
    EXPECT_EQ(late.status().code(), absl::StatusCode::kDeadlineExceeded);
    auto h = go([] { (void)resolve("localhost", 1); });
    h.cancel();
    EXPECT_THROW(h.join(), Cancelled);
  });
}

TEST_P(DnsTest, ConnectByHostName) {
  on_scheduler([] {
    auto ln = TcpListener::bind("localhost:0");
    ASSERT_TRUE(ln.ok()) << ln.status();
    const uint16_t port = ln->local_address()->port();
    auto c =
        TcpStream::connect("localhost:" + std::to_string(port), 5 * Second);
    ASSERT_TRUE(c.ok()) << c.status();
    auto s = ln->accept();
    ASSERT_TRUE(s.ok());
  });
}

TEST_P(DnsTest, PlainThreadLookup) {
  on_scheduler([] {
    bool ok = false;
    mco_test::Event finished;
    std::thread t([&] {
      auto a = resolve("localhost", 2);
      ok = a.ok() && has(*a, "127.0.0.1:2");
      finished.set();
    });
    finished.wait();
    t.join();
    EXPECT_TRUE(ok);
  });
}

TEST(DnsWithoutScheduler, BlocksTheThread) {
  auto a = resolve("localhost", 3);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(has(*a, "127.0.0.1:3"));
}

INSTANTIATE_TEST_SUITE_P(Workers, DnsTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace mco::net
