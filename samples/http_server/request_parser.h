// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: request_parser.h
// -----------------------------------------------------------------------------
//
// The HTTP/1.x request head parser of the `http_server` sample: pure
// functions over bytes, no I/O and no mco runtime, so that they can be unit
// tested and fuzzed on their own (tests: request_parser_test.cc; fuzzing:
// tools/fuzz/http_request_fuzzer.cc).
//
//   std::string_view data = reader.buffered();
//   size_t len = mco_samples::http::find_head_end(data, 0);
//   if (len > 0) {
//     mco_samples::http::Request req;
//     if (!mco_samples::http::parse_head(data.substr(0, len), &req)) {
//       // 400 Bad Request
//     }
//   }
//
// Contract:
//  - A head is a request line, header lines and an empty line; lines end in
//    CRLF or a bare LF. `find_head_end` says where the first head in a
//    buffer ends; `parse_head` takes exactly that prefix.
//  - The request line is "METHOD SP TARGET SP HTTP/1.D", nothing more: a
//    token (RFC 9110) for a method, a target without spaces or control
//    characters, and a one-digit minor version.
//  - A header line is "Name: value": a token for a name with no space
//    before the colon (so a folded line is rejected), and no control
//    characters but tabs in the value; optional white space around the
//    value is trimmed.
//  - The head is rejected for a bad request line or header line, a
//    Content-Length that is not 1 to 18 digits or differs when repeated,
//    both Content-Length and Transfer-Encoding, and Host headers other than
//    exactly one (HTTP/1.1) or more than one (HTTP/1.0).
//  - Only what the server acts on is kept (see `Request`); other headers are
//    checked for syntax and skipped. Limits on size are the caller's.
//  - The views in a `Request` point into the parsed head and are valid as
//    long as its bytes are.

#ifndef MCO_SAMPLES_HTTP_SERVER_REQUEST_PARSER_H_
#define MCO_SAMPLES_HTTP_SERVER_REQUEST_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mco_samples::http {

// What the server needs of a request head.
struct Request {
  std::string_view method;
  std::string_view target;
  int minor = 1;  // HTTP/1.<minor>
  int hosts = 0;  // Host headers seen
  bool has_length = false;
  uint64_t length = 0;  // Content-Length
  bool transfer_encoding = false;
  bool close = false;       // Connection: close
  bool keep_alive = false;  // Connection: keep-alive
  bool expect_continue = false;
};

// find_head_end()
//
// The length of the head at the start of `data`, up to and including the
// empty line that ends it, or 0 if it is not all there yet. The scan starts
// at `from`: the caller promises that no head ends before it, i.e. that
// `data[0, from + 2)` held no end when last scanned (so after a scan of `n`
// bytes found nothing, pass `n - 2`, or 0 below two bytes).
[[nodiscard]] size_t find_head_end(std::string_view data, size_t from);

// parse_head()
//
// Parses a complete head (as measured by `find_head_end`) into `*req`, which
// must be default-constructed. Returns false if the head is malformed (see
// the file comment) or incomplete (no empty line ends it); `*req` is then
// unspecified. Bytes after the empty line are not looked at.
[[nodiscard]] bool parse_head(std::string_view head, Request* req);

}  // namespace mco_samples::http

#endif  // MCO_SAMPLES_HTTP_SERVER_REQUEST_PARSER_H_
