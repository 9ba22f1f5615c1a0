// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: client.h
// -----------------------------------------------------------------------------
//
// `Client`: Go's go-redis `redis.Client` for mco: a pool of `Connection`s
// shared by every coroutine and thread of a program, with typed helpers for
// the common commands.
//
//   mco::redis::Client client({.address = "127.0.0.1:6379"});
//   if (auto st = client.set("greeting", "hi", {.ttl = 10 *
//   mco::time::Second});
//       !st.ok()) ...
//   absl::StatusOr<std::optional<std::string>> v = client.get("greeting");
//   // *v == "hi"; a missing key is std::nullopt
//   absl::StatusOr<int64_t> n = client.incr("hits");
//   auto r = client.command({"OBJECT", "ENCODING", "hits"});  // any command
//
// Errors: typed helpers return a server error reply as a status (error.h:
// `is_server_error`), and a reply of an unexpected type as Internal
// ("redis: GET: unexpected reply ..."). `command` and `exec` return error
// replies as `Reply`s, as `Connection` does.
//
// The pool. A call takes an idle connection (checking that the server has
// not closed it meanwhile) or dials a new one, up to `Options::max_open`
// open at once; beyond that, callers wait (in FIFO order) until one is
// given back, up to their deadline or `pool_timeout` (DeadlineExceeded,
// "redis: pool timeout"). After the call the connection goes back to the
// pool, unless it is broken (network error, timeout while a reply was due,
// cancellation: see connection.h), or more than `max_idle` are idle; idle
// connections older than `idle_timeout` are closed when met. So a server
// that restarts costs the calls in flight an error, and later calls dial
// afresh.
//
// Thread safety: every method may be called concurrently from coroutines on
// any worker and from plain threads. The `Client` must outlive the calls
// made through it; subscriptions own their connection and may outlive it.
//
// Deadlines: `command` and `exec` take one; the typed helpers use
// `Options::command_timeout` (none by default), and `blpop`/`brpop` their
// own timeout.
//
// Cancellation: a coroutine cancelled while waiting for the pool or in a
// call gets `mco::Cancelled`; its connection is closed, never reused
// mid-reply.

#ifndef MCO_STDLIB_REDIS_CLIENT_H_
#define MCO_STDLIB_REDIS_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mco/redis/connection.h"
#include "mco/redis/options.h"
#include "mco/redis/pipeline.h"
#include "mco/redis/resp.h"
#include "mco/redis/subscription.h"
#include "mco/sync/mutex.h"
#include "mco/sync/semaphore.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::redis {

// SET's options: an expiry (PX, when > 0) and a condition.
struct SetOptions {
  enum class When { kAlways, kIfNotExists, kIfExists };  // -, NX, XX
  time::Duration ttl = time::Duration(0);
  When when = When::kAlways;
};

// What `ttl` returns for a key without an expiry, and for a missing key
// (as go-redis: -1 and -2 nanoseconds).
inline constexpr time::Duration kNoExpiry = time::Duration(-1);
inline constexpr time::Duration kNoKey = time::Duration(-2);

// A snapshot of the pool's counters.
struct PoolStats {
  int64_t open = 0;       // connections open now (in use or idle)
  int64_t idle = 0;       // of which idle
  int64_t dials = 0;      // connections dialled so far
  int64_t reuses = 0;     // calls served by an idle connection
  int64_t discarded = 0;  // connections closed as broken, stale or surplus
};

class Client {
 public:
  explicit Client(Options options);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  // Closes the idle connections. No call may be running.
  ~Client();

  // Client::command() / exec()
  //
  // Any command, or a pipeline, on a pooled connection (see connection.h).
  absl::StatusOr<Reply> command(absl::Span<const std::string_view> args,
                                time::Instant deadline = {});
  absl::StatusOr<std::vector<Reply>> exec(const Pipeline& pipeline,
                                          time::Instant deadline = {});

  // Client::with_connection()
  //
  // Runs `f` with a pooled connection for its exclusive use (MULTI/EXEC,
  // WATCH), and gives the connection back afterwards (or closes it if `f`
  // broke it).
  absl::Status with_connection(absl::FunctionRef<absl::Status(Connection&)> f,
                               time::Instant deadline = {});

  // Strings and keys.
  absl::Status ping();
  absl::StatusOr<std::optional<std::string>> get(std::string_view key);
  // True if set; false if the condition (NX/XX) was not met.
  absl::StatusOr<bool> set(std::string_view key, std::string_view value,
                           SetOptions options = {});
  absl::StatusOr<std::vector<std::optional<std::string>>> mget(
      absl::Span<const std::string_view> keys);
  absl::Status mset(
      absl::Span<const std::pair<std::string_view, std::string_view>> pairs);
  absl::StatusOr<int64_t> del(absl::Span<const std::string_view> keys);
  absl::StatusOr<int64_t> exists(absl::Span<const std::string_view> keys);
  absl::StatusOr<int64_t> incr(std::string_view key);
  absl::StatusOr<int64_t> incrby(std::string_view key, int64_t by);
  // PEXPIRE: true if the key exists.
  absl::StatusOr<bool> expire(std::string_view key, time::Duration ttl);
  // PTTL: the time left, or `kNoExpiry` / `kNoKey`.
  absl::StatusOr<time::Duration> ttl(std::string_view key);

  // Hashes.
  absl::StatusOr<int64_t> hset(
      std::string_view key,
      absl::Span<const std::pair<std::string_view, std::string_view>> fields);
  absl::StatusOr<std::optional<std::string>> hget(std::string_view key,
                                                  std::string_view field);
  absl::StatusOr<std::map<std::string, std::string>> hgetall(
      std::string_view key);
  absl::StatusOr<int64_t> hdel(std::string_view key,
                               absl::Span<const std::string_view> fields);

  // Lists.
  absl::StatusOr<int64_t> lpush(std::string_view key,
                                absl::Span<const std::string_view> values);
  absl::StatusOr<int64_t> rpush(std::string_view key,
                                absl::Span<const std::string_view> values);
  absl::StatusOr<std::optional<std::string>> lpop(std::string_view key);
  absl::StatusOr<std::optional<std::string>> rpop(std::string_view key);
  // BLPOP / BRPOP: waits up to `timeout` (0: for ever) on the server for
  // an element of the first non-empty list: {list, element}, or nullopt
  // on timeout. The client's deadline is `timeout` plus `command_timeout`
  // (or plus one second), so a server that does not answer is noticed.
  absl::StatusOr<std::optional<std::pair<std::string, std::string>>> blpop(
      absl::Span<const std::string_view> keys, time::Duration timeout);
  absl::StatusOr<std::optional<std::pair<std::string, std::string>>> brpop(
      absl::Span<const std::string_view> keys, time::Duration timeout);
  absl::StatusOr<std::vector<std::string>> lrange(std::string_view key,
                                                  int64_t start, int64_t stop);
  absl::StatusOr<int64_t> llen(std::string_view key);

  // Sets.
  absl::StatusOr<int64_t> sadd(std::string_view key,
                               absl::Span<const std::string_view> members);
  absl::StatusOr<int64_t> srem(std::string_view key,
                               absl::Span<const std::string_view> members);
  absl::StatusOr<bool> sismember(std::string_view key, std::string_view member);
  absl::StatusOr<std::vector<std::string>> smembers(std::string_view key);

  // Pub/sub (subscription.h). `subscribe` and `psubscribe` open a dedicated
  // connection (not from the pool) and return once the server confirmed.
  absl::StatusOr<int64_t> publish(std::string_view channel,
                                  std::string_view message);
  absl::StatusOr<std::unique_ptr<Subscription>> subscribe(
      absl::Span<const std::string_view> channels);
  absl::StatusOr<std::unique_ptr<Subscription>> psubscribe(
      absl::Span<const std::string_view> patterns);

  // Client::stats()
  [[nodiscard]] PoolStats stats() const;
  [[nodiscard]] const Options& options() const { return options_; }

 private:
  struct Idle {
    std::unique_ptr<Connection> conn;
    time::Instant since;
  };
  absl::StatusOr<std::unique_ptr<Connection>> acquire(time::Instant deadline);
  // The most recent idle connection that still looks usable, or null.
  std::unique_ptr<Connection> take_idle();
  void release(std::unique_ptr<Connection> conn);
  // A command for a typed helper: a server error becomes a status.
  absl::StatusOr<Reply> call(absl::Span<const std::string_view> args,
                             time::Instant deadline = {});
  // BLPOP or BRPOP (`command`), waiting up to `timeout` on the server.
  absl::StatusOr<std::optional<std::pair<std::string, std::string>>>
  blocking_pop(const char* command, absl::Span<const std::string_view> keys,
               time::Duration timeout);

  const Options options_;
  sync::Semaphore slots_;  // one unit per open connection
  mutable sync::Mutex mu_;
  std::vector<Idle> idle_ ABSL_GUARDED_BY(mu_);  // most recent last
  std::atomic<int64_t> open_{0};
  std::atomic<int64_t> dials_{0};
  std::atomic<int64_t> reuses_{0};
  std::atomic<int64_t> discarded_{0};
};

}  // namespace mco::redis

#endif  // MCO_STDLIB_REDIS_CLIENT_H_
