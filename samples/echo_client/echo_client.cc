// Copyright 2026 The mco Authors.
//
// A load generator for samples/echo_server: many connections, each a
// coroutine doing round trips one after the other.
//
//   mco-run echo_client.so -- HOST:PORT [CONNECTIONS [MESSAGES [SIZE]]]
//
// CONNECTIONS (1..10000, default 50) coroutines each connect to HOST:PORT
// and send MESSAGES (1..10000000, default 1000) messages of SIZE bytes
// (1..65536, default 64), one at a time: write the message, read back
// exactly SIZE bytes and check they are the bytes sent. Every message has
// its own content, so a reply to another message or another connection is
// caught too. At the end it prints one line and exits 0:
//
//   50 connections x 1000 messages of 64 bytes: 50000 round trips in
//   0.84 s = 59523 requests/s
//
// (one line on stdout). On the first failure (server unreachable, reset,
// wrong bytes, 10 s without a reply) every connection stops and the client
// exits 1 with one line on stderr, e.g.
// `echo_client: connect 127.0.0.1:7000: Connection refused`.
// Bad arguments: exit 2 with one line.

#include <atomic>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/go.h"
#include "mco/module.h"
#include "mco/net/address.h"
#include "mco/net/tcp.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"
#include "samples/common/int_arg.h"

namespace {

using mco::time::Instant;
using mco::time::Second;

constexpr char kProgram[] = "echo_client";
constexpr auto kConnectTimeout = 5 * Second;
constexpr auto kRoundTripTimeout = 10 * Second;

// What to do, from the command line.
struct Load {
  std::string address;
  int connections = 50;
  int messages = 1000;
  int size = 64;
};

// Reads the command line into *load; false (after one line) if it is bad.
bool parse_args(const mco::Args& args, Load* load) {
  if (args.size() < 2 || args.size() > 5) {
    std::fprintf(stderr,
                 "%s: usage: echo_client.so -- HOST:PORT [CONNECTIONS "
                 "[MESSAGES [SIZE]]]\n",
                 kProgram);
    return false;
  }
  load->address = args[1];
  if (!mco::net::split_host_port(load->address).ok()) {
    std::fprintf(stderr, "%s: HOST:PORT expected, not '%s'\n", kProgram,
                 load->address.c_str());
    return false;
  }
  return mco_samples::int_arg(args, 2, kProgram, "CONNECTIONS", 1, 10000, 50,
                              &load->connections) &&
         mco_samples::int_arg(args, 3, kProgram, "MESSAGES", 1, 10000000, 1000,
                              &load->messages) &&
         mco_samples::int_arg(args, 4, kProgram, "SIZE", 1, 65536, 64,
                              &load->size);
}

// Fills `msg` with the content of message `m` of connection `c`: printable
// bytes, shifted per connection and per message.
void fill_message(std::string& msg, int c, int m) {
  const unsigned shift =
      static_cast<unsigned>(c) * 7u + static_cast<unsigned>(m);
  for (size_t i = 0; i < msg.size(); ++i) {
    msg[i] = static_cast<char>('!' + (shift + i) % 94);
  }
}

// Connection `c`: its round trips, until done, failed, or `stop` is set
// (another connection failed).
absl::Status run_connection(const Load& load, int c,
                            const std::atomic<bool>& stop) {
  absl::StatusOr<mco::net::TcpStream> conn =
      mco::net::TcpStream::connect(load.address, kConnectTimeout);
  if (!conn.ok()) return conn.status();
  std::string msg(load.size, '\0');
  std::string back(load.size, '\0');
  for (int m = 0; m < load.messages; ++m) {
    if (stop.load(std::memory_order_relaxed)) return absl::OkStatus();
    fill_message(msg, c, m);
    conn->set_deadline(Instant::now() + kRoundTripTimeout);
    if (absl::Status st = conn->write_all(msg); !st.ok()) return st;
    if (absl::Status st = conn->read_exact(back.data(), back.size());
        !st.ok()) {
      return st;
    }
    if (back != msg) {
      return absl::DataLossError("connection " + std::to_string(c) +
                                 ", message " + std::to_string(m) +
                                 ": the server echoed different bytes");
    }
  }
  return absl::OkStatus();
}

}  // namespace

MCO_MAIN(args) {
  Load load;
  if (!parse_args(args, &load)) return 2;

  std::atomic<bool> stop{false};
  const Instant start = Instant::now();
  std::vector<mco::JoinHandle<absl::Status>> conns;
  conns.reserve(load.connections);
  for (int c = 0; c < load.connections; ++c) {
    conns.push_back(mco::go([&load, &stop, c] {
      absl::Status st = run_connection(load, c, stop);
      if (!st.ok()) stop.store(true);
      return st;
    }));
  }
  absl::Status first_error;
  for (auto& conn : conns) {
    absl::Status st = conn.join();
    if (first_error.ok()) first_error = st;
  }
  const double seconds = start.elapsed().seconds();
  if (!first_error.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram,
                 std::string(first_error.message()).c_str());
    return 1;
  }
  const long long trips =
      static_cast<long long>(load.connections) * load.messages;
  std::printf(
      "%d connections x %d messages of %d bytes: %lld round trips in %.2f s "
      "= %.0f requests/s\n",
      load.connections, load.messages, load.size, trips, seconds,
      seconds > 0 ? trips / seconds : 0.0);
  return 0;
}
