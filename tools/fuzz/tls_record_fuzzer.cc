// Copyright 2026 The mco Authors.
//
// Fuzzes the TLS wire pieces mco reads itself (mco/crypto/tls/record.h):
// the record header, the first-record check, and the ALPN list.
//
// Invariants beyond "no crash":
// - `parse_record_header` returns nothing for fewer than 5 bytes, else
//   exactly the bytes' type, version and length.
// - `check_first_record` accepts exactly what a reference written from RFC
//   8446 accepts (fewer than 5 bytes; or a handshake or alert record of
//   version 3.0 to 3.4 with a length of 1 to 2^14 + 2048), and its error is
//   InvalidArgument starting with Go's words.
// - `decode_alpn` accepts exactly the well-formed lists (a walk of
//   length-prefixed, non-empty names that ends at the end), and
//   `encode_alpn(decode_alpn(w)) == w` for them.
// - Names cut from the input at '\n' encode iff each is 1 to 255 bytes and
//   the list fits in 65535 bytes, and then decode back unchanged.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mco/crypto/tls/record.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

bool reference_first_record_ok(std::string_view b) {
  if (b.size() < 5) return true;
  const auto u = [&](size_t i) { return static_cast<unsigned char>(b[i]); };
  const bool type = u(0) == 21 || u(0) == 22;
  const bool version = u(1) == 3 && u(2) <= 4;
  const size_t len = size_t{u(3)} << 8 | u(4);
  return type && version && len >= 1 && len <= 16384 + 2048;
}

bool reference_alpn_ok(std::string_view w) {
  size_t i = 0;
  while (i < w.size()) {
    const size_t n = static_cast<unsigned char>(w[i]);
    if (n == 0 || i + 1 + n > w.size()) return false;
    i += 1 + n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  std::optional<mco::tls::RecordHeader> h = mco::tls::parse_record_header(in);
  FUZZ_CHECK(h.has_value() == (size >= 5));
  if (h) {
    FUZZ_CHECK(h->type == data[0]);
    FUZZ_CHECK(h->version == (data[1] << 8 | data[2]));
    FUZZ_CHECK(h->length == (data[3] << 8 | data[4]));
  }

  const absl::Status first = mco::tls::check_first_record(in);
  FUZZ_CHECK(first.ok() == reference_first_record_ok(in));
  if (!first.ok()) {
    FUZZ_CHECK(first.code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(first.message().find(
                   "tls: first record does not look like a TLS handshake") ==
               0);
  }

  absl::StatusOr<std::vector<std::string>> names = mco::tls::decode_alpn(in);
  FUZZ_CHECK(names.ok() == reference_alpn_ok(in));
  if (names.ok()) {
    for (const std::string& n : *names) {
      FUZZ_CHECK(!n.empty() && n.size() <= 255);
    }
    absl::StatusOr<std::string> again = mco::tls::encode_alpn(*names);
    FUZZ_CHECK(again.ok() == (in.size() <= 65535));
    if (again.ok()) FUZZ_CHECK(*again == in);
  }

  std::vector<std::string> cut;
  size_t start = 0;
  for (size_t i = 0; i <= size; ++i) {
    if (i == size || in[i] == '\n') {
      cut.emplace_back(in.substr(start, i - start));
      start = i + 1;
    }
  }
  bool valid = true;
  size_t total = 0;
  for (const std::string& n : cut) {
    valid = valid && !n.empty() && n.size() <= 255;
    total += 1 + n.size();
  }
  valid = valid && total <= 65535;
  absl::StatusOr<std::string> wire = mco::tls::encode_alpn(cut);
  FUZZ_CHECK(wire.ok() == valid);
  if (wire.ok()) {
    FUZZ_CHECK(wire->size() == total);
    absl::StatusOr<std::vector<std::string>> back =
        mco::tls::decode_alpn(*wire);
    FUZZ_CHECK(back.ok() && *back == cut);
  }
  return 0;
}
