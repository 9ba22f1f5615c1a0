// Copyright 2026 The mco Authors.
//
// `ConnReader` (internal to mco/net/http): a buffered reader over a
// `net::Conn`, shared by the server and the client. One buffer per
// connection, allocated once; heads are parsed in place.
//
// Views from `buffered()` stay valid until the next call that reads
// (`fill`, `read_into`, `discard`): a read may move the unconsumed bytes to
// the front of the buffer. One reading coroutine at a time.

#ifndef MCO_STDLIB_NET_HTTP_CONN_READER_H_
#define MCO_STDLIB_NET_HTTP_CONN_READER_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/conn.h"

namespace mco::net::http::internal {

class ConnReader {
 public:
  ConnReader(net::Conn* conn, size_t capacity)
      : conn_(conn), buf_(new char[capacity]), cap_(capacity) {}
  ConnReader(const ConnReader&) = delete;
  ConnReader& operator=(const ConnReader&) = delete;

  void reset(net::Conn* conn) {
    conn_ = conn;
    begin_ = end_ = 0;
  }

  [[nodiscard]] std::string_view buffered() const {
    return std::string_view(buf_.get() + begin_, end_ - begin_);
  }
  [[nodiscard]] size_t capacity() const { return cap_; }

  void consume(size_t n) {
    begin_ += std::min(n, end_ - begin_);
    if (begin_ == end_) begin_ = end_ = 0;
  }

  // Reads what the connection has (at least one byte) behind the buffered
  // bytes: how many, 0 at end of stream. ResourceExhausted if the buffer
  // is full of unconsumed bytes.
  absl::StatusOr<size_t> fill() {
    if (end_ == cap_) {
      if (begin_ == 0) return absl::ResourceExhaustedError("buffer full");
      std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    absl::StatusOr<size_t> n = conn_->read(buf_.get() + end_, cap_ - end_);
    if (n.ok()) end_ += *n;
    return n;
  }

  // Reads exactly `n` bytes into `dst`, buffered ones first. OutOfRange if
  // the stream ends first.
  absl::Status read_into(char* dst, size_t n) {
    const size_t have = std::min(n, end_ - begin_);
    if (have > 0) std::memcpy(dst, buf_.get() + begin_, have);
    consume(have);
    if (have == n) return absl::OkStatus();
    return conn_->read_exact(dst + have, n - have);
  }

  // Takes every buffered byte out (for a hijacked connection).
  std::string take_buffered() {
    std::string s(buffered());
    begin_ = end_ = 0;
    return s;
  }

 private:
  net::Conn* conn_;
  std::unique_ptr<char[]> buf_;
  size_t cap_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace mco::net::http::internal

#endif  // MCO_STDLIB_NET_HTTP_CONN_READER_H_
