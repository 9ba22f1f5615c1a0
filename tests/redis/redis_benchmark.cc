// Copyright 2026 The mco Authors.
//
// Throughput of mco/redis against a local redis-server: SET and GET, one
// command per round trip and pipelined, from N coroutines sharing a Client.
//
//   bazel run //tests/redis:redis_benchmark -- [ADDRESS] [REQUESTS]
//
// Without ADDRESS it starts its own redis-server on a free port (as the
// tests do). REQUESTS (default 100000) commands of each kind per row. One
// line per row: "SET  50 coroutines  pipeline 1    : 61234 commands/s".
// Compare with `redis-benchmark -t set,get -n 100000 -q` (50 clients, no
// pipelining) and `... -P 100`.

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mco/go.h"
#include "mco/redis/client.h"
#include "mco/redis/connection.h"
#include "mco/runtime.h"
#include "mco/time/instant.h"
#include "tests/redis/redis_server.h"

namespace {

using mco::redis::Client;
using mco::redis::Pipeline;

// Runs `requests` commands of `verb` from `coroutines` coroutines, `depth`
// per round trip; commands/s, or -1 on an error.
double measure(Client& client, const std::string& verb, int coroutines,
               int depth, int requests) {
  const int per = requests / coroutines;
  const std::string value(3, 'x');  // redis-benchmark's default size
  std::atomic<int> errors{0};
  const mco::time::Instant start = mco::time::Instant::now();
  std::vector<mco::JoinHandle<void>> hs;
  for (int c = 0; c < coroutines; ++c) {
    hs.push_back(mco::go([&, c] {
      const std::string key = absl::StrCat("key:", c);
      for (int done = 0; done < per;) {
        const int n = std::min(depth, per - done);
        if (n == 1) {
          auto r = verb == "SET" ? client.command({"SET", key, value})
                                 : client.command({"GET", key});
          if (!r.ok() || r->is_error()) ++errors;
        } else {
          Pipeline p;
          for (int i = 0; i < n; ++i) {
            if (verb == "SET") {
              p.add({"SET", key, value});
            } else {
              p.add({"GET", key});
            }
          }
          auto r = client.exec(p);
          if (!r.ok()) ++errors;
        }
        done += n;
      }
    }));
  }
  for (auto& h : hs) h.join();
  const double secs = start.elapsed().seconds();
  return errors > 0 ? -1 : per * coroutines / secs;
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<mco_test::RedisServer> server;
  std::string address;
  if (argc > 1) {
    address = argv[1];
  } else {
    server = std::make_unique<mco_test::RedisServer>();
    if (!server->ready()) return 1;
    address = server->address();
  }
  const int requests = argc > 2 ? std::atoi(argv[2]) : 100000;
  return mco::run({}, [&] {
    mco::redis::Options o;
    o.address = address;
    o.max_open = 64;
    o.max_idle = 64;
    Client client(o);
    std::printf("mco/redis against %s, %d commands per row\n", address.c_str(),
                requests);
    {  // One Connection of its own, no pool: the round trip alone.
      auto conn = mco::redis::Connection::connect(o);
      if (!conn.ok()) return 1;
      const std::string value(3, 'x');
      const int n = requests / 4;
      const mco::time::Instant start = mco::time::Instant::now();
      for (int i = 0; i < n; ++i) {
        if (!(*conn)->command({"SET", "key:conn", value}).ok()) return 1;
      }
      std::printf("SET    1 connection  pipeline 1   : %.0f commands/s\n",
                  n / start.elapsed().seconds());
    }
    for (int depth : {1, 100}) {
      for (int coroutines : {1, 50}) {
        for (const char* verb : {"SET", "GET"}) {
          const double rate =
              measure(client, verb, coroutines, depth, requests);
          std::printf("%-4s %3d coroutines  pipeline %-4d: %.0f commands/s\n",
                      verb, coroutines, depth, rate);
        }
      }
    }
    return 0;
  });
}
