// Copyright 2026 The mco Authors.
//
// WebSocket echo throughput over loopback, mco client against mco server in
// one process: `conns` connections, each with a writer coroutine sending
// `count` binary messages of `size` bytes (pipelined) and a reader
// coroutine reading the echoes. Prints, per message size, echoed messages
// per second and payload MB/s (one direction; the wire carries it twice).
// Best of 3 runs.
//
//   bazel run //tests/net/websocket:echo_bench -- [workers] [conns]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "mco/go.h"
#include "mco/net/tcp.h"
#include "mco/net/websocket/client.h"
#include "mco/net/websocket/server.h"
#include "mco/runtime.h"

namespace {

namespace ws = mco::net::websocket;
using Clock = std::chrono::steady_clock;

void die(const absl::Status& st) {
  std::fprintf(stderr, "echo_bench: %s\n", st.ToString().c_str());
  std::exit(1);
}

// Seconds to echo `count` messages of `size` bytes on each of `conns`
// connections.
double run_once(int conns, size_t size, int count) {
  auto ln = mco::net::TcpListener::bind("127.0.0.1:0");
  if (!ln.ok()) die(ln.status());
  const std::string url =
      "ws://127.0.0.1:" + std::to_string(ln->local_address().value().port());
  auto server = mco::go([&] {
    std::vector<mco::JoinHandle<void>> echoers;
    for (int i = 0; i < conns; ++i) {
      auto c = ln->accept();
      if (!c.ok()) die(c.status());
      echoers.push_back(mco::go(
          [c = std::make_unique<mco::net::TcpStream>(std::move(*c))]() mutable {
            auto w = ws::accept_raw(std::move(c));
            if (!w.ok()) die(w.status());
            for (;;) {
              auto m = (*w)->read();
              if (!m.ok()) return;
              if (!(*w)->write(m->type, m->data).ok()) return;
            }
          }));
    }
    for (auto& e : echoers) e.join();
  });

  const std::string payload(size, 'x');
  std::vector<std::unique_ptr<ws::Conn>> clients;
  for (int i = 0; i < conns; ++i) {
    auto c = ws::dial(url);
    if (!c.ok()) die(c.status());
    clients.push_back(std::move(*c));
  }
  const auto start = Clock::now();
  std::vector<mco::JoinHandle<void>> tasks;
  for (auto& c : clients) {
    ws::Conn* conn = c.get();
    tasks.push_back(mco::go([conn, &payload, count] {
      for (int i = 0; i < count; ++i) {
        if (auto st = conn->write_binary(payload); !st.ok()) die(st);
      }
    }));
    tasks.push_back(mco::go([conn, size, count] {
      for (int i = 0; i < count; ++i) {
        auto m = conn->read();
        if (!m.ok()) die(m.status());
        if (m->data.size() != size) die(absl::InternalError("short echo"));
      }
    }));
  }
  for (auto& t : tasks) t.join();
  const double secs =
      std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& c : clients) (void)c->close();
  server.join();
  return secs;
}

}  // namespace

int main(int argc, char** argv) {
  const int workers = argc > 1 ? std::atoi(argv[1]) : 2;
  const int conns = argc > 2 ? std::atoi(argv[2]) : 1;
  return mco::run({.workers = workers}, [&] {
    std::printf("websocket echo, %d worker(s), %d connection(s), best of 3\n",
                workers, conns);
    std::printf("%10s %12s %12s\n", "size", "msgs/s", "MB/s");
    struct Case {
      size_t size;
      int count;
    };
    for (Case c : {Case{16, 200000}, Case{1024, 100000}, Case{64 << 10, 8000},
                   Case{1 << 20, 500}}) {
      const int per_conn = std::max(1, c.count / conns);
      double best = 1e9;
      for (int r = 0; r < 3; ++r) {
        best = std::min(best, run_once(conns, c.size, per_conn));
      }
      const double msgs = double(per_conn) * conns / best;
      std::printf("%10zu %12.0f %12.1f\n", c.size, msgs,
                  msgs * double(c.size) / 1e6);
    }
    return 0;
  });
}
