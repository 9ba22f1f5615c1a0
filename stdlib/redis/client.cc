// Copyright 2026 The mco Authors.
//
// The pool: `slots_` holds one unit per open connection (in use or idle),
// so at most `max_open` exist; `idle_` (under `mu_`, never held across a
// blocking call) is a stack, most recently used last, so a burst's surplus
// ages out at the bottom. A connection leaves the pool for exactly one call
// and comes back through `release`, which drops it if it is broken.

#include "mco/redis/client.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "mco/cancel.h"
#include "mco/redis/error.h"

namespace mco::redis {
namespace {

// Debian's Abseil has its own string_view (not std's): convert at calls.
absl::string_view av(std::string_view s) { return {s.data(), s.size()}; }

using Pairs = absl::Span<const std::pair<std::string_view, std::string_view>>;

absl::Status unexpected(std::string_view cmd, const Reply& r) {
  return absl::InternalError(
      absl::StrCat("redis: ", av(cmd), ": unexpected reply ", r.to_string()));
}

absl::StatusOr<int64_t> as_integer(std::string_view cmd,
                                   absl::StatusOr<Reply> r) {
  if (!r.ok()) return r.status();
  if (r->type() != ReplyType::kInteger) return unexpected(cmd, *r);
  return r->integer();
}

absl::StatusOr<std::optional<std::string>> as_optional_string(
    std::string_view cmd, absl::StatusOr<Reply> r) {
  if (!r.ok()) return r.status();
  if (r->is_null()) return std::optional<std::string>();
  if (!r->is_string()) return unexpected(cmd, *r);
  return std::optional<std::string>(std::move(r->mutable_str()));
}

absl::StatusOr<std::vector<std::string>> as_strings(std::string_view cmd,
                                                    absl::StatusOr<Reply> r) {
  if (!r.ok()) return r.status();
  if (r->type() != ReplyType::kArray && r->type() != ReplyType::kSet) {
    return unexpected(cmd, *r);
  }
  std::vector<std::string> out;
  out.reserve(r->elements().size());
  for (Reply& e : r->mutable_elements()) {
    if (!e.is_string()) return unexpected(cmd, e);
    out.push_back(std::move(e.mutable_str()));
  }
  return out;
}

// {command, values...} and {command, key, values...}
std::vector<std::string_view> words(std::string_view cmd,
                                    absl::Span<const std::string_view> rest) {
  std::vector<std::string_view> w;
  w.reserve(rest.size() + 2);
  w.push_back(cmd);
  w.insert(w.end(), rest.begin(), rest.end());
  return w;
}
std::vector<std::string_view> words(std::string_view cmd, std::string_view key,
                                    absl::Span<const std::string_view> rest) {
  std::vector<std::string_view> w = words(cmd, rest);
  w.insert(w.begin() + 1, key);
  return w;
}

}  // namespace

Client::Client(Options options)
    : options_(std::move(options)), slots_(std::max(1, options_.max_open)) {}

Client::~Client() {
  std::lock_guard<sync::Mutex> l(mu_);
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<Connection>> Client::acquire(
    time::Instant deadline) {
  if (options_.pool_timeout > time::Duration(0)) {
    const time::Instant t = time::Instant::now() + options_.pool_timeout;
    if (deadline == time::Instant() || t < deadline) deadline = t;
  }
  if (deadline == time::Instant()) {
    slots_.acquire();
  } else if (!slots_.acquire_until(1, deadline.time_point())) {
    return absl::DeadlineExceededError(
        "redis: pool timeout: all connections in use");
  }
  // The slot is ours now: give it back if anything below throws.
  try {
    if (std::unique_ptr<Connection> idle = take_idle()) {
      reuses_.fetch_add(1, std::memory_order_relaxed);
      return idle;
    }
    absl::StatusOr<std::unique_ptr<Connection>> conn =
        Connection::connect(options_);
    if (!conn.ok()) {
      slots_.release();
      return conn.status();
    }
    dials_.fetch_add(1, std::memory_order_relaxed);
    open_.fetch_add(1, std::memory_order_relaxed);
    return conn;
  } catch (...) {  // Cancelled while dialling
    slots_.release();
    throw;
  }
}

std::unique_ptr<Connection> Client::take_idle() {
  // Not a cancellation point: the pool's mutex may make us wait, and a
  // connection taken from the stack must not be lost.
  DeferCancel no_cancel;
  for (;;) {
    std::unique_ptr<Connection> conn;
    {
      std::lock_guard<sync::Mutex> l(mu_);
      if (idle_.empty()) return nullptr;
      Idle idle = std::move(idle_.back());
      idle_.pop_back();
      if (options_.idle_timeout > time::Duration(0) &&
          idle.since.elapsed() > options_.idle_timeout) {
        // This one and the rest (older still) have been idle too long.
        discarded_.fetch_add(1 + idle_.size(), std::memory_order_relaxed);
        open_.fetch_sub(1 + idle_.size(), std::memory_order_relaxed);
        idle_.clear();
        return nullptr;
      }
      conn = std::move(idle.conn);
    }
    if (conn->looks_alive()) return conn;
    discarded_.fetch_add(1, std::memory_order_relaxed);  // closed meanwhile
    open_.fetch_sub(1, std::memory_order_relaxed);
  }
}

void Client::release(std::unique_ptr<Connection> conn) {
  // Runs in destructors, also while `Cancelled` unwinds: must not throw.
  DeferCancel no_cancel;
  if (!conn->broken()) {
    std::lock_guard<sync::Mutex> l(mu_);
    if (idle_.size() < static_cast<size_t>(std::max(0, options_.max_idle))) {
      idle_.push_back(Idle{std::move(conn), time::Instant::now()});
      slots_.release();
      return;
    }
  }
  conn.reset();  // closes it
  discarded_.fetch_add(1, std::memory_order_relaxed);
  open_.fetch_sub(1, std::memory_order_relaxed);
  slots_.release();
}

absl::Status Client::with_connection(
    absl::FunctionRef<absl::Status(Connection&)> f, time::Instant deadline) {
  absl::StatusOr<std::unique_ptr<Connection>> conn = acquire(deadline);
  if (!conn.ok()) return conn.status();
  struct Lease {
    Client* client;
    std::unique_ptr<Connection> conn;
    ~Lease() { client->release(std::move(conn)); }
  } lease{this, std::move(*conn)};
  return f(*lease.conn);
}

absl::StatusOr<Reply> Client::command(absl::Span<const std::string_view> args,
                                      time::Instant deadline) {
  absl::StatusOr<Reply> out;
  absl::Status st = with_connection(
      [&](Connection& c) {
        out = c.command(args, deadline);
        return out.status();
      },
      deadline);
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::vector<Reply>> Client::exec(const Pipeline& pipeline,
                                                time::Instant deadline) {
  absl::StatusOr<std::vector<Reply>> out;
  absl::Status st = with_connection(
      [&](Connection& c) {
        out = c.exec(pipeline, deadline);
        return out.status();
      },
      deadline);
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<Reply> Client::call(absl::Span<const std::string_view> args,
                                   time::Instant deadline) {
  absl::StatusOr<Reply> r = command(args, deadline);
  if (r.ok() && r->is_error()) return server_error(*r);
  return r;
}

PoolStats Client::stats() const {
  PoolStats s;
  s.open = open_.load(std::memory_order_relaxed);
  s.dials = dials_.load(std::memory_order_relaxed);
  s.reuses = reuses_.load(std::memory_order_relaxed);
  s.discarded = discarded_.load(std::memory_order_relaxed);
  std::lock_guard<sync::Mutex> l(mu_);
  s.idle = static_cast<int64_t>(idle_.size());
  return s;
}

// ---------------------------------------------------------------------------
// Typed helpers

absl::Status Client::ping() {
  absl::StatusOr<Reply> r = call({"PING"});
  if (!r.ok()) return r.status();
  if (r->str() != "PONG") return unexpected("PING", *r);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> Client::get(std::string_view key) {
  return as_optional_string("GET", call({"GET", key}));
}

absl::StatusOr<bool> Client::set(std::string_view key, std::string_view value,
                                 SetOptions options) {
  std::vector<std::string_view> w = {"SET", key, value};
  const std::string px = absl::StrCat(options.ttl.milliseconds());
  if (options.ttl > time::Duration(0)) {
    if (options.ttl.milliseconds() == 0) {
      return absl::InvalidArgumentError("redis: SET: ttl below 1ms");
    }
    w.insert(w.end(), {"PX", px});
  }
  if (options.when == SetOptions::When::kIfNotExists) w.push_back("NX");
  if (options.when == SetOptions::When::kIfExists) w.push_back("XX");
  absl::StatusOr<Reply> r = call(w);
  if (!r.ok()) return r.status();
  if (r->is_null()) return false;
  if (r->str() != "OK") return unexpected("SET", *r);
  return true;
}

absl::StatusOr<std::vector<std::optional<std::string>>> Client::mget(
    absl::Span<const std::string_view> keys) {
  absl::StatusOr<Reply> r = call(words("MGET", keys));
  if (!r.ok()) return r.status();
  if (r->type() != ReplyType::kArray) return unexpected("MGET", *r);
  std::vector<std::optional<std::string>> out;
  for (Reply& e : r->mutable_elements()) {
    if (e.is_null()) {
      out.emplace_back();
    } else if (e.is_string()) {
      out.emplace_back(std::move(e.mutable_str()));
    } else {
      return unexpected("MGET", e);
    }
  }
  return out;
}

absl::Status Client::mset(Pairs pairs) {
  std::vector<std::string_view> w = {"MSET"};
  for (const auto& [k, v] : pairs) w.insert(w.end(), {k, v});
  absl::StatusOr<Reply> r = call(w);
  if (!r.ok()) return r.status();
  if (r->str() != "OK") return unexpected("MSET", *r);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Client::del(absl::Span<const std::string_view> keys) {
  return as_integer("DEL", call(words("DEL", keys)));
}

absl::StatusOr<int64_t> Client::exists(
    absl::Span<const std::string_view> keys) {
  return as_integer("EXISTS", call(words("EXISTS", keys)));
}

absl::StatusOr<int64_t> Client::incr(std::string_view key) {
  return as_integer("INCR", call({"INCR", key}));
}

absl::StatusOr<int64_t> Client::incrby(std::string_view key, int64_t by) {
  const std::string n = absl::StrCat(by);
  return as_integer("INCRBY", call({"INCRBY", key, n}));
}

absl::StatusOr<bool> Client::expire(std::string_view key, time::Duration ttl) {
  const std::string ms = absl::StrCat(ttl.milliseconds());
  absl::StatusOr<int64_t> n = as_integer("PEXPIRE", call({"PEXPIRE", key, ms}));
  if (!n.ok()) return n.status();
  return *n == 1;
}

absl::StatusOr<time::Duration> Client::ttl(std::string_view key) {
  absl::StatusOr<int64_t> ms = as_integer("PTTL", call({"PTTL", key}));
  if (!ms.ok()) return ms.status();
  if (*ms == -1) return kNoExpiry;
  if (*ms == -2) return kNoKey;
  return *ms * time::Millisecond;
}

absl::StatusOr<int64_t> Client::hset(std::string_view key, Pairs fields) {
  std::vector<std::string_view> w = {"HSET", key};
  for (const auto& [f, v] : fields) w.insert(w.end(), {f, v});
  return as_integer("HSET", call(w));
}

absl::StatusOr<std::optional<std::string>> Client::hget(
    std::string_view key, std::string_view field) {
  return as_optional_string("HGET", call({"HGET", key, field}));
}

absl::StatusOr<std::map<std::string, std::string>> Client::hgetall(
    std::string_view key) {
  absl::StatusOr<Reply> r = call({"HGETALL", key});
  if (!r.ok()) return r.status();
  // RESP3: a map; RESP2: an array; both flattened k0 v0 k1 v1 ...
  if ((r->type() != ReplyType::kMap && r->type() != ReplyType::kArray) ||
      r->elements().size() % 2 != 0) {
    return unexpected("HGETALL", *r);
  }
  std::map<std::string, std::string> out;
  std::vector<Reply>& e = r->mutable_elements();
  for (size_t i = 0; i < e.size(); i += 2) {
    if (!e[i].is_string() || !e[i + 1].is_string()) {
      return unexpected("HGETALL", *r);
    }
    out[std::move(e[i].mutable_str())] = std::move(e[i + 1].mutable_str());
  }
  return out;
}

absl::StatusOr<int64_t> Client::hdel(
    std::string_view key, absl::Span<const std::string_view> fields) {
  return as_integer("HDEL", call(words("HDEL", key, fields)));
}

absl::StatusOr<int64_t> Client::lpush(
    std::string_view key, absl::Span<const std::string_view> values) {
  return as_integer("LPUSH", call(words("LPUSH", key, values)));
}

absl::StatusOr<int64_t> Client::rpush(
    std::string_view key, absl::Span<const std::string_view> values) {
  return as_integer("RPUSH", call(words("RPUSH", key, values)));
}

absl::StatusOr<std::optional<std::string>> Client::lpop(std::string_view key) {
  return as_optional_string("LPOP", call({"LPOP", key}));
}

absl::StatusOr<std::optional<std::string>> Client::rpop(std::string_view key) {
  return as_optional_string("RPOP", call({"RPOP", key}));
}

namespace {

absl::StatusOr<std::optional<std::pair<std::string, std::string>>> as_pop(
    std::string_view cmd, absl::StatusOr<Reply> r) {
  if (!r.ok()) return r.status();
  if (r->is_null()) return std::optional<std::pair<std::string, std::string>>();
  if (r->type() != ReplyType::kArray || r->elements().size() != 2 ||
      !r->elements()[0].is_string() || !r->elements()[1].is_string()) {
    return unexpected(cmd, *r);
  }
  std::vector<Reply>& e = r->mutable_elements();
  return std::optional<std::pair<std::string, std::string>>(
      {std::move(e[0].mutable_str()), std::move(e[1].mutable_str())});
}

}  // namespace

absl::StatusOr<std::optional<std::pair<std::string, std::string>>>
Client::blocking_pop(const char* command,
                     absl::Span<const std::string_view> keys,
                     time::Duration timeout) {
  const std::string secs = absl::StrCat(timeout.seconds());
  std::vector<std::string_view> w = words(command, keys);
  w.push_back(secs);
  time::Instant deadline;
  if (timeout > time::Duration(0)) {
    deadline = time::Instant::now() + timeout +
               (options_.command_timeout > time::Duration(0)
                    ? options_.command_timeout
                    : time::Duration(time::Second));
  }
  return as_pop(command, call(w, deadline));
}

absl::StatusOr<std::optional<std::pair<std::string, std::string>>>
Client::blpop(absl::Span<const std::string_view> keys, time::Duration timeout) {
  return blocking_pop("BLPOP", keys, timeout);
}

absl::StatusOr<std::optional<std::pair<std::string, std::string>>>
Client::brpop(absl::Span<const std::string_view> keys, time::Duration timeout) {
  return blocking_pop("BRPOP", keys, timeout);
}

absl::StatusOr<std::vector<std::string>> Client::lrange(std::string_view key,
                                                        int64_t start,
                                                        int64_t stop) {
  const std::string a = absl::StrCat(start), b = absl::StrCat(stop);
  return as_strings("LRANGE", call({"LRANGE", key, a, b}));
}

absl::StatusOr<int64_t> Client::llen(std::string_view key) {
  return as_integer("LLEN", call({"LLEN", key}));
}

absl::StatusOr<int64_t> Client::sadd(
    std::string_view key, absl::Span<const std::string_view> members) {
  return as_integer("SADD", call(words("SADD", key, members)));
}

absl::StatusOr<int64_t> Client::srem(
    std::string_view key, absl::Span<const std::string_view> members) {
  return as_integer("SREM", call(words("SREM", key, members)));
}

absl::StatusOr<bool> Client::sismember(std::string_view key,
                                       std::string_view member) {
  absl::StatusOr<int64_t> n =
      as_integer("SISMEMBER", call({"SISMEMBER", key, member}));
  if (!n.ok()) return n.status();
  return *n == 1;
}

absl::StatusOr<std::vector<std::string>> Client::smembers(
    std::string_view key) {
  return as_strings("SMEMBERS", call({"SMEMBERS", key}));
}

absl::StatusOr<int64_t> Client::publish(std::string_view channel,
                                        std::string_view message) {
  return as_integer("PUBLISH", call({"PUBLISH", channel, message}));
}

absl::StatusOr<std::unique_ptr<Subscription>> Client::subscribe(
    absl::Span<const std::string_view> channels) {
  return Subscription::open(options_, channels, {});
}

absl::StatusOr<std::unique_ptr<Subscription>> Client::psubscribe(
    absl::Span<const std::string_view> patterns) {
  return Subscription::open(options_, {}, patterns);
}

}  // namespace mco::redis
