// Copyright 2026 The mco Authors.
//
// The TLS record header, the first-record check and the ALPN list
// (record.h).

#include "mco/crypto/tls/record.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mco::tls {
namespace {

using std::string_literals::operator""s;

TEST(RecordTest, ParsesTheHeader) {
  EXPECT_FALSE(parse_record_header("\x16\x03\x01\x02").has_value());
  auto h = parse_record_header("\x16\x03\x01\x02\x00rest"s);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->type, kRecordHandshake);
  EXPECT_EQ(h->version, 0x0301);
  EXPECT_EQ(h->length, 0x0200);
}

TEST(RecordTest, FirstRecordTellsTlsFromPlaintext) {
  // A ClientHello's header, an alert, and too little to judge: fine.
  EXPECT_TRUE(check_first_record("\x16\x03\x01\x00\xf4"s).ok());
  EXPECT_TRUE(check_first_record("\x15\x03\x03\x00\x02"s).ok());
  EXPECT_TRUE(check_first_record("GET").ok());
  EXPECT_TRUE(check_first_record("").ok());
  // Plaintext, application data first, SSL 2, a record that is too long.
  for (const std::string& bad :
       {"GET / HTTP/1.1\r\n"s, "SSH-2.0-OpenSSH"s, "\x17\x03\x03\x00\x10"s,
        "\x80\x2e\x01\x03\x01"s, "\x16\x03\x03\x48\x01"s,
        "\x16\x03\x03\x00\x00"s, "\x16\x04\x03\x00\x10"s}) {
    absl::Status st = check_first_record(bad);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(
        std::string(st.message())
            .rfind("tls: first record does not look like a TLS handshake", 0),
        0u)
        << st;
  }
  EXPECT_EQ(std::string(check_first_record("GET / HTTP/1.1").message()),
            "tls: first record does not look like a TLS handshake (starts "
            "with \"GET / HT\")");
  EXPECT_EQ(std::string(check_first_record("\x00\x01\x02\x03\x04"s).message()),
            "tls: first record does not look like a TLS handshake (starts "
            "with \"\\x00\\x01\\x02\\x03\\x04\")");
}

TEST(RecordTest, AlpnRoundTrip) {
  const std::vector<std::string> protos = {"h2", "http/1.1",
                                           std::string(255, 'x')};
  auto wire = encode_alpn(protos);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(wire->substr(0, 12), "\x02h2\x08http/1.1"s);
  EXPECT_EQ(wire->size(), 3 + 9 + 256u);
  auto back = decode_alpn(*wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, protos);
  EXPECT_EQ(*encode_alpn({}), "");
  EXPECT_TRUE(decode_alpn("")->empty());
}

TEST(RecordTest, AlpnRejectsBadNamesAndLists) {
  EXPECT_FALSE(encode_alpn({""}).ok());
  EXPECT_FALSE(encode_alpn({std::string(256, 'x')}).ok());
  EXPECT_FALSE(encode_alpn(std::vector<std::string>(300, std::string(255, 'x')))
                   .ok());  // over 65535 bytes
  EXPECT_FALSE(decode_alpn("\x00"s).ok());
  EXPECT_FALSE(decode_alpn("\x03h2").ok());
  EXPECT_FALSE(decode_alpn("\x02h2\x09http/1.1").ok());
}

}  // namespace
}  // namespace mco::tls
