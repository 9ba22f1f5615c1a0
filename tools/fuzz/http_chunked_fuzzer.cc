// Copyright 2026 The mco Authors.
//
// Fuzzes mco/net/http's chunked decoder (stdlib/net/http/chunked.h).
//
// Invariants checked beyond "no crash, no hang, no sanitizer report":
//  - Feeding the input whole, or split in two at a point the first byte
//    picks, or byte by byte, gives the same data, the same number of bytes
//    consumed, and the same outcome (done, waiting for more, or refused).
//  - A refusal is InvalidArgument; a finished decode consumed at most the
//    input, and never more data came out than went in.
//  - The data re-encoded with `append_chunk` / `append_last_chunk` decodes
//    to the same data, done, consuming exactly the encoding.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/http/chunked.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

using mco::net::http::ChunkedDecoder;

struct Outcome {
  bool failed = false;
  bool done = false;
  size_t consumed = 0;
  std::string data;
};

// Feeds `in` in pieces of at most `step` bytes (and at `split` first),
// as a server feeds what each read brought.
Outcome feed(std::string_view in, size_t split, size_t step) {
  Outcome o;
  ChunkedDecoder dec;
  size_t at = 0;
  while (at < in.size() && !dec.done()) {
    size_t n = at < split ? split - at : step;
    if (n == 0) n = 1;
    const std::string_view piece = in.substr(at, n);
    absl::StatusOr<size_t> used = dec.decode(piece, &o.data);
    if (!used.ok()) {
      FUZZ_CHECK(absl::IsInvalidArgument(used.status()));
      o.failed = true;
      return o;
    }
    FUZZ_CHECK(*used <= piece.size());
    // A piece is consumed whole unless the body ended inside it.
    FUZZ_CHECK(*used == piece.size() || dec.done());
    o.consumed += *used;
    at += piece.size();
  }
  o.done = dec.done();
  return o;
}

bool same(const Outcome& a, const Outcome& b) {
  if (a.failed || b.failed) return a.failed == b.failed;
  return a.done == b.done && a.consumed == b.consumed && a.data == b.data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const size_t split = bytes[0] % (size + 1);
  const std::string_view in(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  const Outcome whole = feed(in, 0, in.size() + 1);
  FUZZ_CHECK(same(whole, feed(in, split, in.size() + 1)));
  if (in.size() <= 4096) FUZZ_CHECK(same(whole, feed(in, 0, 1)));
  if (whole.failed) return 0;
  FUZZ_CHECK(whole.consumed <= in.size());
  FUZZ_CHECK(whole.data.size() <= whole.consumed);

  std::string encoded;
  mco::net::http::append_chunk(&encoded, whole.data);
  mco::net::http::append_last_chunk(&encoded);
  const Outcome again = feed(encoded, 0, encoded.size() + 1);
  FUZZ_CHECK(!again.failed && again.done);
  FUZZ_CHECK(again.consumed == encoded.size());
  FUZZ_CHECK(again.data == whole.data);
  return 0;
}
