// Copyright 2026 The mco Authors.
//
// Tests of mco/net/http/chunked.h: decoding whole and split inputs,
// extensions and trailers, where decoding stops, malformed inputs (bad or
// oversized chunk sizes, missing CRLFs, bad trailers), and the encoder.

#include "mco/net/http/chunked.h"

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace {

using mco::net::http::append_chunk;
using mco::net::http::append_last_chunk;
using mco::net::http::ChunkedDecoder;

// Decodes `in` in one call: the body, or the error; `*used` gets how many
// bytes were consumed.
absl::StatusOr<std::string> decode(std::string_view in, size_t* used = nullptr,
                                   bool* done = nullptr) {
  ChunkedDecoder dec;
  std::string out;
  absl::StatusOr<size_t> n = dec.decode(in, &out);
  if (!n.ok()) return n.status();
  if (used != nullptr) *used = *n;
  if (done != nullptr) *done = dec.done();
  return out;
}

TEST(ChunkedDecoder, DecodesChunksAndStopsAfterTheTrailers) {
  const std::string body =
      "4\r\nWiki\r\n5;ext=1\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n";
  size_t used = 0;
  bool done = false;
  absl::StatusOr<std::string> out = decode(body + "NEXT", &used, &done);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "Wikipedia in\r\n\r\nchunks.");
  EXPECT_TRUE(done);
  EXPECT_EQ(used, body.size());  // "NEXT" is the next message's
}

TEST(ChunkedDecoder, TrailersAndBareLfAndUpperHex) {
  bool done = false;
  absl::StatusOr<std::string> out =
      decode("A\n0123456789\n0\nExpires: never\nX-Sum: 1\n\n", nullptr, &done);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "0123456789");
  EXPECT_TRUE(done);
}

TEST(ChunkedDecoder, SameResultByteByByte) {
  std::string wire;
  std::string want;
  for (int i = 1; i < 40; i += 7) {
    const std::string piece(static_cast<size_t>(i),
                            static_cast<char>('a' + i % 26));
    append_chunk(&wire, piece);
    want += piece;
  }
  append_last_chunk(&wire);
  ChunkedDecoder dec;
  std::string out;
  for (size_t i = 0; i < wire.size(); ++i) {
    EXPECT_FALSE(dec.done()) << i;
    absl::StatusOr<size_t> n = dec.decode(wire.substr(i, 1), &out);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, 1u);
  }
  EXPECT_TRUE(dec.done());
  EXPECT_EQ(out, want);
}

TEST(ChunkedDecoder, NotDoneWhileTruncated) {
  const std::string wire = "3\r\nabc\r\n0\r\n\r\n";
  for (size_t n = 0; n < wire.size(); ++n) {
    bool done = true;
    absl::StatusOr<std::string> out = decode(wire.substr(0, n), nullptr, &done);
    ASSERT_TRUE(out.ok()) << n;
    EXPECT_FALSE(done) << n;
  }
}

TEST(ChunkedDecoder, RejectsMalformedInput) {
  for (const char* in : {
           "x\r\n",                     // not hex
           "\r\n",                      // no size
           "-1\r\n",                    // sign
           "0x5\r\nabcde\r\n",          // "0x"
           "5 5\r\n",                   // junk after the size
           "11111111111111111\r\n",     // 17 hex digits
           "3\r\nabcX\r\n",             // no CRLF after the data
           "3\r\nabc\r\r\n",            // CR CR
           "3\r\nabc\rX",               // CR then junk
           "3\rX\r\n",                  // bare CR in the size line
           "3;a\x01\r\n",               // control in an extension
           "0\r\nBad Trailer\r\n\r\n",  // no colon
           "0\r\n: empty\r\n\r\n",      // empty name
           "0\r\nX: a\x01\r\n\r\n",     // control in a trailer
       }) {
    absl::StatusOr<std::string> out = decode(in);
    EXPECT_TRUE(absl::IsInvalidArgument(out.status())) << in;
  }
}

TEST(ChunkedDecoder, RejectsOverlongLines) {
  EXPECT_FALSE(decode("5;" + std::string(5000, 'e') + "\r\n").ok());
  EXPECT_FALSE(decode("0\r\nX: " + std::string(5000, 'v') + "\r\n").ok());
  std::string many = "0\r\n";
  for (int i = 0; i < 100; ++i) many += "X: " + std::string(1000, 'v') + "\r\n";
  EXPECT_FALSE(decode(many).ok());
}

TEST(ChunkedDecoder, StaysFailed) {
  ChunkedDecoder dec;
  std::string out;
  EXPECT_FALSE(dec.decode("zz", &out).ok());
  EXPECT_FALSE(dec.decode("0\r\n\r\n", &out).ok());
  EXPECT_FALSE(dec.done());
}

TEST(ChunkedDecoder, LargestSizeDoesNotOverflow) {
  ChunkedDecoder dec;
  std::string out;
  absl::StatusOr<size_t> n = dec.decode("ffffffffffffffff\r\nabc", &out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(out, "abc");
  EXPECT_FALSE(dec.done());
}

TEST(AppendChunk, EncodesInHexAndSkipsEmpty) {
  std::string out;
  append_chunk(&out, "");
  EXPECT_EQ(out, "");
  append_chunk(&out, std::string(26, 'z'));
  EXPECT_EQ(out.substr(0, 4), "1a\r\n");
  append_last_chunk(&out);
  EXPECT_EQ(out.substr(out.size() - 5), "0\r\n\r\n");
  absl::StatusOr<std::string> back = decode(out);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, std::string(26, 'z'));
}

}  // namespace
