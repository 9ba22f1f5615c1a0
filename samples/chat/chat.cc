// Copyright 2026 The mco Authors.
//
// A line-based TCP chat room, built the Go way: coroutines that own their
// state and talk through channels.
//
//   mco-run chat.so [-- [HOST:PORT]]     (default 127.0.0.1:7001)
//
// The first line on stdout is `listening on 127.0.0.1:PORT`. Then, with
// `nc 127.0.0.1 7001` in a few terminals:
//
//   on connect, the client gets   welcome, you are guest-N
//   the others get                * guest-N joined
//   a line "text" from guest-N     guest-N: text      (to every other client)
//   when guest-N disconnects      * guest-N left
//
// Lines end with "\n" (a "\r" before it is dropped); empty lines are
// ignored. A line longer than 4 KiB gets the client
// `error: line longer than 4096 bytes` and disconnects it.
//
// Design:
//  - Each connection has a reader coroutine (the connection's own) and a
//    writer coroutine, which writes the messages arriving on the client's
//    buffered `mco::Chan<std::string>` outbox, a line each.
//  - One hub coroutine owns the set of clients (samples/common/chat_hub.h,
//    shared with samples/websocket_chat). A client whose outbox is full (it
//    does not read fast enough) is dropped: the hub closes its outbox and
//    announces `* guest-N left (too slow)`; its writer then stops, and
//    wakes the reader with a read deadline in the past.
//  - SIGINT or SIGTERM: prints `shutting down`, stops accepting, exits 0.

#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/module.h"
#include "mco/net/tcp.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"
#include "samples/common/buffered_reader.h"
#include "samples/common/chat_hub.h"
#include "samples/common/server.h"

namespace {

using mco::time::Instant;
using mco::time::Second;

constexpr char kProgram[] = "chat";
constexpr char kDefaultAddress[] = "127.0.0.1:7001";
constexpr size_t kMaxLine = 4096;
constexpr size_t kReadBufferBytes = 8192;
constexpr size_t kOutboxLines = 64;  // per client
constexpr size_t kHubQueue = 1024;   // events waiting for the hub
constexpr auto kWriteTimeout = 30 * Second;

// Client ids, from 1 (a namespace-scope counter: connections may start
// after main has returned).
std::atomic<int> next_id{1};

using mco_samples::ChatEvent;

// The writer: sends the outbox's messages to the client, a line each, until
// the hub closes the outbox or a write fails; then wakes the reader, should
// it still wait.
void write_lines(mco::net::TcpStream& conn, mco::Chan<std::string> outbox) {
  for (std::string line : outbox) {
    conn.set_write_deadline(Instant::now() + kWriteTimeout);
    if (!conn.write_vectored({line, "\n"}).ok()) break;
  }
  conn.set_read_deadline(Instant::now());  // in the past: reads time out
}

// The reader: sends the client's lines to the hub until the client leaves,
// or the hub has dropped it (closed its outbox; the writer then also wakes
// a read that waits). Returns the error line to send the client, if any.
std::string read_lines(mco::net::TcpStream& conn, mco::Chan<ChatEvent>& events,
                       const mco::Chan<std::string>& outbox, int id) {
  mco_samples::BufferedReader in(conn, kReadBufferBytes);
  for (;;) {
    absl::StatusOr<std::string_view> line = in.read_line(kMaxLine);
    if (absl::IsResourceExhausted(line.status())) {
      return "error: line longer than " + std::to_string(kMaxLine) + " bytes\n";
    }
    if (!line.ok() || outbox.is_closed()) return "";  // gone, or dropped
    if (line->empty()) continue;
    ChatEvent e;
    e.id = id;
    e.text = std::string(*line);
    events.send(std::move(e));
  }
}

// One client, from connect to disconnect.
void serve_client(mco::net::TcpStream stream, mco::Chan<ChatEvent> events) {
  const int id = next_id.fetch_add(1);
  // Shared with the writer, which may outlive this frame while both unwind
  // at shutdown.
  auto conn = std::make_shared<mco::net::TcpStream>(std::move(stream));
  mco::Chan<std::string> outbox(kOutboxLines);
  mco::JoinHandle<void> writer =
      mco::go([conn, outbox] { write_lines(*conn, outbox); });

  ChatEvent join;
  join.kind = ChatEvent::Kind::kJoin;
  join.id = id;
  join.name = "guest-" + std::to_string(id);
  join.outbox = outbox;
  events.send(std::move(join));

  const std::string error = read_lines(*conn, events, outbox, id);

  ChatEvent leave;
  leave.kind = ChatEvent::Kind::kLeave;
  leave.id = id;
  events.send(std::move(leave));
  writer.join();  // the hub closed the outbox; the writer has drained it
  if (!error.empty()) {
    conn->set_write_deadline(Instant::now() + kWriteTimeout);
    if (conn->write_all(error).ok()) mco_samples::close_gracefully(*conn);
  }
}

}  // namespace

MCO_MAIN(args) {
  std::string host_port;
  if (!mco_samples::server_args(args, kProgram, kDefaultAddress, &host_port)) {
    return 2;
  }
  mco::Chan<ChatEvent> events(kHubQueue);
  mco::go([events] { mco_samples::ChatHub().run(events); }).detach();
  return mco_samples::serve(host_port, kProgram,
                            [events](mco::net::TcpStream conn) {
                              serve_client(std::move(conn), events);
                            });
}
