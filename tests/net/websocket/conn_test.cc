// Copyright 2026 The mco Authors.
//
// websocket::Conn end to end over loopback, with 1 and 2 workers: our client
// (client.h) against our server (server.h), and hand-made frames against
// our server for what a well-behaved peer never sends.

#include "mco/net/websocket/conn.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/net/tcp.h"
#include "mco/net/websocket/client.h"
#include "mco/net/websocket/frame.h"
#include "mco/net/websocket/server.h"
#include "mco/sync/wait_group.h"
#include "mco/time/instant.h"
#include "tests/test_util.h"

namespace mco::net::websocket {
namespace {

using mco_test::WorkersTest;
using time::Instant;
using time::Millisecond;
using time::Second;

using WsPtr = std::unique_ptr<Conn>;

std::string msg(const absl::Status& s) { return std::string(s.message()); }

// A listener on a free loopback port and its ws:// URL.
struct Listener {
  TcpListener ln = TcpListener::bind("127.0.0.1:0").value();
  std::string url(std::string_view path = "/") {
    return "ws://127.0.0.1:" +
           std::to_string(ln.local_address().value().port()) +
           std::string(path);
  }
};

// Accepts one connection, upgrades it with accept_raw and hands the result
// to `handler` in a new coroutine.
template <typename F>
auto serve_one(Listener& l, AcceptOptions options, F handler) {
  return mco::go([&l, options = std::move(options), handler]() mutable {
    absl::StatusOr<TcpStream> c = l.ln.accept();
    ASSERT_TRUE(c.ok()) << c.status();
    handler(accept_raw(std::make_unique<TcpStream>(std::move(*c)), options));
  });
}

// Echoes every message until the peer closes; returns how it ended.
absl::Status echo(Conn& ws) {
  for (;;) {
    absl::StatusOr<Message> m = ws.read();
    if (!m.ok()) return m.status();
    if (auto st = ws.write(m->type, m->data); !st.ok()) return st;
  }
}

class WebSocketTest : public WorkersTest {};

TEST_P(WebSocketTest, EchoTextAndBinaryWithSubprotocol) {
  on_scheduler([] {
    Listener l;
    AcceptOptions ao;
    ao.subprotocols = {"v2", "v1"};
    absl::Status server_end;
    auto server = serve_one(l, ao, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok()) << ws.status();
      EXPECT_EQ((*ws)->subprotocol(), "v1");
      server_end = echo(**ws);
    });
    DialOptions o;
    o.subprotocols = {"v1", "v0"};
    absl::StatusOr<WsPtr> ws = dial(l.url("/echo?x=1"), o);
    ASSERT_TRUE(ws.ok()) << ws.status();
    EXPECT_EQ((*ws)->subprotocol(), "v1");

    ASSERT_TRUE((*ws)->write_text("héllo").ok());
    Message m = (*ws)->read().value();
    EXPECT_TRUE(m.is_text());
    EXPECT_EQ(m.data, "héllo");

    std::string bin;
    for (int i = 0; i < 70000; ++i) bin.push_back(static_cast<char>(i % 251));
    ASSERT_TRUE((*ws)->write_binary(bin).ok());
    m = (*ws)->read().value();
    EXPECT_FALSE(m.is_text());
    EXPECT_TRUE(m.data == bin) << "echo differs; size " << m.data.size();

    ASSERT_TRUE((*ws)->write_binary("").ok());  // empty messages exist
    EXPECT_EQ((*ws)->read().value().data, "");

    EXPECT_FALSE((*ws)->write_text("\xC3").ok());  // not UTF-8: not sent
    ASSERT_TRUE((*ws)->close(kCloseNormal, "bye").ok());
    server.join();
    ASSERT_TRUE(close_info(server_end).has_value()) << server_end;
    EXPECT_EQ(close_info(server_end)->code, kCloseNormal);
    EXPECT_EQ(close_info(server_end)->reason, "bye");
    EXPECT_EQ(msg(server_end), "websocket: close 1000 (normal closure): bye");
    // The server echoed the close code.
    EXPECT_EQ((*ws)->peer_close().value().code, kCloseNormal);
  });
}

TEST_P(WebSocketTest, FragmentedMessagesAssembleAcrossUtf8Splits) {
  on_scheduler([] {
    Listener l;
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      Message m = (*ws)->read().value();
      EXPECT_TRUE(m.is_text());
      EXPECT_EQ(m.data,
                "a\xE2\x82\xAC"
                "b");  // "a€b", € split in three
      m = (*ws)->read().value();
      EXPECT_FALSE(m.is_text());
      EXPECT_EQ(m.data, "onetwothree");
      // The server fragments too.
      const std::string_view parts[] = {"x", "", "yz"};
      ASSERT_TRUE((*ws)->write_fragmented(MessageType::kBinary, parts).ok());
      (void)echo(**ws);
    });
    WsPtr ws = dial(l.url()).value();
    const std::string_view text[] = {"a\xE2", "\x82",
                                     "\xAC"
                                     "b"};
    ASSERT_TRUE(ws->write_fragmented(MessageType::kText, text).ok());
    const std::string_view bin[] = {"one", "two", "three"};
    ASSERT_TRUE(ws->write_fragmented(MessageType::kBinary, bin).ok());
    EXPECT_EQ(ws->read().value().data, "xyz");
    const std::string_view bad[] = {"a\xE2", "\x82"};  // cut off at the end
    EXPECT_EQ(ws->write_fragmented(MessageType::kText, bad).code(),
              absl::StatusCode::kInvalidArgument);
    ASSERT_TRUE(ws->close().ok());
    server.join();
  });
}

TEST_P(WebSocketTest, PingIsAnsweredAndPongReported) {
  on_scheduler([] {
    Listener l;
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      (void)echo(**ws);
    });
    std::vector<std::string> pongs;
    DialOptions o;
    o.conn.on_pong = [&](std::string_view p) { pongs.emplace_back(p); };
    WsPtr ws = dial(l.url(), o).value();
    ASSERT_TRUE(ws->ping("p1").ok());
    ASSERT_TRUE(ws->ping("p2").ok());
    ASSERT_TRUE(ws->write_text("after").ok());
    // The pongs come before the echo, and read() skips them.
    EXPECT_EQ(ws->read().value().data, "after");
    EXPECT_EQ(pongs, (std::vector<std::string>{"p1", "p2"}));
    EXPECT_EQ(ws->ping(std::string(126, 'x')).code(),
              absl::StatusCode::kInvalidArgument);
    ASSERT_TRUE(ws->close().ok());
    server.join();
  });
}

TEST_P(WebSocketTest, ServerClosesWhileClientReads) {
  on_scheduler([] {
    Listener l;
    absl::Status server_close;
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      ASSERT_TRUE((*ws)->write_text("last words").ok());
      // No reader on the server: close reads the answer itself.
      server_close = (*ws)->close(4001, "done");
    });
    WsPtr ws = dial(l.url()).value();
    EXPECT_EQ(ws->read().value().data, "last words");
    absl::StatusOr<Message> end = ws->read();
    ASSERT_FALSE(end.ok());
    EXPECT_EQ(end.status().code(), absl::StatusCode::kOutOfRange);
    ASSERT_TRUE(close_info(end.status()).has_value());
    EXPECT_EQ(close_info(end.status())->code, 4001);
    EXPECT_EQ(close_info(end.status())->reason, "done");
    EXPECT_EQ(ws->peer_close()->code, 4001);
    server.join();
    EXPECT_TRUE(server_close.ok()) << server_close;
    // Every later read returns the same; writes fail; close is done.
    EXPECT_EQ(ws->read().status(), end.status());
    EXPECT_EQ(ws->write_text("x").code(),
              absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(ws->close().ok());
  });
}

TEST_P(WebSocketTest, CloseWithActiveReaderLetsTheReaderFinish) {
  on_scheduler([] {
    Listener l;
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      (void)echo(**ws);
    });
    WsPtr ws = dial(l.url()).value();
    absl::Status reader_end;
    auto reader = mco::go([&] {
      for (;;) {
        absl::StatusOr<Message> m = ws->read();
        if (!m.ok()) {
          reader_end = m.status();
          return;
        }
      }
    });
    ASSERT_TRUE(ws->write_text("one").ok());
    ASSERT_TRUE(ws->close(kCloseGoingAway, "").ok());
    reader.join();
    ASSERT_TRUE(close_info(reader_end).has_value()) << reader_end;
    EXPECT_EQ(close_info(reader_end)->code, kCloseGoingAway);
    server.join();
  });
}

TEST_P(WebSocketTest, CloseTimesOutWhenThePeerNeverAnswers) {
  on_scheduler([] {
    Listener l;
    Instant start;
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      // Never reads: our close is not answered.
      time::sleep(2 * Second);
    });
    DialOptions o;
    o.conn.close_timeout = 100 * Millisecond;
    WsPtr ws = dial(l.url(), o).value();
    start = Instant::now();
    absl::Status st = ws->close();
    EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded) << st;
    EXPECT_GE(start.elapsed(), 100 * Millisecond);
    EXPECT_LT(start.elapsed(), 1900 * Millisecond);
    EXPECT_EQ(ws->close().code(), absl::StatusCode::kFailedPrecondition);
    server.cancel();
    EXPECT_THROW(server.join(), mco::Cancelled);
  });
}

TEST_P(WebSocketTest, LimitsCloseWith1009) {
  on_scheduler([] {
    Listener l;
    AcceptOptions ao;
    ao.conn.max_message_size = 1000;
    ao.conn.max_frame_size = 600;
    absl::Status frame_err, message_err;
    auto server = serve_one(l, ao, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      EXPECT_EQ((*ws)->read().value().data.size(), 600u);  // at the limit
      message_err = (*ws)->read().status();
    });
    WsPtr ws = dial(l.url()).value();
    ASSERT_TRUE(ws->write_binary(std::string(600, 'a')).ok());
    std::string p(500, 'b');
    const std::string_view three[] = {p, p, p};  // 1500 > 1000 in all
    ASSERT_TRUE(ws->write_fragmented(MessageType::kBinary, three).ok());
    absl::StatusOr<Message> end = ws->read();
    ASSERT_TRUE(close_info(end.status()).has_value()) << end.status();
    EXPECT_EQ(close_info(end.status())->code, kCloseMessageTooBig);
    server.join();
    EXPECT_EQ(message_err.code(), absl::StatusCode::kResourceExhausted)
        << message_err;

    // One frame over max_frame_size.
    auto server2 = serve_one(l, ao, [&](absl::StatusOr<WsPtr> ws2) {
      ASSERT_TRUE(ws2.ok());
      frame_err = (*ws2)->read().status();
    });
    WsPtr c2 = dial(l.url()).value();
    ASSERT_TRUE(c2->write_binary(std::string(601, 'c')).ok());
    EXPECT_EQ(close_info(c2->read().status())->code, kCloseMessageTooBig);
    server2.join();
    EXPECT_EQ(frame_err.code(), absl::StatusCode::kResourceExhausted);
    EXPECT_NE(msg(frame_err).find("601"), std::string::npos) << frame_err;
  });
}

TEST_P(WebSocketTest, ConcurrentReaderAndWriterWithPings) {
  on_scheduler([] {
    Listener l;
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      (void)echo(**ws);
    });
    std::atomic<int> pongs{0};
    DialOptions o;
    o.conn.on_pong = [&](std::string_view) { pongs.fetch_add(1); };
    WsPtr ws = dial(l.url(), o).value();
    const int n = mco_test::scaled(2000);
    auto writer = mco::go([&] {
      for (int i = 0; i < n; ++i) {
        std::string m = std::to_string(i) + std::string(i % 300, '.');
        ASSERT_TRUE(ws->write_text(m).ok());
        if (i % 100 == 0) {
          ASSERT_TRUE(ws->ping(std::to_string(i)).ok());
        }
      }
    });
    for (int i = 0; i < n; ++i) {
      absl::StatusOr<Message> m = ws->read();
      ASSERT_TRUE(m.ok()) << m.status();
      ASSERT_EQ(m->data, std::to_string(i) + std::string(i % 300, '.'));
    }
    writer.join();
    ASSERT_TRUE(ws->close().ok());
    server.join();
    EXPECT_EQ(pongs.load(), (n + 99) / 100);
  });
}

TEST_P(WebSocketTest, ReadDeadlineIsRetryable) {
  on_scheduler([] {
    Listener l;
    sync::WaitGroup go_on;  // the server waits until the client is ready
    go_on.add(1);
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      go_on.wait();
      ASSERT_TRUE((*ws)->write_text("late").ok());
      (void)echo(**ws);
    });
    WsPtr ws = dial(l.url()).value();
    ws->set_read_deadline(Instant::now() + 50 * Millisecond);
    absl::StatusOr<Message> m = ws->read();
    EXPECT_EQ(m.status().code(), absl::StatusCode::kDeadlineExceeded);
    ws->set_read_deadline(Instant());
    go_on.done();
    EXPECT_EQ(ws->read().value().data, "late");
    ASSERT_TRUE(ws->close().ok());
    server.join();
  });
}

TEST_P(WebSocketTest, WriteDeadlineBreaksTheWriteSide) {
  on_scheduler([] {
    Listener l;
    sync::WaitGroup done;  // the server reads nothing until the client is done
    done.add(1);
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      done.wait();
    });
    WsPtr ws = dial(l.url()).value();
    ws->set_write_deadline(Instant::now() + 100 * Millisecond);
    const std::string chunk(1 << 20, 'w');
    absl::Status st;
    for (int i = 0; i < 1000 && st.ok(); ++i) st = ws->write_binary(chunk);
    EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded) << st;
    // Part of a frame may be on the wire: later writes fail the same way,
    // even with the deadline cleared.
    ws->set_write_deadline(Instant());
    EXPECT_EQ(ws->write_text("x"), st);
    done.done();
    server.join();
  });
}

TEST_P(WebSocketTest, CancelledWriteThrowsAndBreaksTheWriteSide) {
  on_scheduler([] {
    Listener l;
    sync::WaitGroup done;
    done.add(1);
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      done.wait();
    });
    WsPtr ws = dial(l.url()).value();
    auto writer = mco::go([&] {
      const std::string chunk(1 << 20, 'w');
      for (;;) (void)ws->write_binary(chunk);  // blocks once buffers fill
    });
    time::sleep(50 * Millisecond);  // not needed for the outcome
    writer.cancel();
    EXPECT_THROW(writer.join(), mco::Cancelled);
    absl::Status st = ws->write_text("x");
    EXPECT_EQ(st.code(), absl::StatusCode::kAborted) << st;
    done.done();
    server.join();
  });
}

TEST_P(WebSocketTest, ClientRejectsMaskedServerFrames) {
  on_scheduler([] {
    Listener l;
    int close_code = -1;
    auto server = mco::go([&] {
      TcpStream c = l.ln.accept().value();
      std::string head;
      char b;
      while (find_head_end(head) == 0 && c.read(&b, 1).value_or(0) == 1) {
        head += b;
      }
      HandshakeRequest req = parse_request_head(head).value();
      UpgradeDecision d = check_upgrade_request(req, {});
      ASSERT_TRUE(c.write_all(accept_response(d, {})).ok());
      // A masked frame from a server is a protocol error.
      ASSERT_TRUE(
          c.write_all(std::string("\x81\x82\x01\x02\x03\x04hi", 8)).ok());
      // The client's close frame (masked, as every client frame).
      char h[2];
      uint8_t key[4];
      ASSERT_TRUE(c.read_exact(h, 2).ok());
      EXPECT_EQ(static_cast<uint8_t>(h[0]), 0x88);
      ASSERT_TRUE(c.read_exact(key, 4).ok());
      std::string p(static_cast<uint8_t>(h[1]) & 0x7F, '\0');
      ASSERT_GE(p.size(), 2u);
      ASSERT_TRUE(c.read_exact(p.data(), p.size()).ok());
      apply_mask(p.data(), p.size(), key, 0);
      close_code =
          (static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]);
    });
    WsPtr ws = dial(l.url()).value();
    absl::Status st = ws->read().status();
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
    EXPECT_NE(msg(st).find("bad mask bit"), std::string::npos) << st;
    server.join();
    EXPECT_EQ(close_code, kCloseProtocolError);
  });
}

TEST_P(WebSocketTest, CancelledReadThrowsAndConnStaysUsable) {
  on_scheduler([] {
    Listener l;
    sync::WaitGroup go_on;  // the server waits until the client is ready
    go_on.add(1);
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      go_on.wait();
      ASSERT_TRUE((*ws)->write_text("still here").ok());
      (void)echo(**ws);
    });
    WsPtr ws = dial(l.url()).value();
    std::atomic<bool> started{false};
    auto reader = mco::go([&] {
      started = true;
      (void)ws->read();
      ADD_FAILURE() << "read returned instead of throwing";
    });
    while (!started) mco::yield_now();
    // Likely parked in read by now; if not, the read throws as it starts
    // (the request stays pending), so the outcome does not depend on this.
    time::sleep(20 * Millisecond);
    reader.cancel();
    EXPECT_THROW(reader.join(), mco::Cancelled);
    go_on.done();
    EXPECT_EQ(ws->read().value().data, "still here");
    ASSERT_TRUE(ws->close().ok());
    server.join();
  });
}

TEST_P(WebSocketTest, WorksFromAPlainThread) {
  on_scheduler([] {
    Listener l;
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      (void)echo(**ws);
    });
    mco_test::Event done;
    std::string got;
    absl::Status closed;
    std::thread t([&] {
      absl::StatusOr<WsPtr> ws = dial(l.url());
      if (ws.ok()) {
        (void)(*ws)->write_text("from a thread");
        absl::StatusOr<Message> m = (*ws)->read();
        if (m.ok()) got = m->data;
        closed = (*ws)->close();
      } else {
        closed = ws.status();
      }
      done.set();
    });
    done.wait();
    t.join();
    EXPECT_EQ(got, "from a thread");
    EXPECT_TRUE(closed.ok()) << closed;
    server.join();
  });
}

TEST_P(WebSocketTest, HandshakeRefusalsAndTimeouts) {
  on_scheduler([] {
    Listener l;
    AcceptOptions ao;
    ao.check = [](const HandshakeRequest& r) {
      return r.header("Origin").value_or("") == "good"
                 ? absl::OkStatus()
                 : absl::PermissionDeniedError("origin not allowed");
    };
    absl::Status refused;
    auto server = serve_one(
        l, ao, [&](absl::StatusOr<WsPtr> ws) { refused = ws.status(); });
    DialOptions o;
    o.headers = {{"Origin", "evil"}};
    absl::StatusOr<WsPtr> ws = dial(l.url(), o);
    ASSERT_FALSE(ws.ok());
    EXPECT_EQ(ws.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(msg(ws.status()).find("status 403"), std::string::npos)
        << ws.status();
    server.join();
    EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);

    // A server that accepts TCP but never answers: the handshake times out.
    auto silent = mco::go([&] {
      absl::StatusOr<TcpStream> c = l.ln.accept();
      ASSERT_TRUE(c.ok());
      char b[256];
      // Reads the request, never answers; ends when the client gives up.
      while (c->read(b, sizeof b).value_or(0) > 0) {
      }
    });
    DialOptions quick;
    quick.handshake_timeout = 100 * Millisecond;
    const Instant start = Instant::now();
    ws = dial(l.url(), quick);
    EXPECT_EQ(ws.status().code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_LT(start.elapsed(), 5 * Second);
    ws = absl::StatusOr<WsPtr>();  // drop: closes the stream
    silent.join();

    EXPECT_EQ(dial("wss://127.0.0.1:1/").status().code(),
              absl::StatusCode::kUnavailable);  // TLS over TCP: refused
    EXPECT_EQ(dial("http://127.0.0.1:1/").status().code(),
              absl::StatusCode::kInvalidArgument);
  });
}

TEST_P(WebSocketTest, DialHookAndClientOverAnyConn) {
  on_scheduler([] {
    Listener l;
    auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
      ASSERT_TRUE(ws.ok());
      (void)echo(**ws);
    });
    std::string seen_scheme, seen_host;
    DialOptions o;
    o.dial =
        [&](std::string_view scheme, std::string_view host_port,
            Instant deadline) -> absl::StatusOr<std::unique_ptr<net::Conn>> {
      seen_scheme = std::string(scheme);
      seen_host = std::string(host_port);
      absl::StatusOr<TcpStream> s =
          TcpStream::connect_until(host_port, deadline);
      if (!s.ok()) return s.status();
      return std::make_unique<TcpStream>(std::move(*s));
    };
    // "wss" through the hook (here plain TCP stands in for TLS).
    const std::string port =
        std::to_string(l.ln.local_address().value().port());
    WsPtr ws = dial("wss://127.0.0.1:" + port + "/", o).value();
    EXPECT_EQ(seen_scheme, "wss");
    EXPECT_EQ(seen_host, "127.0.0.1:" + port);
    ASSERT_TRUE(ws->write_text("hook").ok());
    EXPECT_EQ(ws->read().value().data, "hook");
    ASSERT_TRUE(ws->close().ok());
    server.join();
  });
}

// ---------------------------------------------------------------------------
// Hand-made frames against our server.

// A raw client: does the handshake by hand, then writes bytes as given.
class RawClient {
 public:
  explicit RawClient(Listener& l)
      : s_(TcpStream::connect(
               "127.0.0.1:" +
               std::to_string(l.ln.local_address().value().port()))
               .value()) {
    EXPECT_TRUE(
        s_.write_all("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: "
                     "dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n")
            .ok());
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos &&
           s_.read(&c, 1).value_or(0) == 1) {
      head += c;
    }
    EXPECT_EQ(head.rfind("HTTP/1.1 101", 0), 0u) << head;
  }

  // A client frame: masked (unless `mask` is false) with a fixed key.
  void send(uint8_t b0, std::string_view payload, bool mask = true) {
    FrameHeader h;
    h.fin = (b0 & 0x80) != 0;
    h.opcode = static_cast<Opcode>(b0 & 0x0F);
    h.masked = mask;
    h.mask_key[0] = 0x12;
    h.mask_key[1] = 0x34;
    h.payload_length = payload.size();
    char hdr[kMaxFrameHeaderSize];
    size_t n = encode_frame_header(h, hdr);
    hdr[0] = static_cast<char>(b0);  // keep RSV bits and opcodes as given
    std::string p(payload);
    if (mask) apply_mask(p.data(), p.size(), h.mask_key, 0);
    ASSERT_TRUE(s_.write_all(std::string(hdr, n) + p).ok());
  }

  // The close code of the server's next frame, which must be a close.
  int read_close_code() {
    char h[4];
    if (!s_.read_exact(h, 2).ok()) return -1;
    EXPECT_EQ(static_cast<uint8_t>(h[0]), 0x88);
    const size_t len = static_cast<uint8_t>(h[1]) & 0x7F;
    std::string p(len, '\0');
    if (len > 0 && !s_.read_exact(p.data(), len).ok()) return -1;
    if (len < 2) return kCloseNoStatus;
    return (static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]);
  }

 private:
  TcpStream s_;
};

struct BadCase {
  std::string name;
  std::vector<std::pair<int, std::string>> frames;  // b0, payload
  bool mask = true;
  absl::StatusCode want_status;
  int want_close;
};

TEST_P(WebSocketTest, ServerRejectsMalformedClientFrames) {
  const std::vector<BadCase> cases = {
      {"unmasked",
       {{0x81, "hi"}},
       false,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
      {"rsv1",
       {{0xC1, "hi"}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
      {"opcode 3",
       {{0x83, ""}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
      {"fragmented ping",
       {{0x09, ""}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
      {"long ping",
       {{0x89, std::string(126, 'p')}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
      {"continuation first",
       {{0x80, "x"}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
      {"text inside fragmented",
       {{0x01, "a"}, {0x81, "b"}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
      {"bad utf8",
       {{0x81, "\xC0\xAF"}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseInvalidPayload},
      {"bad utf8 across fragments",
       {{0x01, "ok\xE2\x82"}, {0x80, "\x28"}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseInvalidPayload},
      {"utf8 cut at end",
       {{0x01, "ok\xE2"}, {0x80, "\x82"}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseInvalidPayload},
      {"close code 1005",
       {{0x88, std::string("\x03\xED", 2)}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
      {"close one byte",
       {{0x88, "\x03"}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
      {"close bad utf8 reason",
       {{0x88, std::string("\x03\xE8\xFF", 3)}},
       true,
       absl::StatusCode::kInvalidArgument,
       kCloseProtocolError},
  };
  on_scheduler([&] {
    for (const BadCase& c : cases) {
      Listener l;
      absl::Status got;
      auto server = serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) {
        ASSERT_TRUE(ws.ok());
        got = (*ws)->read().status();
        // Sticky: a second read says the same.
        EXPECT_EQ((*ws)->read().status(), got);
      });
      RawClient raw(l);
      for (const auto& [b0, payload] : c.frames) {
        raw.send(static_cast<uint8_t>(b0), payload, c.mask);
      }
      EXPECT_EQ(raw.read_close_code(), c.want_close) << c.name;
      server.join();
      EXPECT_EQ(got.code(), c.want_status) << c.name << ": " << got;
      EXPECT_EQ(msg(got).rfind("websocket: ", 0), 0u) << got;
    }
  });
}

TEST_P(WebSocketTest, ServerRefusesBadUpgradeWithStatus) {
  on_scheduler([] {
    Listener l;
    absl::Status got;
    auto server =
        serve_one(l, {}, [&](absl::StatusOr<WsPtr> ws) { got = ws.status(); });
    TcpStream s =
        TcpStream::connect("127.0.0.1:" +
                           std::to_string(l.ln.local_address().value().port()))
            .value();
    ASSERT_TRUE(
        s.write_all("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Key: "
                    "dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 8\r\n\r\n")
            .ok());
    std::string answer;
    char buf[512];
    for (;;) {
      absl::StatusOr<size_t> n = s.read(buf, sizeof buf);
      if (!n.ok() || *n == 0) break;
      answer.append(buf, *n);
    }
    server.join();
    EXPECT_EQ(answer.rfind("HTTP/1.1 426 Upgrade Required\r\n", 0), 0u)
        << answer;
    EXPECT_NE(answer.find("Sec-WebSocket-Version: 13"), std::string::npos);
    EXPECT_EQ(got.code(), absl::StatusCode::kFailedPrecondition);
  });
}

TEST_P(WebSocketTest, AcceptTakesBufferedBytesPastTheHead) {
  // As an HTTP server hands over a hijacked connection: the head parsed
  // elsewhere, and the client's first frame already read with it.
  on_scheduler([] {
    Listener l;
    auto server = mco::go([&] {
      TcpStream c = l.ln.accept().value();
      std::string all;
      char buf[4096];
      while (find_head_end(all) == 0 || all.size() == find_head_end(all)) {
        absl::StatusOr<size_t> n = c.read(buf, sizeof buf);
        ASSERT_TRUE(n.ok() && *n > 0);
        all.append(buf, *n);
      }
      const size_t head = find_head_end(all);
      HandshakeRequest req = parse_request_head(all.substr(0, head)).value();
      WsPtr ws = accept(std::make_unique<TcpStream>(std::move(c)),
                        all.substr(head), req)
                     .value();
      EXPECT_EQ(ws->read().value().data, "early");
      (void)echo(*ws);
    });
    // The request and the first frame in one write.
    TcpStream s =
        TcpStream::connect("127.0.0.1:" +
                           std::to_string(l.ln.local_address().value().port()))
            .value();
    std::string frame = "\x81\x85\x01\x02\x03\x04";
    std::string p = "early";
    const uint8_t key[4] = {1, 2, 3, 4};
    apply_mask(p.data(), p.size(), key, 0);
    ASSERT_TRUE(
        s.write_all("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Key: "
                    "dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n" +
                    frame + p + std::string("\x88\x80\0\0\0\0", 6))
            .ok());
    server.join();
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, WebSocketTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace mco::net::websocket
