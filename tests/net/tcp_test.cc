// Copyright 2026 The mco Authors.

#include "mco/net/tcp.h"

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/sync/wait_group.h"
#include "mco/time/instant.h"
#include "mco/util/defer.h"
#include "tests/test_util.h"

namespace mco::net {
namespace {

using mco_test::scaled;
using mco_test::WorkersTest;
using time::Instant;
using time::Millisecond;
using time::Second;

int open_fds() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

TcpListener listen_loopback() {
  auto ln = TcpListener::bind("127.0.0.1:0");
  EXPECT_TRUE(ln.ok()) << ln.status();
  return std::move(*ln);
}

std::string address_of(const TcpListener& ln) {
  return ln.local_address()->to_string();
}

// Echoes every connection until the listener is closed.
JoinHandle<void> echo_server(TcpListener& ln) {
  return go([&ln] {
    for (;;) {
      auto conn = ln.accept();
      if (!conn.ok()) return;
      go([c = std::move(*conn)]() mutable {
        char buf[4096];
        for (;;) {
          auto n = c.read(buf, sizeof buf);
          if (!n.ok() || *n == 0) return;
          if (!c.write_all(buf, *n).ok()) return;
        }
      }).detach();
    }
  });
}

class TcpTest : public WorkersTest {};

TEST_P(TcpTest, EchoRoundTrip) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = echo_server(ln);
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok()) << c.status();
    ASSERT_TRUE(c->write_all("hello, mco").ok());
    char buf[10];
    ASSERT_TRUE(c->read_exact(buf, sizeof buf).ok());
    EXPECT_EQ(std::string(buf, sizeof buf), "hello, mco");
    EXPECT_EQ(c->peer_address()->to_string(), address_of(ln));
    EXPECT_TRUE(c->local_address()->is_ipv4());
    ASSERT_TRUE(ln.close().ok());
    server.join();
  });
}

TEST_P(TcpTest, ManyConcurrentConnections) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = echo_server(ln);
    const std::string addr = address_of(ln);
    const int kConns = scaled(200);
    const int kMessages = 20;
    std::atomic<int64_t> echoed{0};
    sync::WaitGroup wg;
    for (int i = 0; i < kConns; ++i) {
      wg.add(1);
      go([&, i] {
        MCO_DEFER(wg.done());
        auto c = TcpStream::connect(addr);
        ASSERT_TRUE(c.ok()) << c.status();
        for (int m = 0; m < kMessages; ++m) {
          const std::string msg =
              "conn " + std::to_string(i) + " msg " + std::to_string(m);
          ASSERT_TRUE(c->write_all(msg).ok());
          std::string back(msg.size(), '\0');
          ASSERT_TRUE(c->read_exact(back.data(), back.size()).ok());
          ASSERT_EQ(back, msg);
          echoed.fetch_add(1);
        }
      }).detach();
    }
    wg.wait();
    EXPECT_EQ(echoed.load(), int64_t{kConns} * kMessages);
    ln.close().IgnoreError();
    server.join();
  });
}

TEST_P(TcpTest, HalfCloseDeliversEofAndKeepsTheOtherDirection) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = go([&] {
      auto c = ln.accept();
      ASSERT_TRUE(c.ok());
      std::string got;
      char buf[256];
      for (;;) {
        auto n = c->read(buf, sizeof buf);
        ASSERT_TRUE(n.ok()) << n.status();
        if (*n == 0) break;  // the client's write side is shut
        got.append(buf, *n);
      }
      ASSERT_TRUE(c->write_all("got " + std::to_string(got.size())).ok());
    });
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c->write_all(std::string(1000, 'x')).ok());
    ASSERT_TRUE(c->shutdown(ShutdownHow::kWrite).ok());
    std::string reply;
    char buf[64];
    for (;;) {
      auto n = c->read(buf, sizeof buf);
      ASSERT_TRUE(n.ok());
      if (*n == 0) break;
      reply.append(buf, *n);
    }
    EXPECT_EQ(reply, "got 1000");
    server.join();
  });
}

// A read that empties the socket marks it drained and the next read may
// wait for an edge instead of calling recv (netpoll.h, poll_begin_read). End
// of stream that arrived together with the data must still be read at once:
// the reads here end within their deadline, they do not wait for an edge
// that will never come.
TEST_P(TcpTest, EofThatCameWithTheDataIsReadAfterAShortRead) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = go([&] {
      auto c = ln.accept();
      ASSERT_TRUE(c.ok());
      ASSERT_TRUE(c->write_all("abc").ok());
      EXPECT_TRUE(c->close().ok());  // data and FIN travel together
    });
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    server.join();  // both are in our receive buffer now (loopback)
    c->set_read_deadline(Instant::now() + 10 * Second);
    char buf[64];
    std::string got;
    for (;;) {
      auto n = c->read(buf, sizeof buf);
      ASSERT_TRUE(n.ok()) << n.status();
      if (*n == 0) break;
      got.append(buf, *n);
    }
    EXPECT_EQ(got, "abc");
    // Request/response rounds, each read short: the skipped recv must never
    // lose a reply.
    auto echo = go([&] {
      auto s = ln.accept();
      ASSERT_TRUE(s.ok());
      char b[64];
      for (;;) {
        auto n = s->read(b, sizeof b);
        ASSERT_TRUE(n.ok());
        if (*n == 0) return;
        ASSERT_TRUE(s->write_all(std::string(b, *n)).ok());
      }
    });
    auto d = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(d.ok());
    d->set_read_deadline(Instant::now() + 10 * Second);
    for (int i = 0; i < 2000; ++i) {
      const std::string msg = "m" + std::to_string(i);
      ASSERT_TRUE(d->write_all(msg).ok());
      std::string reply(msg.size(), '\0');
      ASSERT_TRUE(d->read_exact(reply.data(), reply.size()).ok()) << i;
      ASSERT_EQ(reply, msg);
    }
    ASSERT_TRUE(d->shutdown(ShutdownHow::kWrite).ok());
    echo.join();
  });
}

TEST_P(TcpTest, ConnectRefusedNamesTheAddress) {
  on_scheduler([] {
    std::string addr;
    {
      TcpListener ln = listen_loopback();
      addr = address_of(ln);
    }  // closed: nothing listens there now
    auto c = TcpStream::connect(addr);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_NE(c.status().message().find("connect " + addr), std::string::npos)
        << c.status();
    EXPECT_NE(c.status().message().find("refused"), std::string::npos)
        << c.status();
  });
}

TEST_P(TcpTest, PeerResetIsAnErrorNotACrash) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = go([&] {
      auto c = ln.accept();
      ASSERT_TRUE(c.ok());
      char buf[4];
      ASSERT_TRUE(c->read_exact(buf, 4).ok());
      // Linger 0: close sends RST instead of FIN.
      linger l{1, 0};
      setsockopt(c->fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
      ASSERT_TRUE(c->close().ok());
    });
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c->write_all("ping").ok());
    server.join();
    char buf[16];
    auto n = c->read(buf, sizeof buf);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.status().code(), absl::StatusCode::kUnavailable) << n.status();
    EXPECT_NE(n.status().message().find("reset"), std::string::npos)
        << n.status();
    // Writing to the reset connection fails too, without SIGPIPE.
    absl::Status st;
    for (int i = 0; i < 10 && st.ok(); ++i) st = c->write_all("more");
    EXPECT_FALSE(st.ok());
  });
}

TEST_P(TcpTest, ReadDeadlineTimesOutAndCanBeCleared) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = echo_server(ln);
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    const Instant start = Instant::now();
    c->set_read_deadline(start + 30 * Millisecond);
    char buf[8];
    auto n = c->read(buf, sizeof buf);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.status().code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_NE(n.status().message().find("i/o timeout"), std::string::npos);
    EXPECT_GE(Instant::now() - start, 30 * Millisecond);  // never early
    // Still timed out until cleared; then it works again.
    EXPECT_EQ(c->read(buf, sizeof buf).status().code(),
              absl::StatusCode::kDeadlineExceeded);
    c->set_read_deadline(Instant());
    ASSERT_TRUE(c->write_all("abc").ok());
    ASSERT_TRUE(c->read_exact(buf, 3).ok());
    ln.close().IgnoreError();
    server.join();
  });
}

TEST_P(TcpTest, DeadlineSetWhileBlockedWakesTheReader) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = echo_server(ln);
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    auto reader = go([&] {
      char buf[8];
      return c->read(buf, sizeof buf).status();
    });
    // Whether the reader is already parked or not, a past deadline ends it.
    c->set_read_deadline(Instant::now() - Second);
    EXPECT_EQ(reader.join().code(), absl::StatusCode::kDeadlineExceeded);
    ln.close().IgnoreError();
    server.join();
  });
}

TEST_P(TcpTest, AcceptDeadline) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    ln.set_deadline(Instant::now() + 20 * Millisecond);
    auto c = ln.accept();
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), absl::StatusCode::kDeadlineExceeded);
  });
}

TEST_P(TcpTest, ConnectTimeoutWhenTheBacklogIsFull) {
  on_scheduler([] {
    // A listener that never accepts, with the smallest queue: once it is
    // full the kernel drops SYNs, so a connect can only time out.
    auto ln = TcpListener::bind("127.0.0.1:0", {.backlog = 1});
    ASSERT_TRUE(ln.ok());
    const std::string addr = address_of(*ln);
    std::vector<TcpStream> held;
    bool timed_out = false;
    for (int i = 0; i < 64 && !timed_out; ++i) {
      auto c = TcpStream::connect(addr, 100 * Millisecond);
      if (c.ok()) {
        held.push_back(std::move(*c));
        continue;
      }
      EXPECT_EQ(c.status().code(), absl::StatusCode::kDeadlineExceeded)
          << c.status();
      EXPECT_NE(c.status().message().find("connect " + addr),
                std::string::npos);
      timed_out = true;
    }
    if (!timed_out) GTEST_SKIP() << "this kernel answered every SYN";
  });
}

TEST_P(TcpTest, ConnectWithAPastDeadlineTimesOutAtOnce) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto addr = ln.local_address();
    ASSERT_TRUE(addr.ok());
    auto c = TcpStream::connect(*addr, Instant::now() - Millisecond);
    // The handshake may complete within the first system call on loopback;
    // if it did not, the deadline has passed already.
    if (!c.ok()) {
      EXPECT_EQ(c.status().code(), absl::StatusCode::kDeadlineExceeded);
    }
    auto d = TcpStream::connect_until("127.0.0.1:1", Instant::now() - Second);
    EXPECT_FALSE(d.ok());
  });
}

TEST_P(TcpTest, CancelWhileBlockedInReadAcceptAndConnect) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    auto conn = ln.accept();
    ASSERT_TRUE(conn.ok());
    mco_test::Event reading;
    auto reader = go([&] {
      reading.set();
      char buf[8];
      (void)c->read(buf, sizeof buf);
      ADD_FAILURE() << "read returned in a cancelled coroutine";
    });
    reading.wait();
    reader.cancel();
    EXPECT_THROW(reader.join(), Cancelled);
    // The stream survives the cancelled read.
    ASSERT_TRUE(conn->write_all("x").ok());
    char b;
    ASSERT_TRUE(c->read_exact(&b, 1).ok());
    EXPECT_EQ(b, 'x');

    auto acceptor = go([&] { (void)ln.accept(); });
    acceptor.cancel();
    EXPECT_THROW(acceptor.join(), Cancelled);

    auto full = TcpListener::bind("127.0.0.1:0", {.backlog = 1});
    ASSERT_TRUE(full.ok());
    const std::string addr = address_of(*full);
    std::vector<TcpStream> held;
    for (int i = 0; i < 4; ++i) {
      auto h = TcpStream::connect(addr, 50 * Millisecond);
      if (h.ok()) held.push_back(std::move(*h));
    }
    auto connector = go([&] { (void)TcpStream::connect(addr); });
    connector.cancel();
    EXPECT_THROW(connector.join(), Cancelled);
  });
}

TEST_P(TcpTest, CloseWakesBlockedReaderAndWriter) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    auto conn = ln.accept();  // never reads: the client's writer fills up
    ASSERT_TRUE(conn.ok());
    auto reader = go([&] {
      char buf[8];
      return c->read(buf, sizeof buf).status();
    });
    auto writer = go([&] {
      const std::string chunk(1 << 20, 'w');
      for (;;) {
        absl::Status st = c->write_all(chunk);
        if (!st.ok()) return st;
      }
    });
    ASSERT_TRUE(c->close().ok());
    const absl::Status r = reader.join();
    const absl::Status w = writer.join();
    EXPECT_EQ(r.code(), absl::StatusCode::kFailedPrecondition) << r;
    EXPECT_NE(r.message().find("use of closed network connection"),
              std::string::npos);
    EXPECT_EQ(w.code(), absl::StatusCode::kFailedPrecondition) << w;
    EXPECT_EQ(c->close().code(), absl::StatusCode::kFailedPrecondition);
    // The peer sees the end of the stream once its buffer is drained.
    std::vector<char> buf(1 << 16);
    for (;;) {
      auto n = conn->read(buf.data(), buf.size());
      ASSERT_TRUE(n.ok() || absl::IsUnavailable(n.status())) << n.status();
      if (!n.ok() || *n == 0) break;
    }
  });
}

TEST_P(TcpTest, OneReaderAndOneWriterAtOnceMoveMegabytesBothWays) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = echo_server(ln);
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    const size_t kBytes = size_t{scaled(8)} << 20;
    auto writer = go([&] {
      std::string chunk(64 << 10, '\0');
      for (size_t sent = 0; sent < kBytes; sent += chunk.size()) {
        for (size_t i = 0; i < chunk.size(); ++i) {
          chunk[i] = static_cast<char>((sent + i) * 31);
        }
        if (!c->write_all(chunk).ok()) return false;
      }
      return true;
    });
    std::vector<char> buf(64 << 10);
    size_t got = 0;
    bool same = true;
    while (got < kBytes) {
      auto n = c->read(buf.data(), buf.size());
      ASSERT_TRUE(n.ok() && *n > 0);
      for (size_t i = 0; i < *n; ++i) {
        same &= buf[i] == static_cast<char>((got + i) * 31);
      }
      got += *n;
    }
    EXPECT_TRUE(writer.join());
    EXPECT_TRUE(same);
    EXPECT_EQ(got, kBytes);
    ln.close().IgnoreError();
    server.join();
  });
}

TEST_P(TcpTest, WriteVectoredSendsEveryPieceInOrder) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = echo_server(ln);
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    const std::string big(300000, 'b');
    ASSERT_TRUE(c->write_vectored({"head:", "", big, ":tail"}).ok());
    std::string back(5 + big.size() + 5, '\0');
    ASSERT_TRUE(c->read_exact(back.data(), back.size()).ok());
    EXPECT_EQ(back, "head:" + big + ":tail");
    ln.close().IgnoreError();
    server.join();
  });
}

TEST_P(TcpTest, ReadExactReportsUnexpectedEof) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = go([&] {
      auto c = ln.accept();
      ASSERT_TRUE(c.ok());
      ASSERT_TRUE(c->write_all("abc").ok());
    });  // closes after 3 bytes
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    server.join();
    char buf[10];
    absl::Status st = c->read_exact(buf, sizeof buf);
    EXPECT_EQ(st.code(), absl::StatusCode::kOutOfRange);
    EXPECT_NE(st.message().find("unexpected EOF"), std::string::npos);
    EXPECT_EQ(std::string(buf, 3), "abc");
  });
}

TEST_P(TcpTest, PlainThreadClientTalksToCoroutineServer) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto server = echo_server(ln);
    const std::string addr = address_of(ln);
    bool ok = false;
    mco_test::Event finished;
    std::thread t([&] {
      MCO_DEFER(finished.set());
      auto c = TcpStream::connect(addr, 5 * Second);
      if (!c.ok()) return;
      if (!c->write_all("thread").ok()) return;
      char buf[6];
      ok = c->read_exact(buf, 6).ok() && std::string(buf, 6) == "thread";
    });
    finished.wait();  // parks: the worker serves the thread meanwhile
    t.join();
    EXPECT_TRUE(ok);
    ln.close().IgnoreError();
    server.join();
  });
}

TEST_P(TcpTest, NoDescriptorLeaks) {
  on_scheduler([] {
    const int before = open_fds();
    const int kConns = scaled(100);
    {
      TcpListener ln = listen_loopback();
      // One connection at a time, served to its end before the next.
      auto server = go([&] {
        for (int i = 0; i < kConns; ++i) {
          auto c = ln.accept();
          ASSERT_TRUE(c.ok());
          char b;
          while (c->read(&b, 1).value_or(0) == 1) {
            ASSERT_TRUE(c->write_all(&b, 1).ok());
          }
        }
      });
      for (int i = 0; i < kConns; ++i) {
        auto c = TcpStream::connect(address_of(ln));
        ASSERT_TRUE(c.ok());
        ASSERT_TRUE(c->write_all("x").ok());
        char b;
        ASSERT_TRUE(c->read_exact(&b, 1).ok());
        if (i % 2 == 0) {
          ASSERT_TRUE(c->close().ok());  // else: the destructor closes
        }
      }
      server.join();
    }
    EXPECT_EQ(open_fds(), before);
  });
}

TEST_P(TcpTest, BindErrorsAndReusePort) {
  on_scheduler([] {
    TcpListener a = listen_loopback();
    const std::string addr = address_of(a);
    auto b = TcpListener::bind(addr);
    ASSERT_FALSE(b.ok());
    EXPECT_NE(b.status().message().find("listen " + addr), std::string::npos);
    EXPECT_NE(b.status().message().find("in use"), std::string::npos)
        << b.status();

    auto p1 = TcpListener::bind("127.0.0.1:0", {.reuse_port = true});
    ASSERT_TRUE(p1.ok());
    auto p2 = TcpListener::bind(address_of(*p1), {.reuse_port = true});
    EXPECT_TRUE(p2.ok()) << p2.status();

    EXPECT_EQ(TcpListener::bind("127.0.0.1:http").status().code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_FALSE(TcpStream::connect("no-port").ok());
  });
}

TEST_P(TcpTest, MovedFromAndClosedSocketsFailCleanly) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    TcpListener moved = std::move(ln);
    EXPECT_FALSE(ln.valid());  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(ln.accept().status().code(),
              absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(moved.valid());
    ASSERT_TRUE(moved.close().ok());
    EXPECT_EQ(moved.accept().status().code(),
              absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(moved.local_address().status().code(),
              absl::StatusCode::kFailedPrecondition);
  });
}

TEST_P(TcpTest, NoDelayAndKeepAliveOptions) {
  on_scheduler([] {
    TcpListener ln = listen_loopback();
    auto c = TcpStream::connect(address_of(ln));
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(*c->get_option(IPPROTO_TCP, TCP_NODELAY), 1);  // Go's default
    ASSERT_TRUE(c->set_nodelay(false).ok());
    EXPECT_EQ(*c->get_option(IPPROTO_TCP, TCP_NODELAY), 0);
    ASSERT_TRUE(c->set_keepalive(true, 30 * Second).ok());
    EXPECT_EQ(*c->get_option(SOL_SOCKET, SO_KEEPALIVE), 1);
    EXPECT_EQ(*c->get_option(IPPROTO_TCP, TCP_KEEPIDLE), 30);
    ASSERT_TRUE(c->set_keepalive(false).ok());
    EXPECT_EQ(*c->get_option(SOL_SOCKET, SO_KEEPALIVE), 0);
    ASSERT_TRUE(c->close().ok());
    EXPECT_EQ(c->set_nodelay(true).code(),
              absl::StatusCode::kFailedPrecondition);
  });
}

// Out of descriptors (a low RLIMIT_NOFILE): connect or accept fails with a
// clear error, nothing crashes, and accepting works again once descriptors
// are freed.
TEST_P(TcpTest, DescriptorExhaustionIsAnErrorAndRecovers) {
  on_scheduler([] {
    rlimit old{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
    MCO_DEFER(setrlimit(RLIMIT_NOFILE, &old));  // also when an ASSERT fails
    TcpListener ln = listen_loopback();
    const std::string addr = address_of(ln);
    rlimit low = old;
    low.rlim_cur = static_cast<rlim_t>(open_fds() + 9);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
    std::vector<TcpStream> clients, served;
    absl::Status failure;
    while (failure.ok() && clients.size() < 64) {
      auto c = TcpStream::connect(addr);
      if (!c.ok()) {
        failure = c.status();
        break;
      }
      clients.push_back(std::move(*c));
      auto s = ln.accept();
      if (!s.ok()) {
        failure = s.status();
        break;
      }
      served.push_back(std::move(*s));
    }
    EXPECT_EQ(failure.code(), absl::StatusCode::kResourceExhausted) << failure;
    EXPECT_NE(failure.message().find("Too many open files"), std::string::npos)
        << failure;
    // Free some descriptors: the listener still works.
    clients.clear();
    served.clear();
    auto c = TcpStream::connect(addr);
    ASSERT_TRUE(c.ok()) << c.status();
    for (;;) {  // drain connections queued before the limit was hit
      auto s = ln.accept();
      ASSERT_TRUE(s.ok()) << s.status();
      if (s->peer_address()->to_string() == c->local_address()->to_string()) {
        break;
      }
    }
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
  });
}

// Without a running scheduler, threads block in poll(2) instead of parking.
TEST(TcpWithoutScheduler, PlainThreadsTalk) {
  auto ln = TcpListener::bind("127.0.0.1:0");
  ASSERT_TRUE(ln.ok());
  std::thread server([&] {
    auto c = ln->accept();
    ASSERT_TRUE(c.ok());
    char buf[5];
    ASSERT_TRUE(c->read_exact(buf, 5).ok());
    ASSERT_TRUE(c->write_all(buf, 5).ok());
  });
  auto c = TcpStream::connect(address_of(*ln), 5 * Second);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE(c->write_all("plain").ok());
  char buf[5];
  ASSERT_TRUE(c->read_exact(buf, 5).ok());
  EXPECT_EQ(std::string(buf, 5), "plain");
  server.join();
  c->set_read_deadline(Instant::now() + 10 * Millisecond);
  EXPECT_EQ(c->read(buf, 5).value_or(99), 0u);  // EOF: the server closed
}

INSTANTIATE_TEST_SUITE_P(Workers, TcpTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace mco::net
