// Copyright 2026 The mco Authors.
//
// Fuzzes the http_server sample's request parser
// (samples/http_server/request_parser.h) with arbitrary bytes.
//
// Invariants checked beyond "no crash, no hang, no sanitizer report":
//  - `find_head_end` returns 0 or the end of the first "\n\n" / "\n\r\n";
//    no shorter prefix has an end; and a scan resumed the way the server
//    resumes it (from two bytes before the end of an earlier read) finds the
//    same end.
//  - `parse_head`, on the head as the server passes it and on the raw bytes:
//    an accepted request's method is a token at the start of the head, its
//    target follows after one space and has no space or control character,
//    "HTTP/1.<minor>" follows it; the Host, Content-Length and
//    Transfer-Encoding rules hold; parsing a copy gives the same result; and
//    a canonical head rebuilt from the fields parses to the same fields.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "samples/http_server/request_parser.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

using mco_samples::http::find_head_end;
using mco_samples::http::parse_head;
using mco_samples::http::Request;

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool same(const Request& a, const Request& b) {
  return a.method == b.method && a.target == b.target && a.minor == b.minor &&
         a.hosts == b.hosts && a.has_length == b.has_length &&
         a.length == b.length && a.transfer_encoding == b.transfer_encoding &&
         a.close == b.close && a.keep_alive == b.keep_alive &&
         a.expect_continue == b.expect_continue;
}

// The head a well-behaved client would send for `req`.
std::string canonical_head(const Request& req) {
  std::string out = std::string(req.method) + " " + std::string(req.target) +
                    " HTTP/1." + std::to_string(req.minor) + "\r\n";
  if (req.hosts == 1) out += "Host: example.com\r\n";
  if (req.has_length) {
    out += "Content-Length: " + std::to_string(req.length) + "\r\n";
  }
  if (req.transfer_encoding) out += "Transfer-Encoding: chunked\r\n";
  if (req.close) out += "Connection: close\r\n";
  if (req.keep_alive) out += "Connection: keep-alive\r\n";
  if (req.expect_continue) out += "Expect: 100-continue\r\n";
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
  FUZZ_CHECK(!req.method.empty() && req.method.data() == head.data());
  for (char c : req.method) FUZZ_CHECK(is_tchar(c));
  FUZZ_CHECK(req.target.data() == req.method.data() + req.method.size() + 1);
  FUZZ_CHECK(head[req.method.size()] == ' ');
  FUZZ_CHECK(!req.target.empty());
  for (char c : req.target) FUZZ_CHECK(c > ' ' && c != 0x7f);
  FUZZ_CHECK(req.minor >= 0 && req.minor <= 9);
  const size_t version_at =
      req.method.size() + 1 + req.target.size();  // the space before it
  FUZZ_CHECK(head.substr(version_at, 9) ==
             " HTTP/1." + std::to_string(req.minor));

  // Header rules.
  FUZZ_CHECK(req.minor == 0 ? req.hosts <= 1 : req.hosts == 1);
  FUZZ_CHECK(!(req.has_length && req.transfer_encoding));
  FUZZ_CHECK(req.has_length ? req.length < 1000000000000000000u
                            : req.length == 0);

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
