// Copyright 2026 The mco Authors.
//
// End-to-end tests of mco/redis/client.h against a real redis-server, with
// 1 and 2 workers: every typed helper (RESP3 and RESP2), the pool shared by
// 200 coroutines and by plain threads, a server that goes away mid-command
// and comes back, BLPOP timeouts, and cancellation.

#include "mco/redis/client.h"

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/redis/error.h"
#include "mco/runtime.h"
#include "mco/sync/wait_group.h"
#include "tests/redis/client_fixture.h"
#include "tests/test_util.h"

namespace mco::redis {
namespace {

using mco::time::Instant;
using mco::time::Millisecond;
using mco::time::Second;

// Workers x protocol.
class ClientTest : public mco_test::RedisClientFixture {};

TEST_P(ClientTest, TypedCommands) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Client c(options());
    ASSERT_TRUE(c.ping().ok());
    // Strings.
    EXPECT_EQ(*c.get("k"), std::nullopt);
    EXPECT_EQ(*c.set("k", "v"), true);
    EXPECT_EQ(*c.get("k"), "v");
    EXPECT_EQ(*c.set("k", "w", {.when = SetOptions::When::kIfNotExists}),
              false);
    EXPECT_EQ(*c.get("k"), "v");
    EXPECT_EQ(*c.set("new", "x", {.when = SetOptions::When::kIfExists}), false);
    EXPECT_EQ(*c.exists({"new"}), 0);
    EXPECT_EQ(*c.set("k", "w", {.when = SetOptions::When::kIfExists}), true);
    EXPECT_EQ(*c.get("k"), "w");
    EXPECT_EQ(*c.set("t", "1", {.ttl = 60 * Second}), true);
    auto ttl = c.ttl("t");
    ASSERT_TRUE(ttl.ok());
    EXPECT_GT(*ttl, 50 * Second);
    EXPECT_LE(*ttl, 60 * Second);
    EXPECT_EQ(*c.ttl("k"), kNoExpiry);
    EXPECT_EQ(*c.ttl("missing"), kNoKey);
    EXPECT_EQ(*c.expire("k", 30 * Second), true);
    EXPECT_EQ(*c.expire("missing", 30 * Second), false);
    EXPECT_LE(*c.ttl("k"), 30 * Second);
    ASSERT_TRUE(c.mset({{"a", "1"}, {"b", "2"}}).ok());
    auto m = c.mget({"a", "nope", "b"});
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(
        *m, (std::vector<std::optional<std::string>>{"1", std::nullopt, "2"}));
    EXPECT_EQ(*c.incr("n"), 1);
    EXPECT_EQ(*c.incrby("n", 41), 42);
    EXPECT_EQ(*c.incrby("n", -2), 40);
    EXPECT_EQ(*c.exists({"a", "b", "nope"}), 2);
    EXPECT_EQ(*c.del({"a", "b", "nope"}), 2);
    // A server error is a status marked as such.
    auto bad = c.incr("k");
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(is_server_error(bad.status()));
    EXPECT_NE(bad.status().message().find("redis: ERR"), std::string::npos)
        << bad.status();
    auto wrongtype = c.lpush("k", {"x"});
    EXPECT_EQ(wrongtype.status().code(), absl::StatusCode::kFailedPrecondition);
    // Hashes.
    EXPECT_EQ(*c.hset("h", {{"f1", "v1"}, {"f2", "v2"}}), 2);
    EXPECT_EQ(*c.hset("h", {{"f1", "v1b"}}), 0);
    EXPECT_EQ(*c.hget("h", "f1"), "v1b");
    EXPECT_EQ(*c.hget("h", "none"), std::nullopt);
    auto all = c.hgetall("h");
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(*all, (std::map<std::string, std::string>{{"f1", "v1b"},
                                                        {"f2", "v2"}}));
    EXPECT_EQ(*c.hdel("h", {"f1", "none"}), 1);
    EXPECT_TRUE(c.hgetall("missing")->empty());
    // Lists.
    EXPECT_EQ(*c.rpush("l", {"b", "c"}), 2);
    EXPECT_EQ(*c.lpush("l", {"a"}), 3);
    EXPECT_EQ(*c.lrange("l", 0, -1), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(*c.llen("l"), 3);
    EXPECT_EQ(*c.lpop("l"), "a");
    EXPECT_EQ(*c.rpop("l"), "c");
    auto popped = c.brpop({"empty", "l"}, 1 * Second);
    ASSERT_TRUE(popped.ok()) << popped.status();
    ASSERT_TRUE(popped->has_value());
    EXPECT_EQ(**popped, std::make_pair(std::string("l"), std::string("b")));
    EXPECT_EQ(*c.lpop("l"), std::nullopt);
    // Sets.
    EXPECT_EQ(*c.sadd("s", {"x", "y", "x"}), 2);
    EXPECT_EQ(*c.sismember("s", "x"), true);
    EXPECT_EQ(*c.sismember("s", "z"), false);
    auto members = c.smembers("s");
    ASSERT_TRUE(members.ok());
    std::sort(members->begin(), members->end());
    EXPECT_EQ(*members, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(*c.srem("s", {"x"}), 1);
    EXPECT_EQ(*c.publish("nobody", "hi"), 0);
    // Any command, with an error reply kept as a reply.
    auto r = c.command({"OBJECT", "ENCODING", "n"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->str(), "int");
    auto e = c.command({"NOSUCHCOMMAND"});
    ASSERT_TRUE(e.ok());
    EXPECT_TRUE(e->is_error());
    // A transaction on one connection.
    absl::Status tx = c.with_connection([](Connection& conn) {
      Pipeline p;
      p.add({"MULTI"});
      p.add({"INCR", "tx"});
      p.add({"INCR", "tx"});
      p.add({"EXEC"});
      auto rs = conn.exec(p);
      if (!rs.ok()) return rs.status();
      if ((*rs)[3].elements().size() != 2 ||
          (*rs)[3].elements()[1].integer() != 2) {
        return absl::InternalError((*rs)[3].to_string());
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(tx.ok()) << tx;
    EXPECT_EQ(c.stats().dials, 1);  // one coroutine: one connection
  });
}

TEST_P(ClientTest, BlockingPopTimesOut) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Client c(options());
    Instant start = Instant::now();
    auto r = c.blpop({"empty"}, 200 * Millisecond);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_FALSE(r->has_value());  // the server's timeout: nil
    EXPECT_GE(start.elapsed(), 150 * Millisecond);
    // A client deadline before the server's: DeadlineExceeded, and the
    // connection (its reply still due) is not reused.
    start = Instant::now();
    auto d = c.command({"BLPOP", "empty", "10"}, start + 100 * Millisecond);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_LT(start.elapsed(), 5 * Second);
    EXPECT_EQ(c.stats().discarded, 1);
    // The next call is in step: a fresh connection.
    ASSERT_TRUE(c.rpush("q", {"item"}).ok());
    EXPECT_EQ(*c.lpop("q"), "item");
    // A BLPOP woken by a push from another coroutine.
    auto waiter = mco::go([&] { return c.blpop({"wake"}, 10 * Second); });
    Client other(options());
    // Push once the waiter is blocked on the server.
    ASSERT_TRUE(mco_test::poll_until([&] {
      auto list = other.command({"CLIENT", "LIST"});
      return list.ok() && list->str().find("cmd=blpop") != std::string::npos;
    }));
    ASSERT_TRUE(other.rpush("wake", {"up"}).ok());
    auto woken = waiter.join();
    ASSERT_TRUE(woken.ok()) << woken.status();
    ASSERT_TRUE(woken->has_value());
    EXPECT_EQ((*woken)->second, "up");
  });
}

TEST_P(ClientTest, PoolSharedBy200Coroutines) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Options o = options();
    o.max_open = 16;
    o.max_idle = 8;
    Client c(o);
    constexpr int kCoroutines = 200, kRounds = 50;
    std::atomic<int> failures{0};
    std::vector<mco::JoinHandle<void>> hs;
    for (int i = 0; i < kCoroutines; ++i) {
      hs.push_back(mco::go([&, i] {
        const std::string key = absl::StrCat("own:", i);
        for (int j = 0; j < kRounds; ++j) {
          if (!c.incr("shared").ok()) ++failures;
          const std::string v = absl::StrCat(j);
          if (!c.set(key, v).ok()) ++failures;
          auto got = c.get(key);
          if (!got.ok() || *got != v) ++failures;
          if (c.stats().open > 16) ++failures;
        }
      }));
    }
    for (auto& h : hs) h.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(*c.get("shared"), std::to_string(kCoroutines * kRounds));
    PoolStats s = c.stats();
    // Surplus idle connections (beyond 8) are closed and later dialled
    // again; every connection dialled is open or was discarded.
    EXPECT_EQ(s.dials, s.open + s.discarded);
    EXPECT_LE(s.open, 16);
    EXPECT_LE(s.idle, 8);
    EXPECT_GT(s.reuses, kCoroutines * kRounds);
    // Plain threads share the same pool.
    // (The coroutine parks until they are done instead of blocking its
    // worker in join(): with one worker, that worker runs the I/O poller.)
    std::vector<std::thread> threads;
    std::atomic<int> running{4};
    mco_test::Event done;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int j = 0; j < 100; ++j) {
          if (!c.incr("threads").ok()) ++failures;
        }
        if (--running == 0) done.set();
      });
    }
    done.wait();
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(*c.get("threads"), "400");
  });
}

TEST_P(ClientTest, PoolTimeoutWhenAllConnectionsAreBusy) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Options o = options();
    o.max_open = 1;
    o.pool_timeout = 100 * Millisecond;
    Client c(o);
    auto busy = mco::go([&] { return c.blpop({"never"}, 2 * Second); });
    Client watcher(options());
    ASSERT_TRUE(mco_test::poll_until([&] {
      auto list = watcher.command({"CLIENT", "LIST"});
      return list.ok() && list->str().find("cmd=blpop") != std::string::npos;
    }));
    auto r = c.get("k");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_NE(r.status().message().find("pool timeout"), std::string::npos);
    ASSERT_TRUE(watcher.rpush("never", {"x"}).ok());
    ASSERT_TRUE(busy.join().ok());
    EXPECT_TRUE(c.get("k").ok());  // free again
  });
}

TEST_P(ClientTest, ServerGoesAwayAndComesBack) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Client c(options());
    ASSERT_TRUE(c.set("k", "v").ok());
    // Mid-command: a BLPOP is waiting when the server dies.
    auto waiter = mco::go([&] { return c.blpop({"q"}, 30 * Second); });
    Client watcher(options());
    ASSERT_TRUE(mco_test::poll_until([&] {
      auto list = watcher.command({"CLIENT", "LIST"});
      return list.ok() && list->str().find("cmd=blpop") != std::string::npos;
    }));
    // An idle connection too: the server will close it while it sits in
    // the pool.
    ASSERT_TRUE(c.ping().ok());
    ASSERT_EQ(c.stats().idle, 1);
    server_.kill();
    auto lost = waiter.join();
    ASSERT_FALSE(lost.ok());
    EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable)
        << lost.status();
    EXPECT_NE(lost.status().message().find("connection closed by server"),
              std::string::npos)
        << lost.status();
    // While it is down: a clear dial error (the idle connection, closed by
    // the server, is noticed and dropped, not used).
    auto down = c.get("k");
    ASSERT_FALSE(down.ok());
    EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable)
        << down.status();
    EXPECT_NE(down.status().message().find("redis: "), std::string::npos);
    EXPECT_EQ(c.stats().open, 0);
    EXPECT_EQ(c.stats().discarded, 2);
    // Back (empty: no persistence): the pool dials afresh.
    ASSERT_TRUE(server_.start());
    auto back = c.get("k");
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, std::nullopt);
    EXPECT_TRUE(c.set("k", "again").ok());
    EXPECT_EQ(*c.get("k"), "again");
  });
}

TEST_P(ClientTest, CancelledCallsConnectionIsNotReused) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Client c(options());
    ASSERT_TRUE(c.ping().ok());
    ASSERT_EQ(c.stats().idle, 1);
    auto h = mco::go([&] { (void)c.blpop({"nothing"}, 0 * Second); });
    Client watcher(options());
    ASSERT_TRUE(mco_test::poll_until([&] {
      auto list = watcher.command({"CLIENT", "LIST"});
      return list.ok() && list->str().find("cmd=blpop") != std::string::npos;
    }));
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    // Wait until the server has seen that connection go.
    ASSERT_TRUE(mco_test::poll_until([&] {
      auto list = watcher.command({"CLIENT", "LIST"});
      return list.ok() && list->str().find("cmd=blpop") == std::string::npos;
    }));
    PoolStats s = c.stats();
    EXPECT_EQ(s.idle, 0);
    EXPECT_EQ(s.open, 0);
    EXPECT_EQ(s.discarded, 1);
    // A later push is not taken by the cancelled BLPOP's connection (it is
    // closed), and the pool works on.
    ASSERT_TRUE(c.rpush("nothing", {"kept"}).ok());
    EXPECT_EQ(*c.llen("nothing"), 1);
    EXPECT_EQ(c.stats().dials, 2);
  });
}

MCO_INSTANTIATE_REDIS_CLIENT_TESTS(ClientTest);

}  // namespace
}  // namespace mco::redis
