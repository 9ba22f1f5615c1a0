// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: raw_client.h
// -----------------------------------------------------------------------------
//
// A plain TCP client of the loopback interface for end-to-end tests of the
// servers: a blocking socket driven by hand, so that a test can do what a
// well-behaved library would not (stall, half-close, reset, send garbage) and
// see exactly what the server answered. Every read is bounded: by
// `kReadTimeout`, or by the timeout it is given; sends are bounded by the
// socket's send timeout (also `kReadTimeout`).
//
//   mco_test::RawClient c(server.port());
//   ASSERT_TRUE(c.connected());
//   ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
//   std::optional<std::string> r = c.read_response(5s);
//   c.reset();                                   // RST instead of FIN
//
// Not thread-safe: one thread uses a client at a time.

#ifndef MCO_TESTS_RAW_CLIENT_H_
#define MCO_TESTS_RAW_CLIENT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mco_test {

class RawClient {
 public:
  using Clock = std::chrono::steady_clock;

  // The bound on a read without a timeout of its own, and on each send.
  static constexpr Clock::duration kReadTimeout = std::chrono::seconds(10);

  // How a read that waits for the end of the stream ended.
  enum class End { kEof, kReset, kTimeout };

  // Connects to 127.0.0.1:`port`, with a receive buffer of `rcvbuf` bytes
  // if not 0 (the kernel's minimum is a few KiB).
  explicit RawClient(int port, int rcvbuf = 0) : start_(Clock::now()) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (rcvbuf > 0) {
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    }
    const timeval tv = {
        std::chrono::duration_cast<std::chrono::seconds>(kReadTimeout).count(),
        0};  // bounds connect and blocking sends
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  }
  ~RawClient() { close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }
  [[nodiscard]] int fd() const { return fd_; }
  // When the client was made (just before it connected).
  [[nodiscard]] Clock::time_point start() const { return start_; }

  // Sends all of `data`; false on an error or timeout.
  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads until `n` bytes, the end of the stream, an error or
  // `kReadTimeout`: what came, at most `n` bytes.
  std::string read_n(size_t n) {
    const auto deadline = Clock::now() + kReadTimeout;
    while (pending_.size() < n && fill(deadline)) {
    }
    std::string got = pending_.substr(0, std::min(n, pending_.size()));
    pending_.erase(0, got.size());
    return got;
  }

  // The next line without its "\n"; nothing at the end of the stream, on an
  // error or after `kReadTimeout`.
  std::optional<std::string> read_line() {
    const auto deadline = Clock::now() + kReadTimeout;
    size_t nl;
    while ((nl = pending_.find('\n')) == std::string::npos) {
      if (!fill(deadline)) return std::nullopt;
    }
    std::string line = pending_.substr(0, nl);
    pending_.erase(0, nl + 1);
    return line;
  }

  // Everything up to the end of the stream (bounded by `kReadTimeout`);
  // `*eof` tells whether the end came (rather than an error or a timeout).
  std::string read_to_eof(bool* eof) {
    std::string got;
    *eof = read_to_end(kReadTimeout, &got) == End::kEof;
    return got;
  }

  // Reads what comes until the end of the stream (FIN or reset) or
  // `timeout`; appends it to `*got` (if not null). How it ended.
  End read_to_end(Clock::duration timeout, std::string* got = nullptr) {
    const auto deadline = Clock::now() + timeout;
    while (fill(deadline)) {
    }
    if (got != nullptr) got->append(pending_);
    pending_.clear();
    if (eof_) return End::kEof;
    return reset_ ? End::kReset : End::kTimeout;
  }

  // Reads one HTTP response (a head with Content-Length, and its body)
  // within `timeout`: the whole of it, or nothing.
  std::optional<std::string> read_response(Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      const size_t head_end = pending_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const size_t cl = pending_.find("Content-Length: ");
        if (cl == std::string::npos || cl > head_end) return std::nullopt;
        const size_t total =
            head_end + 4 +
            std::strtoul(pending_.c_str() + cl + 16, nullptr, 10);
        if (pending_.size() >= total) {
          std::string r = pending_.substr(0, total);
          pending_.erase(0, total);
          return r;
        }
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }

  // Appends what has arrived to `*got`, without waiting.
  void read_available(std::string* got) {
    got->append(std::exchange(pending_, std::string()));
    while (receive(MSG_DONTWAIT) > 0) {
      got->append(std::exchange(pending_, std::string()));
    }
  }

  // True if bytes (or the end of the stream) arrive within `timeout`.
  bool readable_within(std::chrono::milliseconds timeout) {
    if (!pending_.empty()) return true;
    pollfd p = {fd_, POLLIN, 0};
    return poll(&p, 1, static_cast<int>(timeout.count())) == 1;
  }

  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // Closes with a reset (RST) instead of an orderly FIN.
  void reset() {
    const linger lg = {1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close();
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  // Waits (until `deadline`) for bytes and appends them to pending_; false
  // at the end of the stream, on an error (a reset) or at the deadline.
  bool fill(Clock::time_point deadline) {
    for (;;) {
      if (eof_ || reset_) return false;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p = {fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      const ssize_t n = receive(MSG_DONTWAIT);
      if (n > 0) return true;
      if (n == 0 || reset_) return false;
    }
  }

  // One recv(2) into pending_: its result; sets eof_ or reset_.
  ssize_t receive(int flags) {
    char buf[16384];
    const ssize_t n = recv(fd_, buf, sizeof buf, flags);
    if (n > 0) {
      pending_.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      eof_ = true;
    } else if (errno != EINTR && errno != EAGAIN) {
      reset_ = true;  // ECONNRESET, or another error: gone
    }
    return n;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  bool reset_ = false;
  Clock::time_point start_;
  std::string pending_;  // read but not handed out
};

}  // namespace mco_test

#endif  // MCO_TESTS_RAW_CLIENT_H_
