// Copyright 2026 The mco Authors.
//
// Conn (conn.h): its default methods over a fake connection, and TCP streams
// used only through the interface.

#include "mco/net/conn.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/net/tcp.h"
#include "mco/time/instant.h"
#include "tests/test_util.h"

namespace mco::net {
namespace {

using mco_test::WorkersTest;
using time::Instant;
using time::Millisecond;

// A connection that reads from a script and writes at most `chunk` bytes
// per call, so the default loops have to go round.
class FakeConn : public Conn {
 public:
  explicit FakeConn(std::string input, size_t chunk)
      : input_(std::move(input)), chunk_(chunk) {}

  absl::StatusOr<size_t> read(void* buf, size_t len) override {
    size_t n = std::min({len, chunk_, input_.size() - pos_});
    input_.copy(static_cast<char*>(buf), n, pos_);
    pos_ += n;
    return n;
  }
  absl::StatusOr<size_t> write(const void* buf, size_t len) override {
    if (fail_after_ >= 0 && static_cast<int>(output.size()) >= fail_after_) {
      return absl::UnavailableError("write: broken pipe");
    }
    size_t n = std::min(len, chunk_);
    output.append(static_cast<const char*>(buf), n);
    ++writes;
    return n;
  }
  absl::Status close_write() override { return absl::OkStatus(); }
  absl::Status close() override { return absl::OkStatus(); }
  void set_read_deadline(Instant t) override { read_deadline = t; }
  void set_write_deadline(Instant t) override { write_deadline = t; }
  absl::StatusOr<SocketAddress> local_address() const override {
    return SocketAddress::parse("127.0.0.1:1");
  }
  absl::StatusOr<SocketAddress> peer_address() const override {
    return SocketAddress::parse("127.0.0.1:2");
  }

  std::string output;
  int writes = 0;
  int fail_after_ = -1;
  Instant read_deadline, write_deadline;

 private:
  std::string input_;
  size_t pos_ = 0;
  size_t chunk_;
};

TEST(ConnDefaults, WriteAllLoopsOverShortWrites) {
  FakeConn c("", 3);
  ASSERT_TRUE(c.write_all("hello, world").ok());
  EXPECT_EQ(c.output, "hello, world");
  EXPECT_EQ(c.writes, 4);
}

TEST(ConnDefaults, WriteVectoredKeepsOrder) {
  FakeConn c("", 2);
  ASSERT_TRUE(c.write_vectored({"GET ", "", "/ HTTP/1.1", "\r\n"}).ok());
  EXPECT_EQ(c.output, "GET / HTTP/1.1\r\n");
}

TEST(ConnDefaults, WriteAllStopsAtTheFirstError) {
  FakeConn c("", 4);
  c.fail_after_ = 8;
  absl::Status st = c.write_all("0123456789abcdef");
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(c.output, "01234567");
}

TEST(ConnDefaults, ReadExactAndUnexpectedEof) {
  FakeConn c("abcdefg", 2);
  char buf[8] = {};
  ASSERT_TRUE(c.read_exact(buf, 5).ok());
  EXPECT_EQ(std::string(buf, 5), "abcde");
  absl::Status st = c.read_exact(buf, 5);
  EXPECT_EQ(st.code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(st.message().find("unexpected EOF after 2 of 5"), std::string::npos)
      << st;
  EXPECT_EQ(std::string(buf, 2), "fg");
}

TEST(ConnDefaults, SetDeadlineSetsBoth) {
  FakeConn c("", 1);
  Instant t = Instant::now() + 5 * Millisecond;
  c.set_deadline(t);
  EXPECT_EQ(c.read_deadline, t);
  EXPECT_EQ(c.write_deadline, t);
}

class ConnTcpTest : public WorkersTest {};

// A TCP stream used only as a Conn: echo, half-close, deadline, close.
TEST_P(ConnTcpTest, TcpStreamThroughTheInterface) {
  on_scheduler([] {
    auto ln = TcpListener::bind("127.0.0.1:0");
    ASSERT_TRUE(ln.ok()) << ln.status();
    auto server = go([&] {
      auto accepted = ln->accept();
      ASSERT_TRUE(accepted.ok()) << accepted.status();
      std::unique_ptr<Conn> c =
          std::make_unique<TcpStream>(std::move(*accepted));
      char buf[64];
      std::string got;
      for (;;) {  // echo until the client's close_write
        auto n = c->read(buf, sizeof buf);
        ASSERT_TRUE(n.ok()) << n.status();
        if (*n == 0) break;
        got.append(buf, *n);
      }
      ASSERT_TRUE(c->write_all(got).ok());
      ASSERT_TRUE(c->close().ok());
      EXPECT_EQ(c->close().code(), absl::StatusCode::kFailedPrecondition);
    });
    auto dialed = TcpStream::connect(ln->local_address()->to_string());
    ASSERT_TRUE(dialed.ok()) << dialed.status();
    std::unique_ptr<Conn> c = std::make_unique<TcpStream>(std::move(*dialed));
    EXPECT_EQ(c->peer_address()->to_string(), ln->local_address()->to_string());
    EXPECT_TRUE(c->local_address().ok());
    ASSERT_TRUE(c->write_vectored({"ping ", "pong"}).ok());
    ASSERT_TRUE(c->close_write().ok());
    char buf[9];
    ASSERT_TRUE(c->read_exact(buf, 9).ok());
    EXPECT_EQ(std::string(buf, 9), "ping pong");
    char more;
    auto n = c->read(&more, 1);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, 0u);
    server.join();
  });
}

TEST_P(ConnTcpTest, ReadDeadlineThroughTheInterface) {
  on_scheduler([] {
    auto ln = TcpListener::bind("127.0.0.1:0");
    ASSERT_TRUE(ln.ok()) << ln.status();
    auto dialed = TcpStream::connect(ln->local_address()->to_string());
    ASSERT_TRUE(dialed.ok()) << dialed.status();
    auto accepted = ln->accept();  // kept open, never writes
    ASSERT_TRUE(accepted.ok());
    Conn& c = *dialed;
    c.set_deadline(Instant::now() + 20 * Millisecond);
    char b;
    auto n = c.read(&b, 1);
    EXPECT_EQ(n.status().code(), absl::StatusCode::kDeadlineExceeded);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, ConnTcpTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace mco::net
