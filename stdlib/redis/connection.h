// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: connection.h
// -----------------------------------------------------------------------------
//
// `Connection`: one connection to a Redis server, used by one coroutine (or
// thread) at a time. Most programs use `Client` (client.h), a pool of these
// shared by all coroutines; a `Connection` is for exclusive use (MULTI/EXEC
// across calls, WATCH, a dedicated blocking consumer).
//
//   MCO_ASSIGN_OR_RETURN(auto conn, mco::redis::Connection::connect(opts));
//   auto r = conn->command({"SET", "k", "v"});   // StatusOr<Reply>: +OK
//   mco::redis::Pipeline p;
//   for (int i = 0; i < 100; ++i) p.add({"INCR", "n"});
//   auto all = conn->exec(p);                      // 100 replies, in order
//
// Handshake (in `connect`): with `protocol` 3, `HELLO 3` (with AUTH and
// SETNAME in it); if the server refuses HELLO (Redis < 6, or HELLO renamed
// away) it falls back to RESP2: AUTH, CLIENT SETNAME. Then SELECT db. A
// wrong password fails with PermissionDenied; `protocol()` says what was
// agreed.
//
// Errors. A server error reply (-ERR ...) is returned as a `Reply` of
// error type, not as a failed status (see error.h for turning it into
// one); a failed status means the transport failed: dial errors, reset or
// end of stream ("redis: connection closed by server"), DeadlineExceeded,
// a protocol error. After such a failure, a cancellation, or a deadline
// passed while a reply was due, the connection is *broken* (`broken()`): it
// is closed, since the stream is out of step, and every later call fails
// at once with FailedPrecondition.
//
// Deadlines. Each call takes an optional deadline (`time::Instant`, none by
// default) for its whole round trip; without one, `Options::command_timeout`
// applies when set. Blocking commands (BLPOP, ...) need a deadline later
// than their server-side timeout.
//
// RESP3 push messages (client-side caching invalidations, ...) that arrive
// between replies are skipped by `command` and `exec`; `receive` returns
// them.
//
// Blocking and cancellation: calls park a coroutine or block a plain thread
// (see mco/net/socket.h); a coroutine cancelled in a call gets
// `mco::Cancelled` and the connection is broken.

#ifndef MCO_STDLIB_REDIS_CONNECTION_H_
#define MCO_STDLIB_REDIS_CONNECTION_H_

#include <atomic>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mco/net/conn.h"
#include "mco/redis/options.h"
#include "mco/redis/pipeline.h"
#include "mco/redis/resp.h"
#include "mco/time/instant.h"

namespace mco::redis {

class Connection {
 public:
  // Connection::connect()
  //
  // Dials `options.address` (with `options.dial`) and does the handshake,
  // within `options.dial_timeout`.
  static absl::StatusOr<std::unique_ptr<Connection>> connect(
      const Options& options);

  // Connection::handshake_over()
  //
  // Does the handshake over a stream already open, by `deadline`.
  static absl::StatusOr<std::unique_ptr<Connection>> handshake_over(
      std::unique_ptr<net::Conn> conn, const Options& options,
      time::Instant deadline);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Connection::command()
  //
  // Sends one command and returns its reply (an error reply included).
  absl::StatusOr<Reply> command(absl::Span<const std::string_view> args,
                                time::Instant deadline = {});
  absl::StatusOr<Reply> command(std::initializer_list<std::string_view> args,
                                time::Instant deadline = {}) {
    return command(absl::MakeConstSpan(args.begin(), args.size()), deadline);
  }
  absl::StatusOr<Reply> command(const std::vector<std::string>& args,
                                time::Instant deadline = {});

  // Connection::exec()
  //
  // Sends every command of `pipeline` in one write and returns their
  // replies in order.
  absl::StatusOr<std::vector<Reply>> exec(const Pipeline& pipeline,
                                          time::Instant deadline = {});

  // Connection::send() / receive()
  //
  // The two halves, for protocols beyond request/reply (pub/sub): `send`
  // writes encoded commands (see `encode_command`); `receive` reads the next
  // reply, push messages included. One sender and one receiver may run at
  // once. A deadline here does not break the connection when `receive`
  // times out before any byte of a reply has arrived.
  absl::Status send(std::string_view wire, time::Instant deadline = {});
  absl::StatusOr<Reply> receive(time::Instant deadline = {});

  // Connection::close()
  //
  // Closes the stream (from any coroutine or thread; wakes a blocked
  // `receive`). The connection is broken afterwards.
  void close();

  // The protocol agreed in the handshake (2 or 3).
  [[nodiscard]] int protocol() const { return protocol_; }
  // True once the connection cannot be used any more (see the file comment).
  [[nodiscard]] bool broken() const { return broken_; }
  // The stream underneath (for its addresses).
  [[nodiscard]] net::Conn& conn() { return *conn_; }
  // True if the stream shows no sign of having been closed by the server:
  // nothing to read and no end of stream (a non-blocking peek on socket
  // streams; true for streams it cannot peek into).
  [[nodiscard]] bool looks_alive() const;

 private:
  Connection(std::unique_ptr<net::Conn> conn, const Options& options);
  absl::Status handshake(time::Instant deadline);
  time::Instant effective(time::Instant deadline) const;
  absl::Status fail(absl::Status st);
  absl::Status write(std::string_view wire, time::Instant deadline);
  absl::StatusOr<Reply> read_reply(time::Instant deadline, bool skip_push,
                                   bool keep_on_idle_timeout);

  std::unique_ptr<net::Conn> conn_;
  const Options options_;
  Parser parser_;
  std::string rbuf_;  // received, not yet parsed: rbuf_[rpos_..]
  size_t rpos_ = 0;
  int protocol_ = 2;
  std::atomic<bool> broken_{false};
  mutable std::mutex status_mu_;  // guards broken_status_
  absl::Status broken_status_;
};

}  // namespace mco::redis

#endif  // MCO_STDLIB_REDIS_CONNECTION_H_
