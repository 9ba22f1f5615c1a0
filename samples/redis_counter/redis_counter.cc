// Copyright 2026 The mco Authors.
//
// A Redis sample: many coroutines INCR one counter through a shared
// `mco::redis::Client` (a connection pool), and tell the main coroutine
// over Redis pub/sub when each is done.
//
//   mco-run redis_counter.so -- ADDRESS [COROUTINES [INCRS]]
//
// ADDRESS is "host:port" or "unix:/path" of a Redis server (6 or later for
// RESP3; older ones are spoken to in RESP2). COROUTINES (1..10000, default
// 100) each INCR the key "redis_counter:<pid>" INCRS (1..1000000, default
// 100) times, then PUBLISH "done <i>" on the channel of the same name. The
// main coroutine subscribes first, waits for every "done", checks the
// counter and prints one line, e.g.
//
//   100 coroutines x 100 INCRs: counter 10000, 100 done messages,
//   0.41 s = 24390 INCRs/s (pool: 16 connections dialled)
//
// and deletes the key. Errors (server unreachable, a wrong count): one line
// on stderr, exit 1. Bad arguments: exit 2.

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mco/go.h"
#include "mco/module.h"
#include "mco/redis/client.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"
#include "samples/common/int_arg.h"

namespace {

constexpr char kProgram[] = "redis_counter";

int fail(const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", kProgram, what.c_str());
  return 1;
}

}  // namespace

MCO_MAIN(args) {
  if (args.size() < 2 || args.size() > 4) {
    std::fprintf(stderr,
                 "%s: usage: redis_counter.so -- ADDRESS [COROUTINES "
                 "[INCRS]]\n",
                 kProgram);
    return 2;
  }
  int coroutines = 0, incrs = 0;
  if (!mco_samples::int_arg(args, 2, kProgram, "COROUTINES", 1, 10000, 100,
                            &coroutines) ||
      !mco_samples::int_arg(args, 3, kProgram, "INCRS", 1, 1000000, 100,
                            &incrs)) {
    return 2;
  }
  mco::redis::Options options;
  options.address = args[1];
  options.command_timeout = 10 * mco::time::Second;
  mco::redis::Client client(options);
  const std::string key = absl::StrCat("redis_counter:", getpid());

  // Subscribe before anyone can publish.
  auto sub = client.subscribe({key});
  if (!sub.ok()) return fail(sub.status().ToString());
  if (auto d = client.del({key}); !d.ok()) return fail(d.status().ToString());

  const mco::time::Instant start = mco::time::Instant::now();
  std::atomic<int> errors{0};
  std::string first_error;
  std::vector<mco::JoinHandle<void>> workers;
  for (int i = 0; i < coroutines; ++i) {
    workers.push_back(mco::go([&, i] {
      for (int j = 0; j < incrs; ++j) {
        if (auto n = client.incr(key); !n.ok()) {
          if (errors++ == 0) first_error = n.status().ToString();
          break;
        }
      }
      (void)client.publish(key, absl::StrCat("done ", i));
    }));
  }
  // Every worker announces itself once; the channel delivers in order.
  mco::Chan<mco::redis::Message> messages = (*sub)->messages();
  int done = 0;
  while (done < coroutines) {
    auto m = messages.recv_for(std::chrono::seconds(30));
    if (!m.ok()) return fail("no 'done' message within 30 s");
    if (m.value->payload.rfind("done ", 0) == 0) ++done;
  }
  for (auto& w : workers) w.join();
  const double secs = start.elapsed().seconds();
  (*sub)->close();
  if (errors > 0) return fail(first_error);

  auto value = client.get(key);
  if (!value.ok()) return fail(value.status().ToString());
  const long long want = static_cast<long long>(coroutines) * incrs;
  if (!value->has_value() || **value != std::to_string(want)) {
    return fail(absl::StrCat("counter is ", value->value_or("(nil)"),
                             ", expected ", want));
  }
  (void)client.del({key});
  std::printf(
      "%d coroutines x %d INCRs: counter %lld, %d done messages, %.2f s = "
      "%.0f INCRs/s (pool: %lld connections dialled)\n",
      coroutines, incrs, want, done, secs, want / secs,
      static_cast<long long>(client.stats().dials));
  return 0;
}
