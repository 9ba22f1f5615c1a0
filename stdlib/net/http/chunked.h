// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: chunked.h
// -----------------------------------------------------------------------------
//
// The chunked transfer coding (RFC 9112, 7.1): `ChunkedDecoder`, an
// incremental decoder fed whatever bytes have arrived, and `append_chunk` /
// `append_last_chunk` to encode. No I/O and no runtime (fuzzed alone by
// tools/fuzz/http_chunked_fuzzer.cc).
//
//   mco::net::http::ChunkedDecoder dec;
//   std::string body;
//   while (!dec.done()) {
//     absl::StatusOr<size_t> used = dec.decode(reader.buffered(), &body);
//     if (!used.ok()) return used.status();   // malformed: 400
//     reader.consume(*used);
//     if (body.size() > limit) ...             // 413
//     if (!dec.done()) reader.fill();          // wait for more
//   }
//
// Contract: `decode` consumes a prefix of its input (possibly all of it,
// possibly none) and appends the chunk data in it to `*out`; it stops right
// after the last chunk's trailer section, so bytes of the next message are
// left unconsumed. A chunk size is 1 to 16 hex digits; chunk extensions
// are skipped; trailer fields are checked for syntax and dropped; lines end
// in CRLF or LF. A size line or trailer line longer than 4 KiB, or more
// than 64 KiB of trailers, is refused. Errors are InvalidArgument
// ("http: bad chunk size", ...); after one the decoder stays failed.

#ifndef MCO_STDLIB_NET_HTTP_CHUNKED_H_
#define MCO_STDLIB_NET_HTTP_CHUNKED_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mco::net::http {

class ChunkedDecoder {
 public:
  ChunkedDecoder() = default;

  // ChunkedDecoder::decode()
  //
  // Decodes from `in`, appending data to `*out`: how many bytes of `in`
  // were consumed.
  absl::StatusOr<size_t> decode(std::string_view in, std::string* out);

  // ChunkedDecoder::done()
  //
  // True once the last chunk and its trailers were decoded.
  [[nodiscard]] bool done() const { return state_ == State::kDone; }

 private:
  enum class State {
    kSize,      // hex digits of a chunk size
    kSizeLine,  // after the digits: extensions, then the line end
    kData,      // `left_` bytes of chunk data
    kDataEnd,   // the CRLF after chunk data
    kTrailer,   // trailer lines, until an empty one
    kDone,
    kFailed,
  };

  absl::Status fail(const char* what);

  State state_ = State::kSize;
  uint64_t left_ = 0;         // chunk size being read / data left
  int digits_ = 0;            // hex digits of the current size
  size_t line_ = 0;           // bytes of the current size/trailer line
  size_t trailer_bytes_ = 0;  // all trailer bytes so far
  bool saw_cr_ = false;       // a CR just before (line ends)
  bool in_ext_ = false;       // past the ';' of a chunk extension
  std::string trailer_line_;  // the trailer line being read
};

// append_chunk()
//
// Appends `data` as one chunk (nothing if it is empty: an empty chunk
// would end the body).
void append_chunk(std::string* out, std::string_view data);

// append_last_chunk()
//
// Appends the last chunk and an empty trailer section: "0\r\n\r\n".
void append_last_chunk(std::string* out);

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_CHUNKED_H_
