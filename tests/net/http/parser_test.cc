// Copyright 2026 The mco Authors.
//
// Tests of mco/net/http/parser.h: well-formed heads, and malformed ones of
// every kind the contract names (truncated, bad request lines, bad header
// lines, obs-fold, bad or conflicting Content-Length, both Content-Length
// and Transfer-Encoding, Host rules), and response heads with each way of
// delimiting a body.

#include "mco/net/http/parser.h"

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace {

using mco::net::http::BodyKind;
using mco::net::http::check_request_line;
using mco::net::http::find_head_end;
using mco::net::http::parse_request_head;
using mco::net::http::parse_response_head;
using mco::net::http::RequestHead;
using mco::net::http::ResponseHead;
using Request = RequestHead;

// Parses `head` (which must be complete) into a fresh RequestHead.
bool parse(std::string_view head, Request* req) {
  *req = Request();
  return parse_request_head(head, req).ok();
}

bool parses(std::string_view head) {
  Request req;
  return parse(head, &req);
}

// --- find_head_end
// -------------------------------------------------------------

TEST(FindHeadEnd, FindsTheEmptyLineWithCrlfOrLf) {
  const std::string crlf = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  EXPECT_EQ(find_head_end(crlf, 0), crlf.size());
  const std::string lf = "GET / HTTP/1.1\nHost: a\n\n";
  EXPECT_EQ(find_head_end(lf, 0), lf.size());
  const std::string mixed = "GET / HTTP/1.1\r\nHost: a\n\r\n";
  EXPECT_EQ(find_head_end(mixed, 0), mixed.size());
}

TEST(FindHeadEnd, StopsAtTheFirstHeadOfSeveral) {
  const std::string one = "GET /a HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string two = one + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n";
  EXPECT_EQ(find_head_end(two, 0), one.size());
}

TEST(FindHeadEnd, ZeroWhileTruncated) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  for (size_t n = 0; n < head.size(); ++n) {
    EXPECT_EQ(find_head_end(head.substr(0, n), 0), 0u) << n;
  }
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: a\r\r\n", 0), 0u);
  EXPECT_EQ(find_head_end("\r\n", 0), 0u);  // no line before it
}

// The server scans again from two bytes before the old end after each read.
TEST(FindHeadEnd, ResumedScanFindsAnEndSplitAcrossReads) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET";
  const size_t want = head.size() - 3;
  for (size_t n = 0; n < want; ++n) {
    ASSERT_EQ(find_head_end(head.substr(0, n), 0), 0u);
    const size_t from = n >= 2 ? n - 2 : 0;
    EXPECT_EQ(find_head_end(head, from), want) << "first read: " << n;
  }
}

// --- parse_head: well-formed
// ----------------------------------------------------

TEST(ParseHead, KeepsWhatTheServerNeeds) {
  Request req;
  ASSERT_TRUE(
      parse("POST /echo?x=1 HTTP/1.1\r\n"
            "Host: example.com\r\n"
            "Content-Length: 12\r\n"
            "Connection: keep-alive, Close\r\n"
            "Expect: 100-Continue\r\n"
            "X-Other: anything\tgoes\r\n"
            "\r\n",
            &req));
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/echo?x=1");
  EXPECT_EQ(req.minor, 1);
  EXPECT_EQ(req.body, BodyKind::kLength);
  EXPECT_EQ(req.content_length, 12u);
  EXPECT_FALSE(req.keep_alive);  // "Close", in any case, wins
  EXPECT_TRUE(req.expect_continue);
  EXPECT_EQ(req.headers.get("x-other"), "anything\tgoes");
  EXPECT_EQ(req.headers.get("HOST"), "example.com");
  EXPECT_EQ(req.headers.size(), 5u);
}

TEST(ParseHead, KeepsRepeatedHeadersInOrder) {
  Request req;
  ASSERT_TRUE(
      parse("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nx-a: 2\r\n\r\n", &req));
  ASSERT_EQ(req.headers.values("X-A").size(), 2u);
  EXPECT_EQ(req.headers.values("X-A")[0], "1");
  EXPECT_EQ(req.headers.values("X-A")[1], "2");
  EXPECT_EQ(req.body, BodyKind::kNone);
  EXPECT_TRUE(req.keep_alive);
}

TEST(ParseHead, AcceptsBareLfAndOptionalWhiteSpace) {
  Request req;
  ASSERT_TRUE(parse("GET / HTTP/1.1\nHost:a\nContent-Length: \t7 \n\n", &req));
  EXPECT_EQ(req.content_length, 7u);
}

TEST(ParseHead, Http10NeedsNoHost) {
  Request req;
  ASSERT_TRUE(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &req));
  EXPECT_EQ(req.minor, 0);
  EXPECT_TRUE(req.keep_alive);
  ASSERT_TRUE(parse("GET / HTTP/1.0\r\n\r\n", &req));
  EXPECT_FALSE(req.keep_alive);  // HTTP/1.0 closes unless asked
}

TEST(ParseHead, RepeatedEqualContentLengthIsFine) {
  Request req;
  ASSERT_TRUE(
      parse("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
            "content-length: 005\r\n\r\n",
            &req));
  EXPECT_EQ(req.content_length, 5u);
}

TEST(ParseHead, LongestContentLength) {
  Request req;
  ASSERT_TRUE(parse(
      "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999999999999\r\n\r\n",
      &req));
  EXPECT_EQ(req.content_length, 999999999999999999u);
}

TEST(ParseHead, ChunkedTransferEncoding) {
  Request req;
  ASSERT_TRUE(
      parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n",
            &req));
  EXPECT_EQ(req.body, BodyKind::kChunked);
}

TEST(ParseHead, OtherTransferEncodingsAreUnimplemented) {
  for (const char* te : {"gzip", "gzip, chunked", "chunked, gzip", "x"}) {
    Request req;
    const absl::Status st = parse_request_head(
        std::string("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ") + te +
            "\r\n\r\n",
        &req);
    EXPECT_TRUE(absl::IsUnimplemented(st)) << te << ": " << st;
  }
  // And in HTTP/1.0 it is refused (it cannot frame a body there).
  EXPECT_FALSE(parses("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"));
}

TEST(CheckRequestLine, RefusesGarbageEarly) {
  EXPECT_TRUE(check_request_line("GET / HTTP/1.1\r").ok());
  EXPECT_TRUE(check_request_line("GET / HTTP/1.1").ok());
  EXPECT_FALSE(check_request_line("\x16\x03\x01 / HTTP/1.1").ok());  // TLS
  EXPECT_FALSE(check_request_line("GET / HTTP/1.1 x").ok());
}

// --- parse_head: malformed
// -------------------------------------------------------

TEST(ParseHead, RejectsBadRequestLines) {
  for (const char* line : {
           "GET / HTTP/1.1 ",      // trailing space
           "GET  / HTTP/1.1",      // empty target
           "GET /",                // no version
           "GET",                  // method only
           " GET / HTTP/1.1",      // empty method
           "G(T / HTTP/1.1",       // not a token
           "GET /a\x01 HTTP/1.1",  // control in the target
           "GET /a\x7f HTTP/1.1",  // DEL in the target
           "GET / HTTP/2.0",       // not 1.x
           "GET / HTTP/1.",        // no minor
           "GET / HTTP/1.x",       // not a digit
           "GET / HTTP/1.10",      // two digits
           "GET / http/1.1",       // case matters
           "GET\t/ HTTP/1.1",      // tab for a space
           "GET / HTTP/1.1\r\r",   // stray CR
       }) {
    EXPECT_FALSE(parses(std::string(line) + "\r\nHost: a\r\n\r\n")) << line;
  }
}

TEST(ParseHead, RejectsBadHeaderLines) {
  for (const char* line : {
           "NoColon",
           "Name : space before the colon",
           " folded: line",
           "\tfolded: line",
           ": empty name",
           "Na(me: not a token",
           "Name: bell\x07",
           "Name: del\x7f",
           "Name: cr\rinside",
       }) {
    std::string head = "GET / HTTP/1.1\r\nHost: a\r\n";
    head += line;
    head += "\r\n\r\n";
    EXPECT_FALSE(parses(head)) << line;
  }
  std::string nul = "GET / HTTP/1.1\r\nHost: a\r\nName: a";
  nul += '\0';
  EXPECT_FALSE(parses(nul + "b\r\n\r\n"));
}

TEST(ParseHead, RejectsBadContentLength) {
  for (const char* value : {
           "",                     // empty
           "-1",                   // sign
           "+1",                   // sign
           "1 2",                  // inner space
           "0x10",                 // hex
           "1,1",                  // a list
           "1000000000000000000",  // 19 digits: too long
       }) {
    EXPECT_FALSE(parses(std::string("PUT / HTTP/1.1\r\nHost: a\r\n") +
                        "Content-Length: " + value + "\r\n\r\n"))
        << value;
  }
  EXPECT_FALSE(
      parses("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
             "Content-Length: 6\r\n\r\n"));
  EXPECT_FALSE(
      parses("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
             "Transfer-Encoding: chunked\r\n\r\n"));
}

TEST(ParseHead, HostRules) {
  EXPECT_FALSE(parses("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(parses("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n"));
  EXPECT_FALSE(parses("GET / HTTP/1.0\r\nHost: a\r\nHOST: b\r\n\r\n"));
  EXPECT_TRUE(parses("GET / HTTP/1.0\r\nHost: a\r\n\r\n"));
}

TEST(ParseHead, RejectsAHeadWithoutARequestLine) {
  EXPECT_FALSE(parses("\r\n"));
  EXPECT_FALSE(parses("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(parses("Host: a\r\n\r\n"));
}

// Found by tools/fuzz/http_request_fuzzer.cc: a head whose last line had no
// newline made parse_head loop for ever (the server never passes one, since
// it parses what find_head_end measured, but the contract allows it).
TEST(ParseHead, RejectsAHeadThatDoesNotEndInAnEmptyLine) {
  EXPECT_FALSE(parses("GET / HTTP/1.1\r\nHost: GETa\r"));
  EXPECT_FALSE(parses("GET / HTTP/1.1\r\nHost: a"));
  EXPECT_FALSE(parses("GET / HTTP/1.1\r\nHost: a\r\n"));
  EXPECT_FALSE(parses("GET / HTTP/1.1"));
  EXPECT_FALSE(parses(""));
  EXPECT_TRUE(parses("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1"));
}

TEST(ParseHead, OversizedFieldsAreTheCallersLimit) {
  // The parser itself takes any size; the server caps the head at 8 KiB.
  const std::string target = "/" + std::string(100000, 'a');
  const std::string head = "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
  Request req;
  ASSERT_TRUE(parse(head, &req));
  EXPECT_EQ(req.target, target);
}

TEST(ParseHead, ErrorsSayWhat) {
  Request req;
  const absl::Status st = parse_request_head(
      "GET / HTTP/1.1\r\nHost: a\r\n folded: x\r\n\r\n", &req);
  EXPECT_TRUE(absl::IsInvalidArgument(st));
  EXPECT_EQ(st.message(), "http: malformed header name");
}

// --- parse_response_head
// ---------------------------------------------------------

ResponseHead response(std::string_view head, std::string_view method = "GET") {
  ResponseHead r;
  const absl::Status st = parse_response_head(head, method, &r);
  EXPECT_TRUE(st.ok()) << st << " in " << head;
  return r;
}

TEST(ParseResponseHead, StatusLineAndLength) {
  const ResponseHead r =
      response("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nX: y\r\n\r\n");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.reason, "Not Found");
  EXPECT_EQ(r.minor, 1);
  EXPECT_EQ(r.body, BodyKind::kLength);
  EXPECT_EQ(r.content_length, 9u);
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(r.headers.get("x"), "y");
  EXPECT_EQ(response("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").body,
            BodyKind::kNone);
}

TEST(ParseResponseHead, BodyFraming) {
  ResponseHead r =
      response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(r.body, BodyKind::kChunked);
  EXPECT_TRUE(r.keep_alive);
  // Transfer-Encoding wins over Content-Length, and the connection is not
  // reused (a possible smuggling attempt).
  r = response(
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
      "Transfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(r.body, BodyKind::kChunked);
  EXPECT_FALSE(r.keep_alive);
  r = response("HTTP/1.1 200 OK\r\n\r\n");
  EXPECT_EQ(r.body, BodyKind::kUntilClose);
  EXPECT_FALSE(r.keep_alive);
  r = response("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n");
  EXPECT_FALSE(r.keep_alive);
  r = response(
      "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_TRUE(r.keep_alive);
  // No body: HEAD, 1xx, 204, 304, whatever the headers say.
  EXPECT_EQ(
      response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "HEAD").body,
      BodyKind::kNone);
  for (const char* line : {"HTTP/1.1 100 Continue", "HTTP/1.1 204 No Content",
                           "HTTP/1.1 304 Not Modified"}) {
    EXPECT_EQ(
        response(std::string(line) + "\r\nContent-Length: 5\r\n\r\n").body,
        BodyKind::kNone)
        << line;
  }
}

TEST(ParseResponseHead, RejectsMalformedHeads) {
  for (const char* head : {
           "HTTP/1.1 20 OK\r\n\r\n",
           "HTTP/1.1 2000 OK\r\n\r\n",
           "HTTP/1.1 abc OK\r\n\r\n",
           "HTTP/1.1 099 OK\r\n\r\n",
           "HTTP/2 200 OK\r\n\r\n",
           "HTTP/1.1  200 OK\r\n\r\n",
           "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
           "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "HTTP/1.1 200 OK\r\n folded\r\n\r\n",
           "HTTP/1.1 200 OK\x01\r\n\r\n",
           "HTTP/1.1 200 OK\r\n",
       }) {
    ResponseHead r;
    EXPECT_TRUE(absl::IsInvalidArgument(parse_response_head(head, "GET", &r)))
        << head;
  }
}

}  // namespace
