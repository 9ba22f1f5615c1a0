// Copyright 2026 The mco Authors.

#include "mco/net/http/chunked.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mco::net::http {
namespace {

constexpr size_t kMaxLine = 4096;
constexpr size_t kMaxTrailers = 64 * 1024;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A trailer field line: "Name: value", as in a head.
bool valid_trailer(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (char c : line.substr(0, colon)) {
    if (!is_tchar(c)) return false;
  }
  for (unsigned char c : line.substr(colon + 1)) {
    if ((c < ' ' && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

absl::Status ChunkedDecoder::fail(const char* what) {
  state_ = State::kFailed;
  return absl::InvalidArgumentError(std::string("http: ") + what);
}

absl::StatusOr<size_t> ChunkedDecoder::decode(std::string_view in,
                                              std::string* out) {
  size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    switch (state_) {
      case State::kSize: {
        const int v = hex_value(c);
        if (v < 0) {
          if (digits_ == 0) return fail("bad chunk size");
          // After the digits: an extension (";name=value", maybe after
          // white space) or the line end.
          if (c != ';' && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            return fail("bad chunk size");
          }
          state_ = State::kSizeLine;
          line_ = static_cast<size_t>(digits_);
          saw_cr_ = false;
          continue;  // look at `c` again
        }
        if (++digits_ > 16) return fail("chunk size too long");
        left_ = left_ * 16 + static_cast<uint64_t>(v);
        ++i;
        break;
      }
      case State::kSizeLine: {
        if (++line_ > kMaxLine) return fail("chunk size line too long");
        ++i;
        if (c == '\n') {
          digits_ = 0;
          line_ = 0;
          in_ext_ = false;
          if (left_ == 0) {
            state_ = State::kTrailer;
            trailer_line_.clear();
          } else {
            state_ = State::kData;
          }
        } else if (saw_cr_) {
          return fail("bare CR in chunk size line");
        } else if (c == '\r') {
          saw_cr_ = true;
        } else if ((static_cast<unsigned char>(c) < ' ' && c != '\t') ||
                   c == 0x7f) {
          return fail("control character in chunk extension");
        } else if (!in_ext_) {
          // Before the first ';' only white space may follow the size.
          if (c == ';') {
            in_ext_ = true;
          } else if (c != ' ' && c != '\t') {
            return fail("bad chunk size");
          }
        }
        break;
      }
      case State::kData: {
        const size_t n =
            static_cast<size_t>(std::min<uint64_t>(left_, in.size() - i));
        out->append(in.data() + i, n);
        i += n;
        left_ -= n;
        if (left_ == 0) {
          state_ = State::kDataEnd;
          saw_cr_ = false;
        }
        break;
      }
      case State::kDataEnd:
        ++i;
        if (c == '\r' && !saw_cr_) {
          saw_cr_ = true;
        } else if (c == '\n') {
          state_ = State::kSize;
        } else {
          return fail("missing CRLF after chunk data");
        }
        break;
      case State::kTrailer: {
        ++i;
        if (++trailer_bytes_ > kMaxTrailers) return fail("trailers too large");
        if (c == '\n') {
          std::string_view line = trailer_line_;
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          if (line.empty()) {
            state_ = State::kDone;
            return i;
          }
          if (!valid_trailer(line)) return fail("malformed trailer");
          trailer_line_.clear();
        } else {
          if (!trailer_line_.empty() && trailer_line_.back() == '\r') {
            return fail("bare CR in trailer");
          }
          if (trailer_line_.size() >= kMaxLine) {
            return fail("trailer line too long");
          }
          trailer_line_.push_back(c);
        }
        break;
      }
      case State::kDone:
        return i;
      case State::kFailed:
        return absl::InvalidArgumentError("http: chunked decoder failed");
    }
  }
  if (state_ == State::kFailed) {
    return absl::InvalidArgumentError("http: chunked decoder failed");
  }
  return i;
}

void append_chunk(std::string* out, std::string_view data) {
  if (data.empty()) return;
  static constexpr char kHex[] = "0123456789abcdef";
  char digits[16];
  int n = 0;
  for (uint64_t size = data.size(); size > 0; size >>= 4) {
    digits[n++] = kHex[size & 15];
  }
  while (n > 0) out->push_back(digits[--n]);
  out->append("\r\n").append(data).append("\r\n");
}

void append_last_chunk(std::string* out) { out->append("0\r\n\r\n"); }

}  // namespace mco::net::http
