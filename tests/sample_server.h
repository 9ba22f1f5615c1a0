// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: sample_server.h
// -----------------------------------------------------------------------------
//
// A sample server module run under the built `mco-run` on a free loopback
// port, for end-to-end tests: it starts
//
//   launcher/mco-run --workers 2 MODULE -- ARGS... 127.0.0.1:0
//
// reads the port from the server's first line ("listening on
// 127.0.0.1:PORT"), looks at the process through /proc (descriptors,
// memory, limits) and stops it with a signal. Paths are relative to the
// runfiles root of workspace `mco`, where Bazel runs the tests. Every wait
// is bounded.
//
//   mco_test::SampleServer server("samples/echo_server/echo_server.so");
//   ASSERT_TRUE(server.ok()) << server.describe();
//   ...                                  // talk to server.address()
//   server.expect_graceful_stop();       // SIGTERM: "shutting down", exit 0

#ifndef MCO_TESTS_SAMPLE_SERVER_H_
#define MCO_TESTS_SAMPLE_SERVER_H_

#include <dirent.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/process_util.h"

namespace mco_test {

class SampleServer {
 public:
  using Clock = std::chrono::steady_clock;

  // The bound on any one wait: the first line, the exit, a condition.
  static constexpr Clock::duration kTimeout = std::chrono::seconds(30);

  // Starts `module` with `args` and the address 127.0.0.1:0 last, and waits
  // (bounded) for its first line.
  explicit SampleServer(const std::string& module,
                        std::vector<std::string> args = {})
      : process_("launcher/mco-run", Words(module, std::move(args))) {
    first_line_ = process_.first_line(kTimeout).value_or("");
    const std::string prefix = "listening on 127.0.0.1:";
    if (first_line_.rfind(prefix, 0) == 0) {
      port_ = std::atoi(first_line_.c_str() + prefix.size());
    }
  }

  // True once the server has announced its port.
  [[nodiscard]] bool ok() const { return port_ > 0; }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return process_.pid(); }
  [[nodiscard]] std::string address() const {
    return "127.0.0.1:" + std::to_string(port_);
  }
  // "http://127.0.0.1:PORT" + `path`.
  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://" + address() + path;
  }
  [[nodiscard]] const std::string& first_line() const { return first_line_; }
  [[nodiscard]] std::string out() const { return process_.out(); }
  [[nodiscard]] std::string err() const { return process_.err(); }
  // For failure messages.
  [[nodiscard]] std::string describe() const {
    return "first line: '" + first_line_ + "'\nstderr: " + process_.err();
  }

  // The descriptors the server has open now; -1 if unknown.
  [[nodiscard]] int open_fds() const {
    int n = 0;
    return for_each_fd([&](int) { ++n; }) ? n : -1;
  }

  // The highest descriptor number the server has open now; -1 if unknown.
  [[nodiscard]] int max_fd() const {
    int max = -1;
    for_each_fd([&](int fd) { max = std::max(max, fd); });
    return max;
  }

  // Waits (bounded) until the server has at most `n` descriptors open;
  // returns how many it has then.
  int wait_for_fds_at_most(int n) const {
    const auto deadline = Clock::now() + kTimeout;
    int now = open_fds();
    while (now > n && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      now = open_fds();
    }
    return now;
  }

  // The server's resident memory now (VmRSS), in KiB; -1 if unknown.
  [[nodiscard]] long rss_kib() const { return proc_field("status", "VmRSS:"); }

  // The server's RLIMIT_NOFILE soft limit ("Max open files"); -1 if unknown.
  [[nodiscard]] long max_open_files() const {
    return proc_field("limits", "Max open files");
  }

  // Sends `sig` and waits (bounded; SIGKILL past it) for the server to exit.
  ProcessResult stop(int sig = SIGTERM) {
    EXPECT_TRUE(process_.signal(sig));
    return process_.wait(kTimeout);
  }

  // Stops the server with `sig` and checks that it shut down cleanly: exit
  // 0, and "shutting down" as its last line. With `only_two_lines`, the
  // first line and that one are all it printed.
  void expect_graceful_stop(int sig = SIGTERM, bool only_two_lines = true) {
    const ProcessResult r = stop(sig);
    EXPECT_FALSE(r.killed) << r;
    EXPECT_EQ(r.exit_code, 0) << r;
    const std::string last = "shutting down\n";
    if (only_two_lines) {
      EXPECT_EQ(r.out, first_line_ + "\n" + last) << r;
    } else {
      EXPECT_TRUE(
          r.out.size() >= last.size() &&
          r.out.compare(r.out.size() - last.size(), last.size(), last) == 0)
          << r;
    }
  }

 private:
  static std::vector<std::string> Words(const std::string& module,
                                        std::vector<std::string> args) {
    std::vector<std::string> words = {"--workers", "2", module, "--"};
    words.insert(words.end(), args.begin(), args.end());
    words.push_back("127.0.0.1:0");
    return words;
  }

  // Calls `f(fd)` for each descriptor open in the server; false if
  // /proc/PID/fd cannot be read.
  template <typename F>
  bool for_each_fd(F f) const {
    const std::string dir = "/proc/" + std::to_string(pid()) + "/fd";
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return false;
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') f(std::atoi(e->d_name));
    }
    closedir(d);
    return true;
  }

  // The number after `key` on the line of /proc/PID/`file` that starts with
  // it; -1 if there is none.
  long proc_field(const char* file, const char* key) const {
    std::ifstream in("/proc/" + std::to_string(pid()) + "/" + file);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(key, 0) == 0) {
        return std::atol(line.c_str() + std::strlen(key));
      }
    }
    return -1;
  }

  Process process_;
  std::string first_line_;
  int port_ = 0;
};

}  // namespace mco_test

#endif  // MCO_TESTS_SAMPLE_SERVER_H_
