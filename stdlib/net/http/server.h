// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: server.h
// -----------------------------------------------------------------------------
//
// `Server`: an HTTP/1.1 server (Go's http.Server): one coroutine per
// connection, keep-alive and pipelining, bodies by Content-Length or
// chunked, limits, timeouts, graceful shutdown, and a hook to wrap each
// connection (TLS) without depending on it.
//
//   mco::net::http::Router r;
//   r.get("/", [](auto& req, auto& w) { w.reply(200, "text/plain", "hi\n"); });
//   mco::net::http::Server server(r.handler(), {.idle_timeout = 30 * Second});
//   MCO_ASSIGN_OR_RETURN(auto ln, mco::net::TcpListener::bind(":8080"));
//   auto h = mco::go([&] { return server.serve(ln); });
//   ...
//   server.shutdown(mco::time::Instant::now() + 5 * Second);  // then h.join()
//
// Per connection, in its own coroutine:
//  - `wrap_conn` (if set) first, e.g. a TLS handshake; an error drops the
//    connection. It runs under the idle timeout.
//  - Each request head must arrive, entirely, within `idle_timeout` of the
//    moment the server starts waiting for it (this also cuts off clients
//    that trickle a head byte by byte). Empty lines before it are skipped.
//  - A head over `max_header_bytes` gets 431, a malformed one 400, an
//    unsupported Transfer-Encoding 501; a body over `max_body_bytes` 413
//    (at once, before reading it, when Content-Length says so; also with
//    `Expect: 100-continue`, which otherwise gets "100 Continue" before the
//    body is read). Each such answer says `Connection: close` and the
//    connection is closed after it.
//  - The whole body (Content-Length or chunked) is read, within
//    `read_timeout`, before the handler runs; each write of the response
//    must finish within `write_timeout`.
//  - Connections persist: HTTP/1.1 unless `Connection: close`; HTTP/1.0
//    with `Connection: keep-alive`. Pipelined requests are answered in
//    order; responses that are ready are written together before the
//    server waits for more bytes.
//  - A handler that throws gets 500 (or, if its head was sent, the
//    connection closed); the server goes on.
//  - A connection is closed after a final response by shutting down its
//    sending side and reading what the client still sends for up to 2 s
//    (a "lingering close"), so the client sees the response, not a reset.
//
// Shutdown (`shutdown(deadline)`) stops accepting (closes the listeners
// given to `serve`), closes idle connections at once, lets requests in
// flight finish (their connections close after the response), and at the
// deadline closes what is left and cancels its coroutines; it returns when
// every connection coroutine has ended. Hijacked connections are not
// counted. A Server must outlive its connections: shut it down before
// destroying it (the destructor does, with a deadline of now).

#ifndef MCO_STDLIB_NET_HTTP_SERVER_H_
#define MCO_STDLIB_NET_HTTP_SERVER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/go.h"
#include "mco/net/conn.h"
#include "mco/net/http/response_writer.h"
#include "mco/net/tcp.h"
#include "mco/sync/mutex.h"
#include "mco/sync/wait_group.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::net::http {

struct ServerOptions {
  // For the next request head, from when the server starts waiting.
  time::Duration idle_timeout = 60 * time::Second;
  // For reading a request body.
  time::Duration read_timeout = 30 * time::Second;
  // For each write of a response.
  time::Duration write_timeout = 30 * time::Second;
  // Request line and headers, in all (431 beyond).
  size_t max_header_bytes = 8 * 1024;
  // A request body (413 beyond).
  uint64_t max_body_bytes = 10 << 20;
  // Wraps each accepted connection (TLS), in the connection's coroutine.
  std::function<absl::StatusOr<std::unique_ptr<net::Conn>>(
      std::unique_ptr<net::Conn>)>
      wrap_conn;
};

namespace internal {
// The server's record of one connection coroutine.
struct ConnEntry {
  net::Conn* conn = nullptr;  // null while wrap_conn runs
  bool idle = false;          // waiting for a request's first byte
  JoinHandle<void> coroutine;
};
}  // namespace internal

class Server {
 public:
  explicit Server(Handler handler, ServerOptions options = {});
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // Server::serve()
  //
  // Accepts connections on `listener` until it is closed or the server is
  // shut down, serving each in a coroutine of its own. A failed accept
  // (e.g. too many open files) is retried after a pause growing from 5 ms
  // to 1 s. Returns OK after `shutdown`, FailedPrecondition if the
  // listener was closed otherwise or the server was already shut down.
  absl::Status serve(net::TcpListener& listener);

  // Server::serve_conn()
  //
  // Serves an already accepted connection in a new coroutine; returns at
  // once. After `shutdown` began, the connection is closed instead.
  void serve_conn(std::unique_ptr<net::Conn> conn);

  // Server::shutdown()
  //
  // Graceful shutdown (see the file comment). OK if every connection
  // finished by `deadline`, DeadlineExceeded if some had to be closed.
  absl::Status shutdown(time::Instant deadline);

  // Connections being served now (not counting hijacked ones).
  [[nodiscard]] size_t connections() const;

  // Connections accepted by `serve` since the server was made.
  [[nodiscard]] uint64_t accepted() const;

 private:
  friend class internal::ServerConn;

  using EntryIt = std::list<internal::ConnEntry>::iterator;
  void run_conn(EntryIt entry, std::unique_ptr<net::Conn> conn);
  // True (and the entry marked idle) unless shutting down.
  bool set_idle(internal::ConnEntry* entry, bool idle);
  // Drops `entry` (the connection ended or was hijacked).
  void forget(EntryIt entry);

  const Handler handler_;
  const ServerOptions options_;
  mutable sync::Mutex mu_;
  std::atomic<bool> shutting_down_{false};
  uint64_t accepted_ = 0;
  std::list<internal::ConnEntry> conns_;
  std::vector<net::TcpListener*> listeners_;
  sync::WaitGroup running_;  // connection coroutines and serve loops
};

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_SERVER_H_
