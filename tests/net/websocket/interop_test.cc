// Copyright 2026 The mco Authors.
//
// Interop with another implementation: Python's `websockets` 10.4
// (Debian's python3-websockets). Our client against its server
// (py_server.py), and its client against our server (py_client.py): text,
// binary, 1 MiB, fragmented messages both ways, pings both ways, close codes
// both ways. Every wait is bounded (deadlines on our side, timeouts in the
// scripts and on the processes).

#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/net/tcp.h"
#include "mco/net/websocket/client.h"
#include "mco/net/websocket/conn.h"
#include "mco/net/websocket/server.h"
#include "mco/time/instant.h"
#include "tests/process_util.h"
#include "tests/test_util.h"

namespace mco::net::websocket {
namespace {

using mco_test::Process;
using mco_test::ProcessResult;
using mco_test::WorkersTest;
using time::Instant;
using time::Second;

constexpr char kPython[] = "/usr/bin/python3";
constexpr char kServerScript[] = "tests/net/websocket/py_server.py";
constexpr char kClientScript[] = "tests/net/websocket/py_client.py";

class InteropTest : public WorkersTest {};

TEST_P(InteropTest, OurClientAgainstPythonServer) {
  Process py(kPython, {kServerScript});
  std::optional<std::string> port = py.first_line(std::chrono::seconds(20));
  ASSERT_TRUE(port.has_value()) << py.err();
  const std::string base = "ws://127.0.0.1:" + *port;

  on_scheduler([&] {
    std::vector<std::string> pongs;
    DialOptions o;
    o.subprotocols = {"chat"};
    o.conn.on_pong = [&](std::string_view p) { pongs.emplace_back(p); };
    absl::StatusOr<std::unique_ptr<Conn>> dialed = dial(base + "/echo", o);
    ASSERT_TRUE(dialed.ok()) << dialed.status();
    Conn& ws = **dialed;
    ws.set_deadline(Instant::now() + 20 * Second);
    EXPECT_EQ(ws.subprotocol(), "chat");

    ASSERT_TRUE(ws.write_text("h\xC3\xA9llo").ok());
    Message m = ws.read().value();
    EXPECT_TRUE(m.is_text());
    EXPECT_EQ(m.data, "h\xC3\xA9llo");

    std::string big(1 << 20, '\0');
    for (size_t i = 0; i < big.size(); ++i) {
      big[i] = static_cast<char>((i * 2654435761u) >> 13);
    }
    ASSERT_TRUE(ws.write_binary(big).ok());
    m = ws.read().value();
    EXPECT_FALSE(m.is_text());
    EXPECT_TRUE(m.data == big) << m.data.size();

    // Fragmented, with the euro sign split between frames.
    const std::string_view parts[] = {"one \xE2", "\x82", "\xAC two"};
    ASSERT_TRUE(ws.write_fragmented(MessageType::kText, parts).ok());
    EXPECT_EQ(ws.read().value().data, "one \xE2\x82\xAC two");

    ASSERT_TRUE(ws.ping("mco-ping").ok());
    ASSERT_TRUE(ws.write_binary("after ping").ok());
    EXPECT_EQ(ws.read().value().data, "after ping");
    EXPECT_EQ(pongs, std::vector<std::string>{"mco-ping"});

    EXPECT_TRUE(ws.close(kCloseNormal, "done").ok());
    EXPECT_EQ(ws.peer_close().value().code, kCloseNormal);

    // The server pings us (read() answers), fragments, and closes.
    absl::StatusOr<std::unique_ptr<Conn>> d2 = dial(base + "/server-ping");
    ASSERT_TRUE(d2.ok()) << d2.status();
    (*d2)->set_deadline(Instant::now() + 20 * Second);
    EXPECT_EQ((*d2)->read().value().data, "pong ok");
    EXPECT_EQ((*d2)->read().value().data, "abc");
    absl::Status end = (*d2)->read().status();
    ASSERT_TRUE(close_info(end).has_value()) << end;
    EXPECT_EQ(close_info(end)->code, 4000);
    EXPECT_EQ(close_info(end)->reason, "py bye");
  });

  // The server saw our close codes. It prints a line per connection as it
  // ends, which may be just after our side is done: wait for both (bounded).
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (py.out().find("closed /server-ping") == std::string::npos &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  py.signal(SIGTERM);
  ProcessResult r = py.wait(std::chrono::seconds(10));
  EXPECT_NE(r.out.find("closed /echo 1000 done"), std::string::npos) << r;
  // Our answer echoes the code, without a reason.
  EXPECT_NE(r.out.find("closed /server-ping 4000 \n"), std::string::npos) << r;
}

TEST_P(InteropTest, PythonClientAgainstOurServer) {
  std::unique_ptr<Process> py;
  absl::Status server_end;
  int messages = 0;
  on_scheduler([&] {
    TcpListener ln = TcpListener::bind("127.0.0.1:0").value();
    py = std::make_unique<Process>(
        kPython,
        std::vector<std::string>{
            kClientScript, std::to_string(ln.local_address().value().port())});
    ln.set_read_deadline(Instant::now() + 20 * Second);
    absl::StatusOr<TcpStream> c = ln.accept();
    ASSERT_TRUE(c.ok()) << c.status();
    AcceptOptions ao;
    ao.subprotocols = {"superchat", "chat"};
    absl::StatusOr<std::unique_ptr<Conn>> ws =
        accept_raw(std::make_unique<TcpStream>(std::move(*c)), ao);
    ASSERT_TRUE(ws.ok()) << ws.status();
    EXPECT_EQ((*ws)->subprotocol(), "chat");
    (*ws)->set_deadline(Instant::now() + 20 * Second);
    for (;;) {
      absl::StatusOr<Message> m = (*ws)->read();
      if (!m.ok()) {
        server_end = m.status();
        break;
      }
      ++messages;
      ASSERT_TRUE((*ws)->write(m->type, m->data).ok());
    }
  });
  ASSERT_TRUE(py);
  ProcessResult r = py->wait(std::chrono::seconds(40));
  EXPECT_EQ(r.exit_code, 0) << r;
  // The close our server answered with: the code echoed, no reason.
  EXPECT_NE(r.out.find("ok 4001 \n"), std::string::npos) << r;
  EXPECT_EQ(messages, 5);
  ASSERT_TRUE(close_info(server_end).has_value()) << server_end;
  EXPECT_EQ(close_info(server_end)->code, 4001);
  EXPECT_EQ(close_info(server_end)->reason, "py done");
}

INSTANTIATE_TEST_SUITE_P(Workers, InteropTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace mco::net::websocket
