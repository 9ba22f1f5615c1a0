// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: redis_server.h
// -----------------------------------------------------------------------------
//
// A real `redis-server` for end-to-end tests, started by the test on a free
// loopback port (and a Unix socket), without persistence:
//
//   mco_test::RedisServer server({"--requirepass", "secret"});
//   ASSERT_TRUE(server.ready());
//   opts.address = server.address();          // "127.0.0.1:PORT"
//   server.kill();                            // SIGKILL, reaped
//   ASSERT_TRUE(server.start());              // again, on the same port
//
// The port is found by binding port 0; readiness by connecting and sending
// PING until the server answers (bounded retries), never by sleeping a
// guessed time. The destructor kills the server.

#ifndef MCO_TESTS_REDIS_REDIS_SERVER_H_
#define MCO_TESTS_REDIS_REDIS_SERVER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "mco/this_coroutine.h"
#include "tests/process_util.h"

namespace mco_test {

// poll_until()
//
// Calls `cond` (which asks the server something) until it returns true,
// yielding between calls, for at most `limit`; false if it never did.
template <typename F>
bool poll_until(F cond, std::chrono::seconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    mco::yield_now();
  }
  return true;
}

class RedisServer {
 public:
  explicit RedisServer(std::vector<std::string> extra_args = {})
      : extra_(std::move(extra_args)) {
    // Not under TEST_TMPDIR: a socket path must fit in 108 bytes.
    for (int attempt = 0; attempt < 5 && !ready_; ++attempt) {
      port_ = free_port();
      unix_path_ = "/tmp/mco-redis-" + std::to_string(::getpid()) + "-" +
                   std::to_string(port_) + ".sock";
      ready_ = start();
    }
  }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  ~RedisServer() {
    kill();
    ::unlink(unix_path_.c_str());
  }

  // True once the server answered.
  [[nodiscard]] bool ready() const { return ready_; }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string address() const {
    return "127.0.0.1:" + std::to_string(port_);
  }
  [[nodiscard]] std::string unix_address() const {
    return "unix:" + unix_path_;
  }

  // Starts the server on its port; true once it answers PING (within 10 s).
  bool start() {
    std::vector<std::string> args = {"--port",       std::to_string(port_),
                                     "--bind",       "127.0.0.1",
                                     "--save",       "",
                                     "--appendonly", "no",
                                     "--unixsocket", unix_path_,
                                     "--loglevel",   "warning"};
    args.insert(args.end(), extra_.begin(), extra_.end());
    process_ = std::make_unique<Process>("/usr/bin/redis-server", args);
    if (!process_->started()) return false;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int pause_ms = 1;
    while (std::chrono::steady_clock::now() < deadline) {
      if (answers()) return true;
      // Exited (e.g. the port was taken meanwhile)? Then give up at once.
      if (exited(process_->pid())) break;
      pollfd none{-1, 0, 0};
      ::poll(&none, 0, pause_ms);  // back off between connection attempts
      pause_ms = std::min(pause_ms * 2, 50);
    }
    std::string out = process_->out() + process_->err();
    kill();
    ADD_FAILURE() << "redis-server did not start on port " << port_ << ": "
                  << out;
    return false;
  }

  // SIGKILL and reap.
  void kill() {
    if (process_ == nullptr) return;
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(10));
    process_.reset();
  }

 private:
  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
      port = ntohs(a.sin_port);
    }
    ::close(fd);
    return port;
  }

  // True if `pid` has exited (a zombie not reaped yet, or gone).
  static bool exited(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return true;
    const size_t paren = line.rfind(')');
    return paren == std::string::npos || paren + 2 >= line.size() ||
           line[paren + 2] == 'Z';
  }

  // Connects and sends PING: true if a reply (+PONG, or -NOAUTH) came.
  bool answers() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port_));
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      timeval tv{2, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      char buf[8] = {};
      ok = ::write(fd, "PING\r\n", 6) == 6 && ::read(fd, buf, 1) == 1 &&
           (buf[0] == '+' || buf[0] == '-');
    }
    ::close(fd);
    return ok;
  }

  std::vector<std::string> extra_;
  int port_ = 0;
  std::string unix_path_;
  bool ready_ = false;
  std::unique_ptr<Process> process_;
};

}  // namespace mco_test

#endif  // MCO_TESTS_REDIS_REDIS_SERVER_H_
