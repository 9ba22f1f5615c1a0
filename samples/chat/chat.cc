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
//    writer coroutine, which writes the lines arriving on the client's
//    buffered `mco::Chan<std::string>` outbox.
//  - One hub coroutine owns the set of clients. Joins, leaves and messages
//    reach it as events on one channel, so each client's events arrive in
//    the order the client caused them (a select over three channels could
//    take a client's first message before its join). The hub sends the
//    welcome when it handles the join: a client that has read its welcome
//    is in the room, and sees every later join.
//  - The hub never waits on a client: it offers each line with `try_send`.
//    A client whose outbox is full (it does not read fast enough) is
//    disconnected: the hub closes its outbox and announces
//    `* guest-N left (too slow)`; its writer then stops, and wakes the
//    reader with a read deadline in the past.
//  - SIGINT or SIGTERM: prints `shutting down`, stops accepting, exits 0.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/module.h"
#include "mco/net/tcp.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"
#include "samples/common/buffered_reader.h"
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

std::string guest(int id) { return "guest-" + std::to_string(id); }

// What clients tell the hub.
struct Event {
  enum class Kind { kJoin, kLeave, kMessage };
  Kind kind = Kind::kMessage;
  int id = 0;
  std::string text;               // kMessage: the line, without "\n"
  mco::Chan<std::string> outbox;  // kJoin: where the client's lines go
};

// The hub: the only owner of the set of clients.
class Hub {
 public:
  // Handles events until the channel is closed (or the hub is cancelled).
  void run(mco::Chan<Event> events) {
    for (Event e : events) handle(e);
  }

 private:
  void handle(Event& e) {
    switch (e.kind) {
      case Event::Kind::kJoin:  // the outbox is new: the welcome fits
        static_cast<void>(
            e.outbox.try_send("welcome, you are " + guest(e.id) + "\n"));
        clients_.emplace(e.id, std::move(e.outbox));
        broadcast("* " + guest(e.id) + " joined\n", e.id);
        break;
      case Event::Kind::kLeave:
        if (remove(e.id)) broadcast("* " + guest(e.id) + " left\n", e.id);
        break;
      case Event::Kind::kMessage:
        if (clients_.count(e.id) != 0) {  // not if dropped meanwhile
          broadcast(guest(e.id) + ": " + e.text + "\n", e.id);
        }
        break;
    }
  }

  // Offers `line` to every client but `except`, never waiting. Clients
  // whose outbox is full are disconnected, which is announced in turn.
  void broadcast(const std::string& line, int except) {
    std::vector<int> slow;
    for (auto& [id, outbox] : clients_) {
      if (id != except && !outbox.try_send(line)) slow.push_back(id);
    }
    for (int id : slow) {
      if (remove(id)) broadcast("* " + guest(id) + " left (too slow)\n", id);
    }
  }

  // Forgets client `id` and closes its outbox; false if it was not here.
  bool remove(int id) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return false;
    it->second.close();
    clients_.erase(it);
    return true;
  }

  std::map<int, mco::Chan<std::string>> clients_;
};

// The writer: sends the outbox's lines to the client until the hub closes
// the outbox or a write fails; then wakes the reader, should it still wait.
void write_lines(mco::net::TcpStream& conn, mco::Chan<std::string> outbox) {
  for (std::string line : outbox) {
    conn.set_write_deadline(Instant::now() + kWriteTimeout);
    if (!conn.write_all(line).ok()) break;
  }
  conn.set_read_deadline(Instant::now());  // in the past: reads time out
}

// The reader: sends the client's lines to the hub until the client leaves,
// or the hub has dropped it (closed its outbox; the writer then also wakes
// a read that waits). Returns the error line to send the client, if any.
std::string read_lines(mco::net::TcpStream& conn, mco::Chan<Event>& events,
                       const mco::Chan<std::string>& outbox, int id) {
  mco_samples::BufferedReader in(conn, kReadBufferBytes);
  for (;;) {
    absl::StatusOr<std::string_view> line = in.read_line(kMaxLine);
    if (absl::IsResourceExhausted(line.status())) {
      return "error: line longer than " + std::to_string(kMaxLine) + " bytes\n";
    }
    if (!line.ok() || outbox.is_closed()) return "";  // gone, or dropped
    if (line->empty()) continue;
    Event e;
    e.id = id;
    e.text = std::string(*line);
    events.send(std::move(e));
  }
}

// One client, from connect to disconnect.
void serve_client(mco::net::TcpStream stream, mco::Chan<Event> events) {
  const int id = next_id.fetch_add(1);
  // Shared with the writer, which may outlive this frame while both unwind
  // at shutdown.
  auto conn = std::make_shared<mco::net::TcpStream>(std::move(stream));
  mco::Chan<std::string> outbox(kOutboxLines);
  mco::JoinHandle<void> writer =
      mco::go([conn, outbox] { write_lines(*conn, outbox); });

  Event join;
  join.kind = Event::Kind::kJoin;
  join.id = id;
  join.outbox = outbox;
  events.send(std::move(join));

  const std::string error = read_lines(*conn, events, outbox, id);

  Event leave;
  leave.kind = Event::Kind::kLeave;
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
  mco::Chan<Event> events(kHubQueue);
  mco::go([events] { Hub().run(events); }).detach();
  return mco_samples::serve(host_port, kProgram,
                            [events](mco::net::TcpStream conn) {
                              serve_client(std::move(conn), events);
                            });
}
