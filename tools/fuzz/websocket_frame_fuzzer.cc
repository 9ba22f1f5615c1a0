// Copyright 2026 The mco Authors.
//
// Fuzzes the WebSocket frame codec (stdlib/net/websocket/frame.h): frame
// headers, masking, close payloads and UTF-8 validation. The first input
// byte picks the sender (bit 0) and a split point (the rest of it); the
// remaining bytes are the wire data.
//
// Invariants checked beyond "no crash, no sanitizer report":
//  - Header round trip: an accepted header is 2..14 bytes and follows the
//    rules (control frames FIN and <= 125 bytes, no RSV, known opcode, mask
//    bit as the sender requires, 63-bit length); re-encoded it parses to the
//    same fields, and to the same bytes when the input used the minimal
//    length form (else to fewer bytes).
//  - Incremental parsing: every proper prefix of an accepted header asks for
//    more (returns 0), and an error is the same whatever follows.
//  - Masking is an involution, and masking in two pieces (split anywhere)
//    equals masking at once.
//  - Close payloads: an accepted payload re-encodes to the same bytes.
//  - UTF-8: the validator agrees with a reference decoder written from the
//    definition (code points, minimal length, no surrogates, <= U+10FFFF),
//    and feeding it in two pieces gives the same verdict.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "mco/net/websocket/frame.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

using namespace mco::net::websocket;  // NOLINT: a fuzz target

// The reference: decode code points one at a time.
bool reference_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<uint8_t>(s[i]);
    int n;
    uint32_t cp;
    if (b < 0x80) {
      n = 0;
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      n = 1;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 2;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // cut off
    for (int k = 1; k <= n; ++k) {
      const auto c = static_cast<uint8_t>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr uint32_t kMin[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

bool same(const FrameHeader& a, const FrameHeader& b) {
  return a.fin == b.fin && a.rsv == b.rsv && a.opcode == b.opcode &&
         a.masked == b.masked && a.payload_length == b.payload_length &&
         (!a.masked || std::memcmp(a.mask_key, b.mask_key, 4) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Sender from = (data[0] & 1) ? Sender::kClient : Sender::kServer;
  const std::string_view wire(reinterpret_cast<const char*>(data) + 1,
                              size - 1);
  const size_t split = wire.empty() ? 0 : (data[0] >> 1) % (wire.size() + 1);

  // Headers.
  FrameHeader h;
  const absl::StatusOr<size_t> n = parse_frame_header(wire, from, &h);
  if (n.ok() && *n > 0) {
    FUZZ_CHECK(*n >= 2 && *n <= kMaxFrameHeaderSize && *n <= wire.size());
    FUZZ_CHECK(h.rsv == 0);
    FUZZ_CHECK(h.masked == (from == Sender::kClient));
    FUZZ_CHECK((h.payload_length >> 63) == 0);
    if (is_control(h.opcode)) {
      FUZZ_CHECK(h.fin && h.payload_length <= kMaxControlPayload);
    }
    for (size_t k = 0; k < *n; ++k) {
      FrameHeader p;
      const absl::StatusOr<size_t> partial =
          parse_frame_header(wire.substr(0, k), from, &p);
      FUZZ_CHECK(partial.ok() && *partial == 0);
    }
    char buf[kMaxFrameHeaderSize];
    const size_t e = encode_frame_header(h, buf);
    FUZZ_CHECK(e <= *n);
    if (e == *n) FUZZ_CHECK(std::memcmp(buf, wire.data(), e) == 0);
    FrameHeader back;
    const absl::StatusOr<size_t> again =
        parse_frame_header(std::string_view(buf, e), from, &back);
    FUZZ_CHECK(again.ok() && *again == e);
    FUZZ_CHECK(same(h, back));
  } else if (!n.ok()) {
    FUZZ_CHECK(n.status().code() == absl::StatusCode::kInvalidArgument);
    // The same error with more bytes after it.
    std::string longer(wire);
    longer.append(16, '\x7F');
    FrameHeader p;
    const absl::StatusOr<size_t> l = parse_frame_header(longer, from, &p);
    FUZZ_CHECK(!l.ok() && l.status() == n.status());
  }

  // Masking.
  const uint8_t key[4] = {data[0], 0x5A, 0xC3, 0x01};
  std::string whole(wire);
  apply_mask(whole.data(), whole.size(), key, 0);
  std::string pieces(wire);
  apply_mask(pieces.data(), split, key, 0);
  apply_mask(pieces.data() + split, pieces.size() - split, key, split);
  FUZZ_CHECK(whole == pieces);
  apply_mask(whole.data(), whole.size(), key, 0);
  FUZZ_CHECK(whole == wire);

  // Close payloads.
  const absl::StatusOr<ClosePayload> c = parse_close_payload(wire);
  if (c.ok()) {
    const absl::StatusOr<std::string> re =
        make_close_payload(c->code, c->reason);
    FUZZ_CHECK(re.ok());
    FUZZ_CHECK(*re == wire);
    FUZZ_CHECK(wire.empty() == (c->code == kCloseNoStatus));
  }

  // UTF-8.
  const bool ref = reference_utf8(wire);
  FUZZ_CHECK(is_valid_utf8(wire) == ref);
  Utf8Validator v;
  const bool first = v.feed(wire.substr(0, split));
  const bool second = v.feed(wire.substr(split));
  FUZZ_CHECK((first && second && v.complete()) == ref);
  return 0;
}
