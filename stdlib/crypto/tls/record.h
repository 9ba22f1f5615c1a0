// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: record.h
// -----------------------------------------------------------------------------
//
// The few pieces of the TLS wire format that mco reads itself (OpenSSL does
// the rest): the 5-byte record header (RFC 8446 section 5.1), the check Go
// makes on the first record a peer sends ("tls: first record does not look
// like a TLS handshake", which tells a plaintext peer from a broken one),
// and the ALPN protocol list (RFC 7301: each name prefixed by its length).
//
//   absl::Status st = mco::tls::check_first_record(first_bytes);
//   // InvalidArgument: "tls: first record does not look like a TLS
//   // handshake (starts with \"GET / HT\")"
//
//   absl::StatusOr<std::string> wire = mco::tls::encode_alpn({"h2",
//   "http/1.1"});   // "\x02h2\x08http/1.1"
//
// Pure functions of their input, with no dependency on the runtime or on
// OpenSSL (tools/fuzz/tls_record_fuzzer.cc fuzzes them alone).

#ifndef MCO_STDLIB_CRYPTO_TLS_RECORD_H_
#define MCO_STDLIB_CRYPTO_TLS_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace mco::tls {

// Record content types (RFC 8446 section 5.1).
inline constexpr uint8_t kRecordAlert = 21;
inline constexpr uint8_t kRecordHandshake = 22;

// The largest record a peer may send: 2^14 bytes of plaintext plus the
// expansion TLS 1.2 allows (RFC 5246 section 6.2.3).
inline constexpr size_t kMaxRecordLength = 16384 + 2048;

// The size of a record header.
inline constexpr size_t kRecordHeaderSize = 5;

// RecordHeader
//
// A record header as sent: content type, protocol version (0x0303 for TLS
// 1.2 and, on the wire, 1.3) and the length of the body that follows.
struct RecordHeader {
  uint8_t type = 0;
  uint16_t version = 0;
  uint16_t length = 0;
};

// parse_record_header()
//
// The header at the start of `bytes`; nothing if fewer than 5 bytes. Any
// 5 bytes parse: judging them is `check_first_record`'s job.
[[nodiscard]] std::optional<RecordHeader> parse_record_header(
    std::string_view bytes);

// check_first_record()
//
// Whether the first bytes a peer sent can start a TLS handshake: a
// handshake (or alert) record of version 3.x with a length TLS allows.
// OK if they can, or if fewer than 5 bytes came and they may still;
// otherwise InvalidArgument "tls: first record does not look like a TLS
// handshake" with the first bytes shown escaped.
[[nodiscard]] absl::Status check_first_record(std::string_view bytes);

// encode_alpn()
//
// The ALPN wire form of `protocols` (RFC 7301 section 3.1): each name, 1 to
// 255 bytes, prefixed by its length. InvalidArgument for an empty or too
// long name or a list longer than 65535 bytes; an empty list encodes as "".
[[nodiscard]] absl::StatusOr<std::string> encode_alpn(
    absl::Span<const std::string> protocols);

// decode_alpn()
//
// The inverse of `encode_alpn`: InvalidArgument for an empty name or a
// length that runs past the end.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> decode_alpn(
    std::string_view wire);

}  // namespace mco::tls

#endif  // MCO_STDLIB_CRYPTO_TLS_RECORD_H_
