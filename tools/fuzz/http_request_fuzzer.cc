// Copyright 2026 The mco Authors.
//
// Fuzzes mco/net/http's request head parser (stdlib/net/http/parser.h)
// with arbitrary bytes.
//
// Invariants checked beyond "no crash, no hang, no sanitizer report":
//  - `find_head_end` returns 0 or the end of the first "\n\n" / "\n\r\n";
//    no shorter prefix has an end; and a scan resumed the way the server
//    resumes it (from two bytes before the end of an earlier read) finds the
//    same end.
//  - `parse_request_head`, on the head as the server passes it and on the
//    raw bytes: an accepted request's method is a token at the start of the
//    head, its target follows after one space and has no space or control
//    character, "HTTP/1.<minor>" follows it; `check_request_line` accepts
//    that line; the Host, Content-Length and Transfer-Encoding rules hold
//    (never both; chunked only in HTTP/1.1); every header field's name is a
//    token and its value has no line break; a refusal is InvalidArgument or
//    (transfer codings) Unimplemented; parsing a copy gives the same
//    result; and a canonical head rebuilt from the fields parses to the
//    same fields.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "mco/net/http/parser.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

using mco::net::http::BodyKind;
using mco::net::http::find_head_end;
using mco::net::http::RequestHead;
using Request = RequestHead;

bool parse_head(std::string_view head, Request* req) {
  const absl::Status st = mco::net::http::parse_request_head(head, req);
  FUZZ_CHECK(st.ok() || absl::IsInvalidArgument(st) ||
             absl::IsUnimplemented(st));
  return st.ok();
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool same(const Request& a, const Request& b) {
  return a.method == b.method && a.target == b.target && a.minor == b.minor &&
         a.body == b.body && a.content_length == b.content_length &&
         a.keep_alive == b.keep_alive &&
         a.expect_continue == b.expect_continue &&
         a.headers.fields() == b.headers.fields();
}

// The head a well-behaved client would send for `req`: its fields as
// parsed, one per line.
std::string canonical_head(const Request& req) {
  std::string out = req.method + " " + req.target + " HTTP/1." +
                    std::to_string(req.minor) + "\r\n";
  req.headers.write_to(&out);
  return out + "\r\n";
}

void check_find_head_end(std::string_view data) {
  const size_t end = find_head_end(data, 0);
  if (end == 0) return;
  FUZZ_CHECK(end >= 2 && end <= data.size());
  const std::string_view head = data.substr(0, end);
  FUZZ_CHECK(head.substr(end - 2) == "\n\n" ||
             (end >= 3 && head.substr(end - 3) == "\n\r\n"));
  FUZZ_CHECK(find_head_end(data.substr(0, end - 1), 0) == 0);
  // The server's resumed scans: an earlier read of `n` bytes found nothing.
  for (size_t n : {end - 1, end - 2, end / 2, size_t{1}}) {
    if (n >= end) continue;
    FUZZ_CHECK(find_head_end(data, n >= 2 ? n - 2 : 0) == end);
  }
}

void check_parse_head(std::string_view head) {
  Request req;
  if (!parse_head(head, &req)) return;

  // The request line is the first line of the head.
  FUZZ_CHECK(!req.method.empty() &&
             head.substr(0, req.method.size()) == req.method);
  for (char c : req.method) FUZZ_CHECK(is_tchar(c));
  FUZZ_CHECK(head.substr(req.method.size() + 1, req.target.size()) ==
             req.target);
  FUZZ_CHECK(head[req.method.size()] == ' ');
  const std::string_view line = head.substr(0, head.find('\n'));
  FUZZ_CHECK(mco::net::http::check_request_line(line).ok());
  FUZZ_CHECK(!req.target.empty());
  for (char c : req.target) FUZZ_CHECK(c > ' ' && c != 0x7f);
  FUZZ_CHECK(req.minor >= 0 && req.minor <= 9);
  const size_t version_at =
      req.method.size() + 1 + req.target.size();  // the space before it
  FUZZ_CHECK(head.substr(version_at, 9) ==
             " HTTP/1." + std::to_string(req.minor));

  // Header rules.
  const size_t hosts = req.headers.values("Host").size();
  FUZZ_CHECK(req.minor == 0 ? hosts <= 1 : hosts == 1);
  const bool has_length = req.headers.has("Content-Length");
  const bool has_te = req.headers.has("Transfer-Encoding");
  FUZZ_CHECK(!(has_length && has_te));
  FUZZ_CHECK(req.content_length < 1000000000000000000u);
  FUZZ_CHECK((req.body == BodyKind::kChunked) == has_te);
  FUZZ_CHECK(!has_te || req.minor >= 1);
  FUZZ_CHECK(req.body != BodyKind::kLength || req.content_length > 0);
  FUZZ_CHECK(req.body != BodyKind::kUntilClose);
  for (const auto& [name, value] : req.headers.fields()) {
    FUZZ_CHECK(!name.empty());
    for (char c : name) FUZZ_CHECK(is_tchar(c));
    FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);
    FUZZ_CHECK(value.empty() || (value.front() != ' ' && value.back() != ' '));
  }

  // Deterministic, and not tied to where the bytes are.
  const std::string copy(head);
  Request again;
  FUZZ_CHECK(parse_head(copy, &again));
  FUZZ_CHECK(same(req, again));

  // The fields alone say the same request.
  const std::string canonical = canonical_head(req);
  FUZZ_CHECK(find_head_end(canonical, 0) == canonical.size());
  Request rebuilt;
  FUZZ_CHECK(parse_head(canonical, &rebuilt));
  FUZZ_CHECK(same(req, rebuilt));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_find_head_end(input);
  const size_t end = find_head_end(input, 0);
  if (end > 0) check_parse_head(input.substr(0, end));  // as the server does
  check_parse_head(input);                              // any bytes at all
  return 0;
}
