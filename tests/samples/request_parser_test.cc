// Copyright 2026 The mco Authors.
//
// Tests of samples/http_server/request_parser.h: well-formed heads, and
// malformed ones of every kind the contract names (truncated, bad request
// lines, bad header lines, bad or conflicting Content-Length, Host rules).

#include "samples/http_server/request_parser.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace {

using mco_samples::http::find_head_end;
using mco_samples::http::parse_head;
using mco_samples::http::Request;

// Parses `head` (which must be complete) into a fresh Request.
bool parse(std::string_view head, Request* req) {
  *req = Request();
  return parse_head(head, req);
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
  EXPECT_EQ(req.hosts, 1);
  EXPECT_TRUE(req.has_length);
  EXPECT_EQ(req.length, 12u);
  EXPECT_FALSE(req.transfer_encoding);
  EXPECT_TRUE(req.close);
  EXPECT_TRUE(req.keep_alive);
  EXPECT_TRUE(req.expect_continue);
}

TEST(ParseHead, ViewsPointIntoTheHead) {
  const std::string head = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
  Request req;
  ASSERT_TRUE(parse(head, &req));
  EXPECT_EQ(req.method.data(), head.data());
  EXPECT_EQ(req.target.data(), head.data() + 4);
}

TEST(ParseHead, AcceptsBareLfAndOptionalWhiteSpace) {
  Request req;
  ASSERT_TRUE(parse("GET / HTTP/1.1\nHost:a\nContent-Length: \t7 \n\n", &req));
  EXPECT_EQ(req.length, 7u);
}

TEST(ParseHead, Http10NeedsNoHost) {
  Request req;
  ASSERT_TRUE(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &req));
  EXPECT_EQ(req.minor, 0);
  EXPECT_EQ(req.hosts, 0);
  EXPECT_TRUE(req.keep_alive);
}

TEST(ParseHead, RepeatedEqualContentLengthIsFine) {
  Request req;
  ASSERT_TRUE(
      parse("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
            "content-length: 005\r\n\r\n",
            &req));
  EXPECT_EQ(req.length, 5u);
}

TEST(ParseHead, LongestContentLength) {
  Request req;
  ASSERT_TRUE(parse(
      "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999999999999\r\n\r\n",
      &req));
  EXPECT_EQ(req.length, 999999999999999999u);
}

TEST(ParseHead, TransferEncodingIsNoted) {
  Request req;
  ASSERT_TRUE(
      parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
            &req));
  EXPECT_TRUE(req.transfer_encoding);
  EXPECT_FALSE(req.has_length);
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

}  // namespace
