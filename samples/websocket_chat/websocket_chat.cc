// Copyright 2026 The mco Authors.
//
// A browser chat over WebSocket: one module serves the page and the
// WebSocket endpoint, and messages fan out through channels.
//
//   mco-run websocket_chat.so [-- [HOST:PORT]]     (default 127.0.0.1:8090)
//
// The first line on stdout is `listening on 127.0.0.1:PORT`. Then open
// http://127.0.0.1:8090/ in a few browser tabs. Routes:
//
//   GET /             the page (page.h)
//   GET /ws?name=N    the WebSocket endpoint: joins the room as N (1 to 32
//                     letters, digits, '-' or '_'; "guest-ID" otherwise)
//   GET /api/stats    {"online":N,"messages":M}
//
// In the room (samples/common/chat_hub.h) each text message from a client
// reaches every other client as "NAME: text"; joins and leaves are
// announced ("* NAME joined"). Messages over 4 KiB close the connection
// with 1009; binary messages are ignored.
//
// Design: the HTTP server (mco/net/http) runs each connection in a
// coroutine; /ws upgrades it (mco/net/websocket/http_upgrade.h) and that
// coroutine becomes the client's reader. A second coroutine per client
// writes what arrives on its outbox channel. One hub coroutine owns the
// room; a client that does not read fast enough is dropped.
//
// SIGINT or SIGTERM: prints `shutting down`, stops accepting, exits 0
// (open chats are cancelled when the module's main returns).

#include <signal.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/module.h"
#include "mco/net/http/router.h"
#include "mco/net/http/server.h"
#include "mco/net/tcp.h"
#include "mco/net/websocket/conn.h"
#include "mco/net/websocket/http_upgrade.h"
#include "mco/signal/signal.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"
#include "samples/common/chat_hub.h"
#include "samples/common/server.h"
#include "samples/websocket_chat/page.h"

namespace {

namespace http = mco::net::http;
namespace websocket = mco::net::websocket;
using mco::time::Instant;
using mco::time::Second;
using mco_samples::ChatEvent;

constexpr char kProgram[] = "websocket_chat";
constexpr char kDefaultAddress[] = "127.0.0.1:8090";
constexpr size_t kOutboxMessages = 64;  // per client
constexpr size_t kHubQueue = 1024;      // events waiting for the hub
constexpr size_t kMaxMessage = 4096;
constexpr size_t kMaxName = 32;
constexpr auto kWriteTimeout = 30 * Second;

// Namespace-scope: connections may end after main has returned.
std::atomic<int> next_id{1};
std::atomic<int> online{0};
std::atomic<long> messages{0};

// The name asked for, if it is a good one; "guest-ID" otherwise.
std::string pick_name(std::string_view asked, int id) {
  bool good = !asked.empty() && asked.size() <= kMaxName;
  for (char c : asked) {
    good = good && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                    c == '_');
  }
  return good ? std::string(asked) : "guest-" + std::to_string(id);
}

// One client, from the upgrade to its leaving, on the connection's own
// coroutine.
void chat(std::unique_ptr<websocket::Conn> ws, std::string name,
          mco::Chan<ChatEvent> events, int id) {
  // Shared with the writer, which may outlive this frame while both unwind
  // at shutdown.
  std::shared_ptr<websocket::Conn> conn = std::move(ws);
  mco::Chan<std::string> outbox(kOutboxMessages);
  mco::JoinHandle<void> writer = mco::go([conn, outbox]() mutable {
    for (std::string message : outbox) {
      conn->set_write_deadline(Instant::now() + kWriteTimeout);
      if (!conn->write_text(message).ok()) break;
    }
    conn->set_read_deadline(Instant::now());  // wakes the reader
  });
  online.fetch_add(1);

  ChatEvent join;
  join.kind = ChatEvent::Kind::kJoin;
  join.id = id;
  join.name = name;
  join.outbox = outbox;
  events.send(std::move(join));

  for (;;) {
    absl::StatusOr<websocket::Message> m = conn->read();
    if (!m.ok() || outbox.is_closed()) break;  // gone, or dropped
    if (m->type != websocket::MessageType::kText || m->data.empty()) continue;
    messages.fetch_add(1);
    ChatEvent e;
    e.id = id;
    e.text = std::move(m->data);
    events.send(std::move(e));
  }

  ChatEvent leave;
  leave.kind = ChatEvent::Kind::kLeave;
  leave.id = id;
  events.send(std::move(leave));
  writer.join();  // the hub closed the outbox; the writer has drained it
  online.fetch_sub(1);
  conn->set_deadline(Instant::now() + 2 * Second);
  conn->close().IgnoreError();  // the close handshake, if still possible
}

void routes(http::Router& router, mco::Chan<ChatEvent> events) {
  router.get("/", [](http::Request&, http::ResponseWriter& w) {
    w.reply(200, "text/html; charset=utf-8", websocket_chat::kPage);
  });
  router.get("/api/stats", [](http::Request&, http::ResponseWriter& w) {
    w.json("{\"online\":" + std::to_string(online.load()) +
           ",\"messages\":" + std::to_string(messages.load()) + "}");
  });
  router.get("/ws", [events](http::Request& req, http::ResponseWriter& w) {
    const int id = next_id.fetch_add(1);
    websocket::AcceptOptions options;
    options.conn.max_message_size = kMaxMessage;
    absl::StatusOr<std::unique_ptr<websocket::Conn>> ws =
        websocket::upgrade(req, w, options);
    if (!ws.ok()) return;  // refused (answered 400/426), or the client left
    chat(std::move(*ws), pick_name(req.query("name"), id), events, id);
  });
}

}  // namespace

MCO_MAIN(args) {
  std::string host_port;
  if (!mco_samples::server_args(args, kProgram, kDefaultAddress, &host_port)) {
    return 2;
  }
  mco::Chan<int> signals(1);
  mco::signal::notify(signals, {SIGINT, SIGTERM});
  std::optional<mco::net::TcpListener> ln =
      mco_samples::listen_and_announce(host_port, kProgram);
  if (!ln) return 1;

  mco::Chan<ChatEvent> events(kHubQueue);
  mco::go([events] { mco_samples::ChatHub().run(events); }).detach();
  http::Router router;
  routes(router, events);
  http::Server server(router.handler());
  mco::JoinHandle<absl::Status> serving =
      mco::go([&] { return server.serve(*ln); });
  signals.recv();
  std::printf("shutting down\n");
  std::fflush(stdout);
  server.shutdown(Instant::now() + 2 * Second).IgnoreError();
  serving.join().IgnoreError();
  return 0;
}
