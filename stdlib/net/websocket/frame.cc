// Copyright 2026 The mco Authors.
//
// The frame codec (frame.h). Runtime-free: Abseil and the standard library
// only, so tools/fuzz/websocket_frame_fuzzer.cc compiles it alone.

#include "mco/net/websocket/frame.h"

#include <cstring>

#include "stdlib/net/websocket/str_internal.h"

namespace mco::net::websocket {

namespace {

bool is_known_opcode(uint8_t op) {
  switch (op) {
    case 0x0:
    case 0x1:
    case 0x2:
    case 0x8:
    case 0x9:
    case 0xA:
      return true;
    default:
      return false;
  }
}

absl::Status bad(std::string_view what) {
  return absl::InvalidArgumentError(internal::cat("websocket: ", what));
}

}  // namespace

absl::StatusOr<size_t> parse_frame_header(std::string_view data, Sender from,
                                          FrameHeader* out) {
  if (data.size() < 2) return 0;
  const auto b0 = static_cast<uint8_t>(data[0]);
  const auto b1 = static_cast<uint8_t>(data[1]);
  FrameHeader h;
  h.fin = (b0 & 0x80) != 0;
  h.rsv = (b0 >> 4) & 0x7;
  const uint8_t op = b0 & 0x0F;
  h.masked = (b1 & 0x80) != 0;
  const uint8_t len7 = b1 & 0x7F;

  // Checks that need only the first two bytes come first, so a bad frame is
  // reported without waiting for the rest of its header.
  if (h.rsv != 0) return bad("reserved bits set without an extension");
  if (!is_known_opcode(op)) {
    return bad(internal::cat("unknown opcode ", op));
  }
  h.opcode = static_cast<Opcode>(op);
  if (is_control(h.opcode)) {
    if (!h.fin) return bad("fragmented control frame");
    if (len7 > kMaxControlPayload) return bad("control frame too long");
  }
  if (from == Sender::kClient && !h.masked) {
    return bad("bad mask bit: client frame not masked");
  }
  if (from == Sender::kServer && h.masked) {
    return bad("bad mask bit: server frame masked");
  }

  size_t pos = 2;
  if (len7 == 126) {
    if (data.size() < pos + 2) return 0;
    h.payload_length = (uint64_t{static_cast<uint8_t>(data[2])} << 8) |
                       static_cast<uint8_t>(data[3]);
    pos += 2;
  } else if (len7 == 127) {
    if (data.size() < pos + 8) return 0;
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) {
      n = (n << 8) | static_cast<uint8_t>(data[pos + i]);
    }
    if ((n >> 63) != 0) return bad("payload length has its high bit set");
    h.payload_length = n;
    pos += 8;
  } else {
    h.payload_length = len7;
  }
  if (h.masked) {
    if (data.size() < pos + 4) return 0;
    std::memcpy(h.mask_key, data.data() + pos, 4);
    pos += 4;
  }
  *out = h;
  return pos;
}

size_t encode_frame_header(const FrameHeader& h, char* out) {
  auto* p = reinterpret_cast<uint8_t*>(out);
  p[0] = static_cast<uint8_t>((h.fin ? 0x80 : 0) | ((h.rsv & 0x7) << 4) |
                              (static_cast<uint8_t>(h.opcode) & 0x0F));
  const uint8_t mask_bit = h.masked ? 0x80 : 0;
  size_t pos = 2;
  if (h.payload_length < 126) {
    p[1] = mask_bit | static_cast<uint8_t>(h.payload_length);
  } else if (h.payload_length <= 0xFFFF) {
    p[1] = mask_bit | 126;
    p[2] = static_cast<uint8_t>(h.payload_length >> 8);
    p[3] = static_cast<uint8_t>(h.payload_length);
    pos = 4;
  } else {
    p[1] = mask_bit | 127;
    for (int i = 0; i < 8; ++i) {
      p[2 + i] = static_cast<uint8_t>(h.payload_length >> (56 - 8 * i));
    }
    pos = 10;
  }
  if (h.masked) {
    std::memcpy(p + pos, h.mask_key, 4);
    pos += 4;
  }
  return pos;
}

void apply_mask(char* data, size_t len, const uint8_t key[4], uint64_t offset) {
  auto* p = reinterpret_cast<uint8_t*>(data);
  size_t i = 0;
  // Byte by byte up to an 8-byte boundary of `data`, then a word at a time
  // with the key rotated to the current offset.
  for (; i < len && (reinterpret_cast<uintptr_t>(p + i) & 7) != 0; ++i) {
    p[i] ^= key[(offset + i) & 3];
  }
  if (len - i >= 8) {
    uint8_t rotated[8];
    for (int k = 0; k < 8; ++k) rotated[k] = key[(offset + i + k) & 3];
    uint64_t word_key;
    std::memcpy(&word_key, rotated, 8);
    for (; len - i >= 8; i += 8) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      w ^= word_key;
      std::memcpy(p + i, &w, 8);
    }
  }
  for (; i < len; ++i) p[i] ^= key[(offset + i) & 3];
}

bool is_valid_close_code(int code) {
  if (code >= 3000 && code <= 4999) return true;
  if (code < 1000 || code > 1014) return false;
  return code != 1004 && code != 1005 && code != 1006;
}

std::string_view close_code_name(int code) {
  switch (code) {
    case 1000:
      return "normal closure";
    case 1001:
      return "going away";
    case 1002:
      return "protocol error";
    case 1003:
      return "unsupported data";
    case 1005:
      return "no status";
    case 1006:
      return "abnormal closure";
    case 1007:
      return "invalid payload data";
    case 1008:
      return "policy violation";
    case 1009:
      return "message too big";
    case 1010:
      return "mandatory extension";
    case 1011:
      return "internal error";
    case 1012:
      return "service restart";
    case 1013:
      return "try again later";
    case 1014:
      return "bad gateway";
    case 1015:
      return "TLS handshake";
    default:
      return "";
  }
}

absl::StatusOr<ClosePayload> parse_close_payload(std::string_view payload) {
  ClosePayload c;
  if (payload.empty()) return c;
  if (payload.size() == 1) return bad("close payload of one byte");
  if (payload.size() > kMaxControlPayload) return bad("close payload too long");
  const int code = (static_cast<uint8_t>(payload[0]) << 8) |
                   static_cast<uint8_t>(payload[1]);
  if (!is_valid_close_code(code)) {
    return bad(internal::cat("invalid close code ", code));
  }
  c.code = static_cast<uint16_t>(code);
  c.reason.assign(payload.substr(2));
  if (!is_valid_utf8(c.reason)) return bad("close reason is not UTF-8");
  return c;
}

absl::StatusOr<std::string> make_close_payload(uint16_t code,
                                               std::string_view reason) {
  if (code == kCloseNoStatus) {
    if (!reason.empty()) return bad("a close reason needs a close code");
    return std::string();
  }
  if (!is_valid_close_code(code)) {
    return bad(internal::cat("close code ", code, " may not be sent"));
  }
  if (reason.size() > kMaxControlPayload - 2) {
    return bad("close reason longer than 123 bytes");
  }
  if (!is_valid_utf8(reason)) return bad("close reason is not UTF-8");
  std::string out;
  out.reserve(2 + reason.size());
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  out.append(reason);
  return out;
}

// The validator follows the well-formed byte sequences of Unicode's table
// 3-7: after a lead byte it knows how many continuation bytes follow and the
// range of the first one (narrowed for E0, ED, F0 and F4, which is what
// excludes overlong forms, surrogates and code points past U+10FFFF); later
// continuation bytes are 80..BF.
bool Utf8Validator::feed(std::string_view bytes) {
  if (failed_) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    if (need_ == 0) {
      // ASCII fast path: eight bytes at a time.
      while (i + 8 <= n) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        if ((w & 0x8080808080808080ULL) != 0) break;
        i += 8;
      }
      if (i >= n) break;
      const uint8_t b = p[i++];
      if (b < 0x80) continue;
      lo_ = 0x80;
      hi_ = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        need_ = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        need_ = 2;
        if (b == 0xE0) lo_ = 0xA0;
        if (b == 0xED) hi_ = 0x9F;
      } else if (b >= 0xF0 && b <= 0xF4) {
        need_ = 3;
        if (b == 0xF0) lo_ = 0x90;
        if (b == 0xF4) hi_ = 0x8F;
      } else {
        failed_ = true;
        return false;
      }
    } else {
      const uint8_t b = p[i++];
      if (b < lo_ || b > hi_) {
        failed_ = true;
        return false;
      }
      lo_ = 0x80;
      hi_ = 0xBF;
      --need_;
    }
  }
  return true;
}

bool is_valid_utf8(std::string_view s) {
  Utf8Validator v;
  return v.feed(s) && v.complete();
}

}  // namespace mco::net::websocket
