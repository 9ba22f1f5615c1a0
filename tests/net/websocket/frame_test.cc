// Copyright 2026 The mco Authors.
//
// The frame codec (frame.h) as pure functions: headers (lengths, masks,
// validation), masking, close payloads and incremental UTF-8.

#include "mco/net/websocket/frame.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mco::net::websocket {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

std::string encode(const FrameHeader& h) {
  char buf[kMaxFrameHeaderSize];
  return std::string(buf, encode_frame_header(h, buf));
}

TEST(FrameHeader, LengthFormsRoundTrip) {
  for (uint64_t len :
       {uint64_t{0}, uint64_t{1}, uint64_t{125}, uint64_t{126}, uint64_t{65535},
        uint64_t{65536}, (uint64_t{1} << 63) - 1}) {
    for (bool masked : {false, true}) {
      FrameHeader h;
      h.fin = len % 2 == 0;
      h.opcode = Opcode::kBinary;
      h.masked = masked;
      h.mask_key[0] = 0x11;
      h.mask_key[3] = 0xEE;
      h.payload_length = len;
      const std::string wire = encode(h);
      const size_t want = (len < 126     ? 2
                           : len < 65536 ? 4
                                         : 10) +
                          (masked ? 4 : 0);
      EXPECT_EQ(wire.size(), want) << len;
      FrameHeader back;
      absl::StatusOr<size_t> n = parse_frame_header(
          wire, masked ? Sender::kClient : Sender::kServer, &back);
      ASSERT_TRUE(n.ok()) << n.status();
      EXPECT_EQ(*n, want);
      EXPECT_EQ(back.payload_length, len);
      EXPECT_EQ(back.fin, h.fin);
      EXPECT_EQ(back.masked, masked);
      if (masked) {
        EXPECT_EQ(back.mask_key[0], 0x11);
        EXPECT_EQ(back.mask_key[3], 0xEE);
      }
    }
  }
}

TEST(FrameHeader, RfcExamples) {
  // RFC 6455 5.7: "Hello" unmasked from the server, masked from the client.
  FrameHeader h;
  ASSERT_EQ(
      parse_frame_header(bytes({0x81, 0x05}), Sender::kServer, &h).value(), 2u);
  EXPECT_TRUE(h.fin);
  EXPECT_EQ(h.opcode, Opcode::kText);
  EXPECT_EQ(h.payload_length, 5u);
  std::string masked =
      bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  ASSERT_EQ(parse_frame_header(masked, Sender::kClient, &h).value(), 6u);
  std::string payload = masked.substr(6);
  apply_mask(payload.data(), payload.size(), h.mask_key, 0);
  EXPECT_EQ(payload, "Hello");
  // A fragmented unmasked text message: "Hel" then "lo".
  ASSERT_TRUE(
      parse_frame_header(bytes({0x01, 0x03}), Sender::kServer, &h).ok());
  EXPECT_FALSE(h.fin);
  ASSERT_TRUE(
      parse_frame_header(bytes({0x80, 0x02}), Sender::kServer, &h).ok());
  EXPECT_TRUE(h.fin);
  EXPECT_EQ(h.opcode, Opcode::kContinuation);
  // 256 bytes binary in one frame: 16-bit length.
  ASSERT_EQ(
      parse_frame_header(bytes({0x82, 0x7E, 0x01, 0x00}), Sender::kServer, &h)
          .value(),
      4u);
  EXPECT_EQ(h.payload_length, 256u);
}

TEST(FrameHeader, TruncatedHeadersNeedMore) {
  FrameHeader h;
  const std::vector<std::string> partial = {
      "",
      bytes({0x82}),
      bytes({0x82, 0x7E}),
      bytes({0x82, 0x7E, 0x01}),
      bytes({0x82, 0x7F, 0, 0, 0, 0, 0, 1}),
      bytes({0x82, 0x85, 1, 2, 3}),  // mask key cut short
  };
  for (const std::string& p : partial) {
    absl::StatusOr<size_t> n = parse_frame_header(
        p,
        (p.size() > 1 && (static_cast<uint8_t>(p[1]) & 0x80)) ? Sender::kClient
                                                              : Sender::kServer,
        &h);
    ASSERT_TRUE(n.ok()) << p.size() << ": " << n.status();
    EXPECT_EQ(*n, 0u) << p.size();
  }
}

TEST(FrameHeader, RejectsBadHeaders) {
  FrameHeader h;
  struct Case {
    std::string wire;
    Sender from;
    std::string want;
  };
  const std::vector<Case> cases = {
      {bytes({0xC2, 0x00}), Sender::kServer, "reserved bits"},  // RSV1
      {bytes({0xA2, 0x00}), Sender::kServer, "reserved bits"},  // RSV2
      {bytes({0x92, 0x00}), Sender::kServer, "reserved bits"},  // RSV3
      {bytes({0x83, 0x00}), Sender::kServer, "unknown opcode 3"},
      {bytes({0x87, 0x00}), Sender::kServer, "unknown opcode 7"},
      {bytes({0x8B, 0x00}), Sender::kServer, "unknown opcode 11"},
      {bytes({0x8F, 0x00}), Sender::kServer, "unknown opcode 15"},
      {bytes({0x09, 0x00}), Sender::kServer, "fragmented control"},  // ping
      {bytes({0x08, 0x00}), Sender::kServer, "fragmented control"},  // close
      {bytes({0x89, 0x7E, 0x00, 0x7E}), Sender::kServer,
       "control frame too long"},
      {bytes({0x8A, 0x7E}), Sender::kServer, "control frame too long"},
      {bytes({0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 1}), Sender::kServer,
       "high bit"},
      {bytes({0x82, 0x05}), Sender::kClient, "bad mask bit"},
      {bytes({0x82, 0x85, 1, 2, 3, 4}), Sender::kServer, "bad mask bit"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<size_t> n = parse_frame_header(c.wire, c.from, &h);
    ASSERT_FALSE(n.ok()) << c.want;
    EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(n.status().message().find(c.want), std::string_view::npos)
        << n.status() << " want " << c.want;
  }
}

TEST(FrameHeader, NonMinimalLengthsAccepted) {
  // 5 in the 16-bit and the 64-bit form: accepted (see frame.h).
  FrameHeader h;
  ASSERT_EQ(
      parse_frame_header(bytes({0x82, 0x7E, 0x00, 0x05}), Sender::kServer, &h)
          .value(),
      4u);
  EXPECT_EQ(h.payload_length, 5u);
  ASSERT_EQ(parse_frame_header(bytes({0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 5}),
                               Sender::kServer, &h)
                .value(),
            10u);
  EXPECT_EQ(h.payload_length, 5u);
  EXPECT_EQ(encode(h).size(), 2u);  // re-encoded minimally
}

TEST(Mask, PiecewiseEqualsWhole) {
  const uint8_t key[4] = {0xDE, 0xAD, 0xBE, 0xEF};
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 7));
  std::string whole = data;
  apply_mask(whole.data(), whole.size(), key, 0);
  for (size_t i = 0; i < whole.size(); ++i) {
    ASSERT_EQ(static_cast<uint8_t>(whole[i]),
              static_cast<uint8_t>(data[i]) ^ key[i % 4])
        << i;
  }
  // In uneven pieces, starting at odd addresses.
  std::string pieces = data;
  size_t off = 0;
  for (size_t step : {1u, 3u, 8u, 13u, 64u, 100u, 811u}) {
    const size_t n = std::min(step, pieces.size() - off);
    apply_mask(pieces.data() + off, n, key, off);
    off += n;
  }
  EXPECT_EQ(pieces, whole);
  apply_mask(pieces.data(), pieces.size(), key, 0);
  EXPECT_EQ(pieces, data);
}

TEST(ClosePayload, CodesAndReasons) {
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012,
                   1013, 1014, 3000, 4000, 4999}) {
    EXPECT_TRUE(is_valid_close_code(code)) << code;
    absl::StatusOr<std::string> p = make_close_payload(code, "bye");
    ASSERT_TRUE(p.ok()) << code;
    absl::StatusOr<ClosePayload> back = parse_close_payload(*p);
    ASSERT_TRUE(back.ok()) << code;
    EXPECT_EQ(back->code, code);
    EXPECT_EQ(back->reason, "bye");
  }
  for (int code :
       {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
    EXPECT_FALSE(is_valid_close_code(code)) << code;
    std::string wire = bytes({code >> 8, code & 0xFF});
    absl::StatusOr<ClosePayload> c = parse_close_payload(wire);
    ASSERT_FALSE(c.ok()) << code;
    EXPECT_NE(c.status().message().find("invalid close code"),
              std::string_view::npos);
  }
  EXPECT_EQ(parse_close_payload("").value().code, kCloseNoStatus);
  EXPECT_FALSE(parse_close_payload(bytes({0x03})).ok());  // one byte
  EXPECT_FALSE(parse_close_payload(bytes({0x03, 0xE8, 0xC0, 0xAF})).ok());
  EXPECT_EQ(make_close_payload(kCloseNoStatus, "").value(), "");
  EXPECT_FALSE(make_close_payload(kCloseNoStatus, "why").ok());
  EXPECT_FALSE(make_close_payload(1006, "").ok());
  EXPECT_TRUE(make_close_payload(1000, std::string(123, 'x')).ok());
  EXPECT_FALSE(make_close_payload(1000, std::string(124, 'x')).ok());
  EXPECT_FALSE(make_close_payload(1000, "\xff").ok());
}

TEST(Utf8, AcceptsValidRejectsInvalid) {
  const std::vector<std::string> good = {"",
                                         "hello",
                                         "\xC2\x80",
                                         "\xDF\xBF",
                                         "\xE0\xA0\x80",
                                         "\xED\x9F\xBF",
                                         "\xEE\x80\x80",
                                         "\xEF\xBF\xBF",
                                         "\xF0\x90\x80\x80",
                                         "\xF4\x8F\xBF\xBF",
                                         "κόσμε",
                                         "Hello-µ@ßöäüàá-UTF-8!!"};
  for (const std::string& s : good) EXPECT_TRUE(is_valid_utf8(s)) << s;
  const std::vector<std::string> bad = {
      "\x80",              // lone continuation
      "\xC0\x80",          // overlong NUL
      "\xC1\xBF",          // overlong
      "\xE0\x9F\xBF",      // overlong 3-byte
      "\xED\xA0\x80",      // surrogate U+D800
      "\xED\xBF\xBF",      // surrogate U+DFFF
      "\xF0\x8F\xBF\xBF",  // overlong 4-byte
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // lead byte past F4
      "\xFF",              // never valid
      "\xC2",              // cut off
      "\xE2\x82",          // cut off
      "abc\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5\xED\xA0\x80"
      "edited",
  };
  for (const std::string& s : bad) EXPECT_FALSE(is_valid_utf8(s)) << s.size();
}

TEST(Utf8, SplitAcrossFragmentsAtEveryPoint) {
  // "€" (E2 82 AC) and "𝄞" (F0 9D 84 9E) split at every byte boundary.
  const std::string text =
      "a\xE2\x82\xAC"
      "b\xF0\x9D\x84\x9E"
      "c";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    Utf8Validator v;
    EXPECT_TRUE(v.feed(text.substr(0, cut))) << cut;
    EXPECT_TRUE(v.feed(text.substr(cut))) << cut;
    EXPECT_TRUE(v.complete()) << cut;
  }
  // A character cut off at the end of the message is incomplete.
  Utf8Validator v;
  EXPECT_TRUE(v.feed("ok\xF0\x9D"));
  EXPECT_FALSE(v.complete());
  // A bad continuation in the second fragment fails there, and stays failed.
  Utf8Validator w;
  EXPECT_TRUE(w.feed("\xE2"));
  EXPECT_FALSE(w.feed("\x28\xA1"));
  EXPECT_FALSE(w.feed("fine"));
  EXPECT_FALSE(w.complete());
}

TEST(Utf8, LongAsciiWithLateError) {
  // The 8-byte ASCII path must still see a bad byte at any position.
  for (size_t pos = 0; pos < 40; ++pos) {
    std::string s(40, 'x');
    s[pos] = '\x80';
    EXPECT_FALSE(is_valid_utf8(s)) << pos;
  }
}

}  // namespace
}  // namespace mco::net::websocket
