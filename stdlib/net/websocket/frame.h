// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: frame.h
// -----------------------------------------------------------------------------
//
// The WebSocket frame codec (RFC 6455 section 5): frame headers, masking,
// close payloads and incremental UTF-8 validation. Pure functions over bytes,
// with no dependency on the runtime (only Abseil and the standard library),
// so a fuzzer compiles this file alone. `websocket::Conn` (conn.h) drives it.
//
//   FrameHeader h;
//   absl::StatusOr<size_t> n = parse_frame_header(buf, Sender::kClient, &h);
//   if (!n.ok()) ...             // protocol error: close with 1002
//   if (*n == 0) ...             // need more bytes
//   // else: the payload (h.payload_length bytes) starts at buf[*n]
//   apply_mask(payload, len, h.mask_key, 0);
//
// Validation rules `parse_frame_header` applies (each failure is
// InvalidArgument with a "websocket: ..." message):
//  - RSV1..3 must be 0 (no extension is negotiated by mco);
//  - the opcode must be one of 0x0, 0x1, 0x2 (data) or 0x8, 0x9, 0xA
//    (control); 0x3-0x7 and 0xB-0xF are reserved;
//  - control frames must have FIN set and at most 125 bytes of payload;
//  - the most significant bit of a 64-bit length must be 0;
//  - frames sent by a client must be masked, frames sent by a server must not.
// Non-minimal length encodings (e.g. 5 in the 16-bit form) are accepted: RFC
// 6455 requires senders to use the minimal form but gives receivers no rule,
// and rejecting them protects nothing. `encode_frame_header` always writes
// the minimal form.
//
// Close payloads (5.5.1, 7.4): empty (no status code, reported as 1005), or a
// two-byte code followed by a UTF-8 reason of at most 123 bytes. Codes a peer
// may send: 1000-1003, 1007-1014 and 3000-4999. 1004 and 1016-2999 are
// reserved; 1005, 1006 and 1015 are only for reporting, never on the wire.

#ifndef MCO_STDLIB_NET_WEBSOCKET_FRAME_H_
#define MCO_STDLIB_NET_WEBSOCKET_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mco::net::websocket {

// Opcode
//
// A frame's type (RFC 6455 5.2).
enum class Opcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// is_control()
//
// True for close, ping and pong (opcodes with the high bit set).
[[nodiscard]] constexpr bool is_control(Opcode op) {
  return (static_cast<uint8_t>(op) & 0x8) != 0;
}

// Sender
//
// Who sent the frame being parsed: a client's frames must be masked, a
// server's must not.
enum class Sender { kClient, kServer };

// Close codes (RFC 6455 7.4.1) mco uses by name.
inline constexpr uint16_t kCloseNormal = 1000;
inline constexpr uint16_t kCloseGoingAway = 1001;
inline constexpr uint16_t kCloseProtocolError = 1002;
inline constexpr uint16_t kCloseUnsupportedData = 1003;
inline constexpr uint16_t kCloseNoStatus = 1005;  // never sent
inline constexpr uint16_t kCloseAbnormal = 1006;  // never sent
inline constexpr uint16_t kCloseInvalidPayload = 1007;
inline constexpr uint16_t kClosePolicyViolation = 1008;
inline constexpr uint16_t kCloseMessageTooBig = 1009;
inline constexpr uint16_t kCloseInternalError = 1011;

// The largest header: 2 bytes, a 64-bit length and a mask key.
inline constexpr size_t kMaxFrameHeaderSize = 14;
// The largest control frame payload.
inline constexpr size_t kMaxControlPayload = 125;

// FrameHeader
//
// A decoded frame header. `mask_key` is meaningful only when `masked`.
struct FrameHeader {
  bool fin = true;
  uint8_t rsv = 0;  // RSV1..3 as bits 2..0
  Opcode opcode = Opcode::kBinary;
  bool masked = false;
  uint8_t mask_key[4] = {0, 0, 0, 0};
  uint64_t payload_length = 0;
};

// parse_frame_header()
//
// Decodes the header at the start of `data`, sent by `from`. Returns its
// size in bytes (2 to 14) and fills `*out`; 0 if `data` holds only part of a
// header (read more and call again); InvalidArgument if the header breaks one
// of the rules in the file comment. Never reads past `data`.
absl::StatusOr<size_t> parse_frame_header(std::string_view data, Sender from,
                                          FrameHeader* out);

// encode_frame_header()
//
// Writes `h` into `out` (at least kMaxFrameHeaderSize bytes) with the
// minimal length encoding; returns the number of bytes written.
size_t encode_frame_header(const FrameHeader& h, char* out);

// apply_mask()
//
// XORs `len` bytes at `data` with `key`, as if they started at byte `offset`
// of the payload (so a payload can be unmasked in pieces). Masking and
// unmasking are the same operation.
void apply_mask(char* data, size_t len, const uint8_t key[4], uint64_t offset);

// is_valid_close_code()
//
// True for a close code a peer may send (see the file comment).
[[nodiscard]] bool is_valid_close_code(int code);

// close_code_name()
//
// A short name for a registered code ("normal closure", "protocol error"),
// or "" if it has none.
[[nodiscard]] std::string_view close_code_name(int code);

// ClosePayload
//
// A decoded close frame payload.
struct ClosePayload {
  uint16_t code = kCloseNoStatus;
  std::string reason;
};

// parse_close_payload()
//
// Decodes a close frame's payload: empty means 1005 with no reason.
// InvalidArgument for one byte, an invalid code, or a reason that is not
// UTF-8.
absl::StatusOr<ClosePayload> parse_close_payload(std::string_view payload);

// make_close_payload()
//
// Encodes `code` and `reason`; 1005 gives an empty payload. InvalidArgument
// if the code may not be sent, or the reason is longer than 123 bytes or is
// not UTF-8.
absl::StatusOr<std::string> make_close_payload(uint16_t code,
                                               std::string_view reason);

// Utf8Validator
//
// Checks UTF-8 incrementally: a text message arrives in fragments, and a
// character may be split between them. Rejects overlong forms, surrogates
// (U+D800..U+DFFF) and code points above U+10FFFF as soon as the offending
// byte arrives.
//
//   Utf8Validator v;
//   bool ok = v.feed(part1) && v.feed(part2) && v.complete();
class Utf8Validator {
 public:
  // Utf8Validator::feed()
  //
  // Checks `bytes`, continuing from earlier calls. False once the input so
  // far cannot be the start of valid UTF-8 (and forever after).
  bool feed(std::string_view bytes);

  // Utf8Validator::complete()
  //
  // True if everything fed is valid and no character is cut off at the end.
  [[nodiscard]] bool complete() const { return !failed_ && need_ == 0; }

  // Utf8Validator::reset()
  void reset() { *this = Utf8Validator(); }

 private:
  bool failed_ = false;
  int need_ = 0;       // continuation bytes still expected
  uint8_t lo_ = 0x80;  // bounds of the next continuation byte
  uint8_t hi_ = 0xBF;
};

// is_valid_utf8()
//
// `Utf8Validator` over the whole of `s`.
[[nodiscard]] bool is_valid_utf8(std::string_view s);

}  // namespace mco::net::websocket

#endif  // MCO_STDLIB_NET_WEBSOCKET_FRAME_H_
