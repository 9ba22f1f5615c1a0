// Copyright 2026 The mco Authors.
//
// The wrap chain: a wrapper keeps its cause, encoded, in the payload
// `kCausePayloadUrl`. The encoding is length-prefixed fields:
//
//   cause   := code:u32 message:str npayloads:u32 (url:str value:str)*
//   str     := len:u32 bytes
//   u32     := 4 bytes, little-endian
//
// The cause's own payloads include its cause, so the whole chain nests.

#include "mco/errors/errors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace mco::errors {
namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

void put_str(std::string& out, absl::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out.append(s.data(), s.size());
}

bool get_u32(absl::string_view& in, uint32_t& v) {
  if (in.size() < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= uint32_t{static_cast<unsigned char>(in[i])} << (8 * i);
  }
  in.remove_prefix(4);
  return true;
}

bool get_str(absl::string_view& in, absl::string_view& s) {
  uint32_t n;
  if (!get_u32(in, n) || in.size() < n) return false;
  s = in.substr(0, n);
  in.remove_prefix(n);
  return true;
}

std::string encode(const Error& err) {
  std::string out;
  put_u32(out, static_cast<uint32_t>(err.code()));
  put_str(out, err.message());
  std::vector<std::pair<std::string, std::string>> payloads;
  err.ForEachPayload([&](absl::string_view url, const absl::Cord& value) {
    payloads.emplace_back(std::string(url), std::string(value));
  });
  put_u32(out, static_cast<uint32_t>(payloads.size()));
  for (const auto& [url, value] : payloads) {
    put_str(out, url);
    put_str(out, value);
  }
  return out;
}

// Decodes a cause; OK if `bytes` is malformed (treated as no cause).
Error decode(absl::string_view in) {
  uint32_t code, n;
  absl::string_view message;
  if (!get_u32(in, code) || !get_str(in, message) || !get_u32(in, n)) {
    return absl::OkStatus();
  }
  if (code == 0) return absl::OkStatus();
  Error err(static_cast<absl::StatusCode>(code), message);
  for (uint32_t i = 0; i < n; ++i) {
    absl::string_view url, value;
    if (!get_str(in, url) || !get_str(in, value)) return err;
    err.SetPayload(url, absl::Cord(value));
  }
  return err;
}

absl::StatusCode not_ok(absl::StatusCode code) {
  return code == absl::StatusCode::kOk ? absl::StatusCode::kUnknown : code;
}

}  // namespace

Error New(absl::string_view message) {
  return Error(absl::StatusCode::kUnknown, message);
}

Error New(absl::StatusCode code, absl::string_view message) {
  return Error(not_ok(code), message);
}

Error Wrap(const Error& err, absl::string_view context) {
  if (err.ok()) return err;
  return WrapWithCode(err, err.code(), context);
}

Error WrapWithCode(const Error& err, absl::StatusCode code,
                   absl::string_view context) {
  if (err.ok()) return err;
  Error out(not_ok(code), absl::StrCat(context, ": ", err.message()));
  err.ForEachPayload([&](absl::string_view url, const absl::Cord& value) {
    if (url != kCausePayloadUrl) out.SetPayload(url, value);
  });
  out.SetPayload(kCausePayloadUrl, absl::Cord(encode(err)));
  return out;
}

Error Unwrap(const Error& err) {
  auto cause = err.GetPayload(kCausePayloadUrl);
  if (!cause.has_value()) return absl::OkStatus();
  return decode(std::string(*cause));
}

bool Is(const Error& err, absl::StatusCode code) {
  for (Error e = err; !e.ok(); e = Unwrap(e)) {
    if (e.code() == code) return true;
  }
  return err.ok() && code == absl::StatusCode::kOk;
}

bool Is(const Error& err, const Error& target) {
  if (target.ok()) return err.ok();
  for (Error e = err; !e.ok(); e = Unwrap(e)) {
    if (e.code() == target.code() && e.message() == target.message()) {
      return true;
    }
  }
  return false;
}

}  // namespace mco::errors
