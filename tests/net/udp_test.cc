// Copyright 2026 The mco Authors.

#include "mco/net/udp.h"

#include <string>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/time/instant.h"
#include "tests/test_util.h"

namespace mco::net {
namespace {

using mco_test::scaled;
using mco_test::WorkersTest;
using time::Instant;
using time::Millisecond;

class UdpTest : public WorkersTest {};

TEST_P(UdpTest, RoundTripThroughAnEchoingCoroutine) {
  on_scheduler([] {
    auto server = UdpSocket::bind("127.0.0.1:0");
    ASSERT_TRUE(server.ok()) << server.status();
    const SocketAddress addr = *server->local_address();
    const int kDatagrams = scaled(500);
    auto echo = go([&] {
      char buf[2048];
      for (int i = 0; i < kDatagrams; ++i) {
        SocketAddress from;
        auto n = server->receive_from(buf, sizeof buf, &from);
        ASSERT_TRUE(n.ok()) << n.status();
        ASSERT_TRUE(server->send_to(buf, *n, from).ok());
      }
    });
    auto client = UdpSocket::connect(addr);
    ASSERT_TRUE(client.ok()) << client.status();
    EXPECT_EQ(*client->peer_address(), addr);
    for (int i = 0; i < kDatagrams; ++i) {
      const std::string msg = "datagram " + std::to_string(i);
      ASSERT_TRUE(client->send(msg).ok());
      char buf[2048];
      auto n = client->receive(buf, sizeof buf);
      ASSERT_TRUE(n.ok()) << n.status();
      ASSERT_EQ(std::string(buf, *n), msg);  // one datagram per call
    }
    echo.join();
  });
}

TEST_P(UdpTest, ReceiveDeadlineAndClose) {
  on_scheduler([] {
    auto s = UdpSocket::bind("127.0.0.1:0");
    ASSERT_TRUE(s.ok());
    s->set_read_deadline(Instant::now() + 20 * Millisecond);
    char buf[16];
    EXPECT_EQ(s->receive_from(buf, sizeof buf, nullptr).status().code(),
              absl::StatusCode::kDeadlineExceeded);
    s->set_read_deadline(Instant());
    auto blocked =
        go([&] { return s->receive_from(buf, sizeof buf, nullptr).status(); });
    ASSERT_TRUE(s->close().ok());
    EXPECT_EQ(blocked.join().code(), absl::StatusCode::kFailedPrecondition);
  });
}

TEST_P(UdpTest, CancelWhileReceiving) {
  on_scheduler([] {
    auto s = UdpSocket::bind("127.0.0.1:0");
    ASSERT_TRUE(s.ok());
    auto h = go([&] {
      char buf[16];
      (void)s->receive_from(buf, sizeof buf, nullptr);
    });
    h.cancel();
    EXPECT_THROW(h.join(), Cancelled);
  });
}

TEST_P(UdpTest, ConnectedSocketSeesPortUnreachable) {
  on_scheduler([] {
    SocketAddress gone;
    {
      auto s = UdpSocket::bind("127.0.0.1:0");
      ASSERT_TRUE(s.ok());
      gone = *s->local_address();
    }
    auto c = UdpSocket::connect(gone);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c->send("x").ok());
    // The ICMP error arrives asynchronously; the receive reports it.
    c->set_read_deadline(Instant::now() + 2000 * Millisecond);
    char buf[4];
    auto n = c->receive(buf, sizeof buf);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.status().code(), absl::StatusCode::kUnavailable) << n.status();
  });
}

TEST(UdpErrors, BadAddresses) {
  EXPECT_EQ(UdpSocket::bind("127.0.0.1").status().code(),
            absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Workers, UdpTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace mco::net
