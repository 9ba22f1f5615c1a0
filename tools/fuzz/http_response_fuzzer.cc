// Copyright 2026 The mco Authors.
//
// Fuzzes mco/net/http's response head parser (stdlib/net/http/parser.h),
// what the client reads from any server.
//
// Invariants checked beyond "no crash, no hang, no sanitizer report":
//  - A refusal is InvalidArgument.
//  - An accepted head: the status is 100..999 and its three digits follow
//    "HTTP/1.<minor> " at the start; the reason has no control characters
//    but tab; header names are tokens, values have no line breaks.
//  - Framing: no body for HEAD, 1xx, 204 and 304; chunked exactly when
//    Transfer-Encoding ends in "chunked" (otherwise, with one, until the
//    close); a Content-Length body only without Transfer-Encoding and with
//    a positive length; a body until the close is never reusable.
//  - A canonical head rebuilt from the fields parses to the same result.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "mco/net/http/parser.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

using mco::net::http::BodyKind;
using mco::net::http::ResponseHead;

bool parse(std::string_view head, std::string_view method, ResponseHead* r) {
  const absl::Status st = mco::net::http::parse_response_head(head, method, r);
  FUZZ_CHECK(st.ok() || absl::IsInvalidArgument(st));
  return st.ok();
}

bool same(const ResponseHead& a, const ResponseHead& b) {
  return a.minor == b.minor && a.status == b.status && a.reason == b.reason &&
         a.headers.fields() == b.headers.fields() && a.body == b.body &&
         a.content_length == b.content_length && a.keep_alive == b.keep_alive;
}

void check(std::string_view head, std::string_view method) {
  ResponseHead r;
  if (!parse(head, method, &r)) return;
  FUZZ_CHECK(r.status >= 100 && r.status <= 999);
  FUZZ_CHECK(r.minor >= 0 && r.minor <= 9);
  FUZZ_CHECK(head.substr(0, 12) == "HTTP/1." + std::to_string(r.minor) + " " +
                                       std::to_string(r.status));
  for (unsigned char c : r.reason) FUZZ_CHECK(c >= ' ' || c == '\t');
  for (const auto& [name, value] : r.headers.fields()) {
    FUZZ_CHECK(mco::net::http::is_token(name));
    FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);
  }
  const bool no_body =
      method == "HEAD" || r.status < 200 || r.status == 204 || r.status == 304;
  if (no_body) FUZZ_CHECK(r.body == BodyKind::kNone);
  const bool te = r.headers.has("Transfer-Encoding");
  if (!no_body && te) {
    FUZZ_CHECK(r.body == BodyKind::kChunked || r.body == BodyKind::kUntilClose);
  }
  if (r.body == BodyKind::kLength) {
    FUZZ_CHECK(!te && r.content_length > 0 && r.headers.has("Content-Length"));
  }
  if (r.body == BodyKind::kUntilClose) FUZZ_CHECK(!r.keep_alive);

  std::string canonical =
      "HTTP/1." + std::to_string(r.minor) + " " + std::to_string(r.status);
  if (head.size() > 12 && head[12] == ' ') canonical += " " + r.reason;
  canonical += "\r\n";
  r.headers.write_to(&canonical);
  canonical += "\r\n";
  ResponseHead again;
  FUZZ_CHECK(parse(canonical, method, &again));
  FUZZ_CHECK(same(r, again));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view method = data[0] & 1 ? "HEAD" : "GET";
  const std::string_view input(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  const size_t end = mco::net::http::find_head_end(input, 0);
  if (end > 0) check(input.substr(0, end), method);  // as the client does
  check(input, method);
  return 0;
}
