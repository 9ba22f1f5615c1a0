// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: buffered_reader.h
// -----------------------------------------------------------------------------
//
// `BufferedReader`: Go's bufio.Reader, reduced to what the sample servers
// need, over an `mco::net::Stream`. One fixed buffer per connection,
// allocated once; lines and protocol heads are handed out as views into it,
// so reading a line or a request costs no heap allocation.
//
//   mco_samples::BufferedReader in(conn, 8192);
//   for (;;) {
//     absl::StatusOr<std::string_view> line = in.read_line(4096);
//     if (!line.ok()) break;  // OutOfRange: end of stream;
//                             // ResourceExhausted: line too long
//     handle(*line);          // valid until the next call that reads
//   }
//
// Views (from `read_line` and `buffered`) stay valid until the next call
// that reads (`fill`, `read_line`, `read_into`, `discard`): a read may move
// the unconsumed bytes to the front of the buffer.
//
// Errors are the stream's (reset, timeout, closed, ...) plus OutOfRange at
// the end of the stream and ResourceExhausted when the buffer is full of
// unconsumed bytes. Not safe for concurrent use: one reading coroutine.

#ifndef MCO_SAMPLES_COMMON_BUFFERED_READER_H_
#define MCO_SAMPLES_COMMON_BUFFERED_READER_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/stream.h"

namespace mco_samples {

class BufferedReader {
 public:
  // Reads from `stream` (which must outlive the reader) through a buffer of
  // `capacity` bytes.
  BufferedReader(mco::net::Stream& stream, size_t capacity)
      : stream_(stream), buf_(new char[capacity]), cap_(capacity) {}
  BufferedReader(const BufferedReader&) = delete;
  BufferedReader& operator=(const BufferedReader&) = delete;

  // BufferedReader::buffered()
  //
  // The bytes read from the stream and not consumed yet.
  [[nodiscard]] std::string_view buffered() const {
    return std::string_view(buf_.get() + begin_, end_ - begin_);
  }

  // BufferedReader::consume()
  //
  // Drops the first `n` (at most `buffered().size()`) buffered bytes.
  void consume(size_t n) {
    begin_ += std::min(n, end_ - begin_);
    if (begin_ == end_) begin_ = end_ = 0;
  }

  // BufferedReader::fill()
  //
  // Reads what the stream has (waiting for at least one byte) into the
  // buffer behind the unconsumed bytes: how many bytes were added, 0 at the
  // end of the stream. ResourceExhausted if the buffer is already full of
  // unconsumed bytes.
  absl::StatusOr<size_t> fill() {
    if (end_ == cap_) {
      if (begin_ == 0) {
        return absl::ResourceExhaustedError("read buffer full");
      }
      std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    absl::StatusOr<size_t> n = stream_.read(buf_.get() + end_, cap_ - end_);
    if (n.ok()) end_ += *n;
    return n;
  }

  // BufferedReader::read_line()
  //
  // The next line, without its "\n" or "\r\n". A last line without a
  // terminator is returned too; after it, OutOfRange ("EOF").
  // ResourceExhausted if the line is longer than `max_len` bytes (at most
  // the capacity minus 2); the reader is then unusable.
  absl::StatusOr<std::string_view> read_line(size_t max_len) {
    size_t searched = 0;  // bytes of buffered() known to hold no '\n'
    for (;;) {
      const std::string_view data = buffered();
      const void* nl =
          std::memchr(data.data() + searched, '\n', data.size() - searched);
      if (nl != nullptr) {
        const size_t len = static_cast<const char*>(nl) - data.data();
        const std::string_view line = strip_cr(data.substr(0, len));
        if (line.size() > max_len) return too_long(max_len);
        consume(len + 1);
        return line;
      }
      if (data.size() > max_len + 1) return too_long(max_len);
      searched = data.size();
      absl::StatusOr<size_t> n = fill();
      if (!n.ok()) return n.status();
      if (*n == 0) return last_line(max_len);
    }
  }

  // BufferedReader::read_into()
  //
  // Reads exactly `n` bytes into `dst`: the buffered ones first, then
  // straight from the stream. OutOfRange if the stream ends first.
  absl::Status read_into(char* dst, size_t n) {
    const size_t have = std::min(n, end_ - begin_);
    std::memcpy(dst, buf_.get() + begin_, have);
    consume(have);
    if (have == n) return absl::OkStatus();
    return stream_.read_exact(dst + have, n - have);
  }

  // BufferedReader::discard()
  //
  // Skips the next `n` bytes of the stream. OutOfRange if it ends first.
  absl::Status discard(size_t n) {
    for (;;) {
      const size_t have = std::min<size_t>(n, end_ - begin_);
      consume(have);
      n -= have;
      if (n == 0) return absl::OkStatus();
      absl::StatusOr<size_t> got = fill();
      if (!got.ok()) return got.status();
      if (*got == 0) return absl::OutOfRangeError("unexpected EOF");
    }
  }

 private:
  static absl::Status too_long(size_t max_len) {
    return absl::ResourceExhaustedError("line longer than " +
                                        std::to_string(max_len) + " bytes");
  }

  static std::string_view strip_cr(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }

  // At the end of the stream: the unterminated rest as a last line (its
  // bytes stay in place until the next read), or OutOfRange.
  absl::StatusOr<std::string_view> last_line(size_t max_len) {
    const std::string_view line = strip_cr(buffered());
    if (end_ == begin_) return absl::OutOfRangeError("EOF");
    if (line.size() > max_len) return too_long(max_len);
    begin_ = end_ = 0;
    return line;
  }

  mco::net::Stream& stream_;
  std::unique_ptr<char[]> buf_;
  size_t cap_;
  size_t begin_ = 0;  // first unconsumed byte
  size_t end_ = 0;    // one past the last buffered byte
};

}  // namespace mco_samples

#endif  // MCO_SAMPLES_COMMON_BUFFERED_READER_H_
