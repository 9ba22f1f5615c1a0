// Copyright 2026 The mco Authors.
//
// The TLS record header, the first-record check and the ALPN list
// (record.h). Only the standard library and Abseil: fuzzed alone.

#include "mco/crypto/tls/record.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mco::tls {

std::optional<RecordHeader> parse_record_header(std::string_view bytes) {
  if (bytes.size() < kRecordHeaderSize) return std::nullopt;
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  RecordHeader h;
  h.type = b[0];
  h.version = static_cast<uint16_t>(b[1] << 8 | b[2]);
  h.length = static_cast<uint16_t>(b[3] << 8 | b[4]);
  return h;
}

absl::Status check_first_record(std::string_view bytes) {
  std::optional<RecordHeader> h = parse_record_header(bytes);
  if (!h) return absl::OkStatus();  // too early to tell
  const bool type_ok = h->type == kRecordHandshake || h->type == kRecordAlert;
  // SSL 3.0 to TLS 1.3 all put 3 in the major version byte.
  const bool version_ok = (h->version >> 8) == 3 && (h->version & 0xff) <= 4;
  const bool length_ok = h->length > 0 && h->length <= kMaxRecordLength;
  if (type_ok && version_ok && length_ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "tls: first record does not look like a TLS handshake (starts with \"",
      absl::CHexEscape(
          absl::string_view(bytes.data(), std::min<size_t>(bytes.size(), 8))),
      "\")"));
}

absl::StatusOr<std::string> encode_alpn(
    absl::Span<const std::string> protocols) {
  std::string wire;
  for (const std::string& p : protocols) {
    if (p.empty() || p.size() > 255) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tls: ALPN protocol name must be 1 to 255 bytes, not ", p.size()));
    }
    wire.push_back(static_cast<char>(p.size()));
    wire.append(p);
  }
  if (wire.size() > 65535) {
    return absl::InvalidArgumentError("tls: ALPN protocol list too long");
  }
  return wire;
}

absl::StatusOr<std::vector<std::string>> decode_alpn(std::string_view wire) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < wire.size()) {
    const size_t n = static_cast<unsigned char>(wire[i]);
    if (n == 0) {
      return absl::InvalidArgumentError("tls: empty ALPN protocol name");
    }
    if (n > wire.size() - i - 1) {
      return absl::InvalidArgumentError("tls: truncated ALPN protocol list");
    }
    out.emplace_back(wire.substr(i + 1, n));
    i += 1 + n;
  }
  return out;
}

}  // namespace mco::tls
