// Copyright 2026 The mco Authors.
//
// libFuzzer target for the RESP parser (stdlib/redis/resp.h).
//
// The input is a byte stream from a server. Invariants, each checked with
// attributes skipped and kept:
//   1. Parsing never consumes more than it was given, and a reply comes
//      only with bytes consumed.
//   2. Round trip: every reply parsed, encoded again (`encode_reply`) and
//      parsed, is the same reply, and uses exactly the encoded bytes.
//   3. Incremental: the stream fed in small chunks (sizes taken from the
//      input), dropping what was consumed as a connection does, gives the
//      same replies and ends the same way (an error, or needing more).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mco/redis/resp.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

using mco::redis::Parser;
using mco::redis::ParserOptions;
using mco::redis::Reply;

struct Outcome {
  std::vector<Reply> replies;
  bool error = false;
};

// Parses `input` fed `chunk` bytes at a time (all at once if 0).
Outcome parse_stream(std::string_view input, size_t chunk,
                     const ParserOptions& options) {
  Outcome out;
  Parser p(options);
  std::string buf;
  size_t fed = 0;
  for (;;) {
    const size_t n =
        chunk == 0 ? input.size() - fed : std::min(chunk, input.size() - fed);
    buf.append(input.substr(fed, n));
    fed += n;
    for (;;) {
      size_t used = 0;
      auto r = p.parse(buf, &used);
      FUZZ_CHECK(used <= buf.size());
      buf.erase(0, used);
      if (!r.ok()) {
        out.error = true;
        return out;
      }
      if (!r->has_value()) break;
      FUZZ_CHECK(used > 0);
      out.replies.push_back(std::move(**r));
    }
    if (fed == input.size()) return out;
  }
}

void check(std::string_view input, size_t chunk, const ParserOptions& o) {
  const Outcome whole = parse_stream(input, 0, o);
  for (const Reply& r : whole.replies) {
    const std::string wire = mco::redis::encode_reply(r);
    Parser p(o);
    size_t used = 0;
    auto again = p.parse(wire, &used);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->has_value());
    FUZZ_CHECK(used == wire.size());
    FUZZ_CHECK(**again == r);
  }
  const Outcome pieces = parse_stream(input, chunk, o);
  FUZZ_CHECK(pieces.error == whole.error);
  FUZZ_CHECK(pieces.replies == whole.replies);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = data[0] % 7 + 1;
  const std::string_view input(reinterpret_cast<const char*>(data + 1),
                               size - 1);
  ParserOptions o;
  o.max_bulk_length = 1 << 12;
  o.max_aggregate_length = 1 << 12;
  o.max_depth = 16;
  check(input, chunk, o);
  o.keep_attributes = true;
  check(input, chunk, o);
  return 0;
}
