// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: parser.h
// -----------------------------------------------------------------------------
//
// HTTP/1.x message heads (RFC 9112): find where a head ends in a buffer,
// and parse a request head (the server) or a response head (the client),
// including how long the body that follows is. Pure functions over bytes,
// no I/O and no runtime, so they are unit tested and fuzzed alone
// (tools/fuzz/http_request_fuzzer.cc, http_response_fuzzer.cc).
//
//   size_t len = mco::net::http::find_head_end(buffered, 0);
//   if (len > 0) {
//     mco::net::http::RequestHead head;
//     absl::Status st = mco::net::http::parse_request_head(
//         buffered.substr(0, len), &head);
//     // InvalidArgument: answer 400; Unimplemented: 501.
//   }
//
// Contract:
//  - A head is a start line, header lines and an empty line; lines end in
//    CRLF or a bare LF (a bare CR is a control character, refused).
//  - A request line is "METHOD SP TARGET SP HTTP/1.D" exactly: a token for
//    a method, a target without spaces, controls or bytes above 0x7e.
//    A status line is "HTTP/1.D SP DDD [SP reason]".
//  - A header line is "Name: value": a token for a name with nothing
//    between it and the colon (so an obs-fold continuation line, which
//    starts with a space, is refused), no controls but tab in the value;
//    white space around the value is trimmed.
//  - Requests are refused (InvalidArgument, "http: ...") for a bad line, a
//    Content-Length that is not 1 to 18 digits or differs when repeated,
//    both Content-Length and Transfer-Encoding, Transfer-Encoding in
//    HTTP/1.0, and Host headers other than exactly one (HTTP/1.1) or more
//    than one (HTTP/1.0). A Transfer-Encoding other than "chunked" is
//    Unimplemented (answer 501).
//  - Responses: Transfer-Encoding wins over Content-Length (RFC 9112,
//    6.3); a response to HEAD, and 1xx, 204 and 304, have no body; with
//    neither header the body runs until the connection closes.
//  - Limits on size are the caller's (it decides how much to buffer).

#ifndef MCO_STDLIB_NET_HTTP_PARSER_H_
#define MCO_STDLIB_NET_HTTP_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "mco/net/http/headers.h"

namespace mco::net::http {

// How the body after a head is delimited.
enum class BodyKind {
  kNone,        // no body
  kLength,      // Content-Length bytes
  kChunked,     // chunked transfer coding (chunked.h)
  kUntilClose,  // until the connection closes (responses only)
};

struct RequestHead {
  std::string method;
  std::string target;
  int minor = 1;  // HTTP/1.<minor>
  Headers headers;
  BodyKind body = BodyKind::kNone;
  uint64_t content_length = 0;   // for kLength
  bool keep_alive = true;        // by version and Connection
  bool expect_continue = false;  // "Expect: 100-continue" in HTTP/1.1
};

struct ResponseHead {
  int minor = 1;
  int status = 0;
  std::string reason;
  Headers headers;
  BodyKind body = BodyKind::kNone;
  uint64_t content_length = 0;
  bool keep_alive = true;  // false: the connection cannot be reused
};

// find_head_end()
//
// The length of the head at the start of `data`, up to and including the
// empty line that ends it, or 0 if it is not all there yet. The scan starts
// at `from`: the caller promises that `data[0, from + 2)` held no end when
// last scanned (after a scan of `n` bytes found nothing, pass `n - 2`, or
// 0 below two bytes).
[[nodiscard]] size_t find_head_end(std::string_view data, size_t from);

// check_request_line()
//
// Checks the first line of a request (without its line end), so a server
// can refuse garbage before the whole head has arrived.
absl::Status check_request_line(std::string_view line);

// parse_request_head()
//
// Parses a complete head (as measured by `find_head_end`) into `*out`,
// which must be default-constructed. Errors: see the file comment.
absl::Status parse_request_head(std::string_view head, RequestHead* out);

// parse_response_head()
//
// Parses a complete response head into `*out` (default-constructed);
// `request_method` is the method of the request it answers (HEAD: no
// body). InvalidArgument if it is malformed.
absl::Status parse_response_head(std::string_view head,
                                 std::string_view request_method,
                                 ResponseHead* out);

// is_token()
//
// True if `s` is a non-empty RFC 9110 token (methods, header names).
[[nodiscard]] bool is_token(std::string_view s);

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_PARSER_H_
