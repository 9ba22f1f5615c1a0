// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: process_util.h
// -----------------------------------------------------------------------------
//
// Child processes for end-to-end tests: start a program with arguments in
// the background, read its first line, signal it, wait for it, and collect
// what it wrote. Every wait is bounded.
//
//   mco_test::Process server("launcher/mco-run",
//                            {"samples/echo_server/echo_server.so", "--",
//                             "127.0.0.1:0"});
//   std::optional<std::string> line = server.first_line(10s);
//   ...                                        // talk to the server
//   server.signal(SIGTERM);
//   mco_test::ProcessResult r = server.wait(10s);   // SIGKILL past 10 s
//
//   // Or all at once: start, wait (at most 60 s), collect.
//   mco_test::ProcessResult r = mco_test::run_process("/usr/bin/nm", {"-D"});
//
// The child's stdin is /dev/null. A thread drains its stdout and stderr
// pipes all along, so a child that writes a lot never blocks on a full pipe.
// A `Process` that is destroyed while its child still runs kills it
// (SIGKILL) and reaps it.

#ifndef MCO_TESTS_PROCESS_UTIL_H_
#define MCO_TESTS_PROCESS_UTIL_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

extern char** environ;

namespace mco_test {

// ProcessResult
//
// How a child process ended and what it wrote.
struct ProcessResult {
  int exit_code = -1;   // the exit status, or 128 + the signal
  bool killed = false;  // killed by `wait` for running past its timeout
  std::string out;
  std::string err;
  std::chrono::steady_clock::duration elapsed{};  // from start to exit
};

inline std::ostream& operator<<(std::ostream& os, const ProcessResult& r) {
  return os << "exit " << r.exit_code << (r.killed ? " (killed)" : "")
            << "\n--- stdout ---\n"
            << r.out << "--- stderr ---\n"
            << r.err << "--------------";
}

// Process
//
// One child process (see the file comment). Not copyable or movable.
class Process {
 public:
  using Clock = std::chrono::steady_clock;

  // Process::Process()
  //
  // Starts `program args...` (in `cwd` if not empty). A failure to start is
  // a test failure; `started()` is then false.
  Process(const std::string& program, const std::vector<std::string>& args,
          const std::string& cwd = "") {
    start(program, args, cwd);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  ~Process() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      reap(Clock::now() + std::chrono::seconds(10));
    }
    stop_reader();
  }

  [[nodiscard]] bool started() const { return pid_ > 0; }
  [[nodiscard]] pid_t pid() const { return pid_; }

  // Process::first_line()
  //
  // The first line of stdout, without its "\n", once the child has written
  // it; nothing if it does not within `timeout` (or closes stdout first).
  std::optional<std::string> first_line(Clock::duration timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    const bool done = cv_.wait_for(lock, timeout, [&] {
      return out_.find('\n') != std::string::npos || out_eof_;
    });
    const size_t nl = out_.find('\n');
    if (!done || nl == std::string::npos) return std::nullopt;
    return out_.substr(0, nl);
  }

  // Process::out() / err()
  //
  // What the child has written so far.
  std::string out() const {
    std::lock_guard<std::mutex> lock(mu_);
    return out_;
  }
  std::string err() const {
    std::lock_guard<std::mutex> lock(mu_);
    return err_;
  }

  // Process::signal()
  //
  // Sends `sig` to the child (unless it has been reaped).
  bool signal(int sig) {
    return pid_ > 0 && !reaped_ && ::kill(pid_, sig) == 0;
  }

  // Process::wait()
  //
  // Waits for the child to exit, killing it (SIGKILL) if it has not within
  // `timeout`, and returns how it ended and all it wrote.
  ProcessResult wait(Clock::duration timeout) {
    if (pid_ > 0 && !reaped_ && !reap(Clock::now() + timeout)) {
      ::kill(pid_, SIGKILL);
      result_.killed = true;
      reap(Clock::now() + std::chrono::seconds(10));
    }
    stop_reader();
    std::lock_guard<std::mutex> lock(mu_);
    result_.out = out_;
    result_.err = err_;
    return result_;
  }

 private:
  void start(const std::string& program, const std::vector<std::string>& args,
             const std::string& cwd) {
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
      ADD_FAILURE() << "pipe2: " << std::strerror(errno);
      return;
    }
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
      ADD_FAILURE() << "pipe2: " << std::strerror(errno);
      close(out_pipe[0]);
      close(out_pipe[1]);
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    if (!cwd.empty()) {
      posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    }
    std::vector<std::string> words;
    words.push_back(program);
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);

    start_time_ = Clock::now();
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr,
                               argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
      close(out_pipe[0]);
      close(err_pipe[0]);
      ADD_FAILURE() << "posix_spawn " << program << ": " << std::strerror(rc);
      return;
    }
    pid_ = pid;
    reader_ = std::thread(
        [this, out = out_pipe[0], err = err_pipe[0]] { drain(out, err); });
  }

  // The reader thread: appends what the child writes until both pipes are
  // at end of file, or until told to stop.
  void drain(int out_fd, int err_fd) {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0 && !stop_.load()) {
      const int n = poll(fds, 2, 50);
      if (n < 0 && errno != EINTR) break;
      for (int i = 0; i < 2 && n > 0; ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        char buf[4096];
        const ssize_t got = read(fds[i].fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        std::lock_guard<std::mutex> lock(mu_);
        if (got > 0) {
          (i == 0 ? out_ : err_).append(buf, static_cast<size_t>(got));
        } else {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_fds;
          if (i == 0) out_eof_ = true;
        }
        cv_.notify_all();
      }
    }
    for (pollfd& p : fds) {
      if (p.fd >= 0) close(p.fd);
    }
    std::lock_guard<std::mutex> lock(mu_);
    out_eof_ = true;
    drained_ = true;
    cv_.notify_all();
  }

  // Lets the reader finish the pipes (briefly: the child is gone, so only
  // a grandchild holding them could keep them open), then joins it.
  void stop_reader() {
    if (!reader_.joinable()) return;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(2), [&] { return drained_; });
    }
    stop_.store(true);
    reader_.join();
  }

  // Waits until the child exits or `deadline`; true if it was reaped.
  bool reap(Clock::time_point deadline) {
    // pidfd_open(2), through syscall(2): glibc 2.36's <sys/pidfd.h> lacks
    // C linkage for C++.
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    for (;;) {
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        reaped_ = true;
        result_.elapsed = Clock::now() - start_time_;
        result_.exit_code =
            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (r < 0 && errno != EINTR) break;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - Clock::now());
      if (left.count() <= 0) break;
      if (pidfd >= 0) {  // readable once the child has exited
        pollfd p = {pidfd, POLLIN, 0};
        poll(&p, 1, static_cast<int>(left.count()));
      } else {  // no pidfd (old kernel): look again shortly
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    if (pidfd >= 0) close(pidfd);
    return reaped_;
  }

  pid_t pid_ = -1;
  bool reaped_ = false;
  Clock::time_point start_time_;
  ProcessResult result_;
  std::thread reader_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string out_;       // guarded by mu_
  std::string err_;       // guarded by mu_
  bool out_eof_ = false;  // guarded by mu_: stdout is at end of file
  bool drained_ = false;  // guarded by mu_: the reader is done
};

// run_process()
//
// Runs `program args...` (in `cwd` if not empty) to its end, killing it
// past `timeout`.
inline ProcessResult run_process(
    const std::string& program, const std::vector<std::string>& args,
    const std::string& cwd = "",
    Process::Clock::duration timeout = std::chrono::seconds(60)) {
  Process p(program, args, cwd);
  return p.wait(timeout);
}

}  // namespace mco_test

#endif  // MCO_TESTS_PROCESS_UTIL_H_
