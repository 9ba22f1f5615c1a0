// Copyright 2026 The mco Authors.
//
// End-to-end tests of mco/redis/connection.h against a real redis-server
// (started by each test, see redis_server.h), with 1 and 2 workers:
// handshake (RESP3, RESP2 by option and by fallback, AUTH, SELECT, client
// name, Unix socket), replies of every common type, pipelining of 10,000
// commands, deadlines, cancellation, and hostile servers.

#include "mco/redis/connection.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/net/tcp.h"
#include "mco/redis/error.h"
#include "tests/redis/redis_server.h"
#include "tests/test_util.h"

namespace mco::redis {
namespace {

using mco::time::Instant;
using mco::time::Millisecond;
using mco::time::Second;

class ConnectionTest : public mco_test::WorkersTest {};

Options options_for(const mco_test::RedisServer& s) {
  Options o;
  o.address = s.address();
  return o;
}

TEST_P(ConnectionTest, Resp3HandshakeAndCommands) {
  mco_test::RedisServer server;
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    Options o = options_for(server);
    o.client_name = "mco-test";
    auto c = Connection::connect(o);
    ASSERT_TRUE(c.ok()) << c.status();
    Connection& conn = **c;
    EXPECT_EQ(conn.protocol(), 3);
    auto set = conn.command({"SET", "k", "v"});
    ASSERT_TRUE(set.ok()) << set.status();
    EXPECT_EQ(*set, Reply::simple_string("OK"));
    auto get = conn.command({"GET", "k"});
    ASSERT_TRUE(get.ok());
    EXPECT_EQ(*get, Reply::bulk_string("v"));
    auto missing = conn.command({"GET", "nope"});
    ASSERT_TRUE(missing.ok());
    EXPECT_TRUE(missing->is_null());
    auto name = conn.command({"CLIENT", "GETNAME"});
    ASSERT_TRUE(name.ok());
    EXPECT_EQ(name->str(), "mco-test");
    // RESP3 types: a map, a set, a double.
    ASSERT_TRUE(conn.command({"HSET", "h", "f", "1"}).ok());
    auto h = conn.command({"HGETALL", "h"});
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->type(), ReplyType::kMap) << h->to_string();
    ASSERT_TRUE(conn.command({"SADD", "s", "m"}).ok());
    auto s = conn.command({"SMEMBERS", "s"});
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->type(), ReplyType::kSet);
    ASSERT_TRUE(conn.command({"ZADD", "z", "1.5", "m"}).ok());
    auto score = conn.command({"ZSCORE", "z", "m"});
    ASSERT_TRUE(score.ok());
    EXPECT_EQ(*score, Reply::dbl(1.5));
    // A server error is a reply; the connection stays usable.
    auto bad = conn.command({"INCR", "k"});
    ASSERT_TRUE(bad.ok());
    EXPECT_TRUE(bad->is_error());
    EXPECT_EQ(bad->str().rfind("ERR", 0), 0u) << bad->str();
    absl::Status st = server_error(*bad);
    EXPECT_TRUE(is_server_error(st));
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    auto wrongtype = conn.command({"LPUSH", "k", "x"});
    ASSERT_TRUE(wrongtype.ok());
    EXPECT_EQ(server_error(*wrongtype).code(),
              absl::StatusCode::kFailedPrecondition);
    EXPECT_FALSE(conn.broken());
    // Binary-safe values.
    const std::string binary("a\r\n\0b", 5);
    ASSERT_TRUE(conn.command({"SET", "bin", binary}).ok());
    auto back = conn.command({"GET", "bin"});
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->str(), binary);
  });
}

TEST_P(ConnectionTest, Resp2ByOption) {
  mco_test::RedisServer server;
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    Options o = options_for(server);
    o.protocol = 2;
    o.client_name = "two";
    auto c = Connection::connect(o);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ((*c)->protocol(), 2);
    ASSERT_TRUE((*c)->command({"HSET", "h", "f", "1"}).ok());
    auto h = (*c)->command({"HGETALL", "h"});
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->type(), ReplyType::kArray);  // RESP2 has no maps
    EXPECT_EQ(h->elements().size(), 2u);
    auto hello = (*c)->command({"CLIENT", "INFO"});
    ASSERT_TRUE(hello.ok());
    EXPECT_NE(hello->str().find("resp=2"), std::string::npos);
    EXPECT_NE(hello->str().find("name=two"), std::string::npos);
  });
}

// A server that refuses HELLO (as Redis 5 does): the client falls back to
// RESP2 and still logs in with AUTH.
TEST_P(ConnectionTest, Resp2FallbackWhenHelloIsRefused) {
  mco_test::RedisServer server(
      {"--rename-command", "HELLO", "", "--requirepass", "pw"});
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    Options o = options_for(server);
    o.password = "pw";
    o.client_name = "fallback";
    auto c = Connection::connect(o);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ((*c)->protocol(), 2);
    auto info = (*c)->command({"CLIENT", "INFO"});
    ASSERT_TRUE(info.ok());
    EXPECT_NE(info->str().find("resp=2"), std::string::npos);
    EXPECT_NE(info->str().find("name=fallback"), std::string::npos);
    o.password = "wrong";
    auto bad = Connection::connect(o);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kPermissionDenied)
        << bad.status();
  });
}

TEST_P(ConnectionTest, AuthWithRequirepass) {
  mco_test::RedisServer server({"--requirepass", "s3cret"});
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    Options o = options_for(server);
    for (int protocol : {3, 2}) {
      o.protocol = protocol;
      o.password = "";
      auto none = Connection::connect(o);
      if (protocol == 3) {  // HELLO without AUTH is refused
        ASSERT_FALSE(none.ok());
        EXPECT_EQ(none.status().code(), absl::StatusCode::kPermissionDenied);
      } else {  // RESP2 connects; commands are refused
        ASSERT_TRUE(none.ok()) << none.status();
        auto r = (*none)->command({"GET", "k"});
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(server_error(*r).code(), absl::StatusCode::kPermissionDenied);
      }
      o.password = "wrong";
      auto wrong = Connection::connect(o);
      ASSERT_FALSE(wrong.ok());
      EXPECT_EQ(wrong.status().code(), absl::StatusCode::kPermissionDenied);
      EXPECT_NE(wrong.status().message().find("WRONGPASS"), std::string::npos)
          << wrong.status();
      o.password = "s3cret";
      auto right = Connection::connect(o);
      ASSERT_TRUE(right.ok()) << right.status();
      EXPECT_EQ((*right)->protocol(), protocol);
      auto ping = (*right)->command({"PING"});
      ASSERT_TRUE(ping.ok());
      EXPECT_EQ(ping->str(), "PONG");
      // The same with an ACL user name.
      o.username = "default";
      auto named = Connection::connect(o);
      ASSERT_TRUE(named.ok()) << named.status();
      o.username = "";
    }
  });
}

TEST_P(ConnectionTest, SelectDbAndUnixSocket) {
  mco_test::RedisServer server;
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    Options o = options_for(server);
    o.db = 3;
    auto c3 = Connection::connect(o);
    ASSERT_TRUE(c3.ok()) << c3.status();
    ASSERT_TRUE((*c3)->command({"SET", "where", "three"}).ok());
    o.db = 0;
    o.address = server.unix_address();
    auto c0 = Connection::connect(o);
    ASSERT_TRUE(c0.ok()) << c0.status();
    auto r = (*c0)->command({"GET", "where"});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->is_null());  // another database
    ASSERT_TRUE((*c0)->command({"SELECT", "3"}).ok());
    r = (*c0)->command({"GET", "where"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->str(), "three");
    auto peer = (*c0)->conn().peer_address();
    ASSERT_TRUE(peer.ok());
  });
}

TEST_P(ConnectionTest, PipelineOfTenThousandCommands) {
  mco_test::RedisServer server;
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    auto c = Connection::connect(options_for(server));
    ASSERT_TRUE(c.ok());
    constexpr int kN = 10000;
    Pipeline p;
    std::vector<std::string> keys;
    for (int i = 0; i < kN; ++i) keys.push_back(absl::StrCat("key:", i));
    for (int i = 0; i < kN; ++i) {
      if (i % 2 == 0) {
        p.add({"INCR", "counter"});
      } else {
        p.add({"SET", keys[i], keys[i]});
      }
    }
    p.add({"INCR", "not a", "command"});  // one error among them
    for (int i = 1; i < kN; i += 2) p.add({"GET", keys[i]});
    ASSERT_EQ(p.size(), static_cast<size_t>(kN + 1 + kN / 2));
    auto replies = (*c)->exec(p);
    ASSERT_TRUE(replies.ok()) << replies.status();
    ASSERT_EQ(replies->size(), p.size());
    int64_t counter = 0;
    for (int i = 0; i < kN; ++i) {
      const Reply& r = (*replies)[i];
      if (i % 2 == 0) {
        ASSERT_EQ(r, Reply::integer(++counter)) << i;
      } else {
        ASSERT_EQ(r.str(), "OK") << i;
      }
    }
    EXPECT_TRUE((*replies)[kN].is_error());
    for (int i = 1, j = kN + 1; i < kN; i += 2, ++j) {
      ASSERT_EQ((*replies)[j].str(), keys[i]);
    }
    // The connection is in step afterwards.
    auto after = (*c)->command({"GET", "counter"});
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->str(), std::to_string(kN / 2));
  });
}

TEST_P(ConnectionTest, DeadlineBreaksTheConnection) {
  mco_test::RedisServer server;
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    auto c = Connection::connect(options_for(server));
    ASSERT_TRUE(c.ok());
    const Instant start = Instant::now();
    auto r = (*c)->command({"BLPOP", "empty", "0"}, start + 100 * Millisecond);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded)
        << r.status();
    EXPECT_GE(start.elapsed(), 100 * Millisecond);
    EXPECT_LT(start.elapsed(), 5 * Second);
    EXPECT_TRUE((*c)->broken());  // its BLPOP reply would still come
    auto later = (*c)->command({"PING"});
    ASSERT_FALSE(later.ok());
    EXPECT_EQ(later.status().code(), absl::StatusCode::kFailedPrecondition);
    // Options::command_timeout applies when a call has no deadline.
    Options o = options_for(server);
    o.command_timeout = 50 * Millisecond;
    auto t = Connection::connect(o);
    ASSERT_TRUE(t.ok());
    EXPECT_TRUE((*t)->command({"PING"}).ok());
    auto blocked = (*t)->command({"BLPOP", "empty", "0"});
    EXPECT_EQ(blocked.status().code(), absl::StatusCode::kDeadlineExceeded);
  });
}

TEST_P(ConnectionTest, CancelledCallBreaksTheConnection) {
  mco_test::RedisServer server;
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    auto c = Connection::connect(options_for(server));
    ASSERT_TRUE(c.ok());
    Connection* conn = c->get();
    mco_test::Event started;
    auto h = mco::go([&] {
      started.set();
      (void)conn->command({"BLPOP", "empty", "0"});
      ADD_FAILURE() << "BLPOP returned";
    });
    started.wait();
    // Let the coroutine reach its read: its BLPOP is on the server once
    // CLIENT LIST shows a second client blocked.
    auto watcher = Connection::connect(options_for(server));
    ASSERT_TRUE(watcher.ok());
    ASSERT_TRUE(mco_test::poll_until([&] {
      auto list = (*watcher)->command({"CLIENT", "LIST"});
      return list.ok() && list->str().find("cmd=blpop") != std::string::npos;
    }));
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    EXPECT_TRUE(conn->broken());
    EXPECT_EQ(conn->command({"PING"}).status().code(),
              absl::StatusCode::kFailedPrecondition);
  });
}

TEST_P(ConnectionTest, WorksFromAPlainThread) {
  mco_test::RedisServer server;
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    // The coroutine parks on `done` rather than blocking its worker in
    // join(): with one worker, that worker also runs the I/O poller.
    absl::Status result = absl::UnknownError("not run");
    mco_test::Event done;
    std::thread t([&] {
      struct Signal {
        mco_test::Event& e;
        ~Signal() { e.set(); }
      } signal{done};
      auto c = Connection::connect(options_for(server));
      if (!c.ok()) {
        result = c.status();
        return;
      }
      auto r = (*c)->command({"SET", "from", "thread"});
      auto g = (*c)->command({"GET", "from"});
      result = g.ok() && g->str() == "thread" ? absl::OkStatus()
                                              : absl::InternalError("bad");
    });
    done.wait();
    t.join();
    EXPECT_TRUE(result.ok()) << result;
  });
}

// A fake server that answers with garbage: a protocol error, the
// connection is broken, nothing crashes.
TEST_P(ConnectionTest, HostileServer) {
  on_scheduler([&] {
    auto ln = net::TcpListener::bind("127.0.0.1:0");
    ASSERT_TRUE(ln.ok());
    auto addr = ln->local_address();
    ASSERT_TRUE(addr.ok());
    const std::vector<std::string> answers = {
        "?what\r\n", "$99999999999\r\n", ":12x\r\n", "$3\r\nabcde\r\n",
        "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n"};
    auto h = mco::go([&] {
      for (size_t i = 0; i < answers.size(); ++i) {
        auto s = ln->accept();
        if (!s.ok()) return;
        char buf[256];
        (void)s->read(buf, sizeof buf);
        (void)s->write_all(answers[i]);
        (void)s->read(buf, sizeof buf);  // until the client closes
      }
    });
    Options o;
    o.address = addr->to_string();
    o.protocol = 2;  // no handshake: the first command meets the answer
    o.parser.max_depth = 8;
    for (size_t i = 0; i < answers.size(); ++i) {
      auto c = Connection::connect(o);
      ASSERT_TRUE(c.ok()) << c.status();
      auto r = (*c)->command({"PING"});
      ASSERT_FALSE(r.ok()) << answers[i];
      EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument)
          << r.status();
      EXPECT_NE(r.status().message().find("redis: protocol error"),
                std::string::npos);
      EXPECT_TRUE((*c)->broken());
    }
    h.join();
  });
}

// A stream wrapper, as a TLS dialer would return: it forwards to the
// stream underneath and counts the bytes each way.
class CountingConn : public net::Conn {
 public:
  explicit CountingConn(std::unique_ptr<net::Conn> inner)
      : inner_(std::move(inner)) {}
  absl::StatusOr<size_t> read(void* buf, size_t len) override {
    auto n = inner_->read(buf, len);
    if (n.ok()) read_ += *n;
    return n;
  }
  absl::StatusOr<size_t> write(const void* buf, size_t len) override {
    auto n = inner_->write(buf, len);
    if (n.ok()) written_ += *n;
    return n;
  }
  absl::Status close_write() override { return inner_->close_write(); }
  absl::Status close() override { return inner_->close(); }
  void set_read_deadline(time::Instant t) override {
    inner_->set_read_deadline(t);
  }
  void set_write_deadline(time::Instant t) override {
    inner_->set_write_deadline(t);
  }
  absl::StatusOr<net::SocketAddress> local_address() const override {
    return inner_->local_address();
  }
  absl::StatusOr<net::SocketAddress> peer_address() const override {
    return inner_->peer_address();
  }
  std::atomic<size_t> read_{0}, written_{0};

 private:
  std::unique_ptr<net::Conn> inner_;
};

TEST_P(ConnectionTest, DialHookWrapsTheStream) {
  mco_test::RedisServer server;
  ASSERT_TRUE(server.ready());
  on_scheduler([&] {
    Options o = options_for(server);
    CountingConn* wrapper = nullptr;
    std::string dialled;
    o.dial =
        [&](std::string_view address,
            Instant deadline) -> absl::StatusOr<std::unique_ptr<net::Conn>> {
      dialled = std::string(address);
      EXPECT_NE(deadline, Instant());  // dial_timeout applies
      auto inner = dial_default(address, deadline);
      if (!inner.ok()) return inner.status();
      auto c = std::make_unique<CountingConn>(std::move(*inner));
      wrapper = c.get();
      return std::unique_ptr<net::Conn>(std::move(c));
    };
    auto c = Connection::connect(o);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(dialled, server.address());
    ASSERT_NE(wrapper, nullptr);
    const size_t before = wrapper->written_;
    auto r = (*c)->command({"ECHO", "through the wrapper"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->str(), "through the wrapper");
    EXPECT_EQ(wrapper->written_ - before,
              encode_command({"ECHO", "through the wrapper"}).size());
    EXPECT_GT(wrapper->read_, 0u);
    EXPECT_TRUE((*c)->looks_alive());  // cannot peek: assumed alive
    // A dialer's error is the connect's error.
    o.dial = [](std::string_view,
                Instant) -> absl::StatusOr<std::unique_ptr<net::Conn>> {
      return absl::UnavailableError("tls: handshake failure");
    };
    auto bad = Connection::connect(o);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().message(), "tls: handshake failure");
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, ConnectionTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace mco::redis
