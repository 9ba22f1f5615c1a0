// Copyright 2026 The mco Authors.
//
// The opening handshake (handshake.h) as pure functions: SHA-1 and the
// accept key, URLs, the head parser, and both sides' checks.

#include "mco/net/websocket/handshake.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mco::net::websocket {
namespace {

std::string hex(const std::array<uint8_t, 20>& d) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (uint8_t b : d) {
    s += k[b >> 4];
    s += k[b & 15];
  }
  return s;
}

std::string msg(const absl::Status& s) { return std::string(s.message()); }

TEST(Sha1, KnownVectors) {
  // FIPS 180 examples, and lengths around the 55/56/64-byte padding edges.
  EXPECT_EQ(hex(internal::sha1("abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(internal::sha1("")),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex(internal::sha1(
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(hex(internal::sha1(std::string(1000000, 'a'))),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  EXPECT_EQ(hex(internal::sha1("The quick brown fox jumps over the lazy dog")),
            "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
}

TEST(AcceptKey, RfcExample) {
  // RFC 6455 1.3.
  EXPECT_EQ(compute_accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_TRUE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ="));
  EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ!="));
  EXPECT_FALSE(is_valid_client_key("dGhlIHNhbXBsZSBub25jZR=="));  // bits
  EXPECT_FALSE(is_valid_client_key("c2hvcnQ="));                  // 5 bytes
  EXPECT_FALSE(is_valid_client_key(""));
}

TEST(Url, Parses) {
  auto u = parse_websocket_url("ws://example.com/chat?room=1").value();
  EXPECT_EQ(u.scheme, "ws");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.host_port, "example.com:80");
  EXPECT_EQ(u.host_header, "example.com");
  EXPECT_EQ(u.resource, "/chat?room=1");

  u = parse_websocket_url("wss://[::1]:8443").value();
  EXPECT_EQ(u.port, 8443);
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.host_port, "[::1]:8443");
  EXPECT_EQ(u.host_header, "[::1]:8443");
  EXPECT_EQ(u.resource, "/");

  u = parse_websocket_url("wss://h?x").value();
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.resource, "/?x");

  for (const char* bad :
       {"http://h/", "ws://", "ws://:80/", "ws://h:0/", "ws://h:65536/",
        "ws://h:8x/", "ws://h/#frag", "ws://h /", "ws://u@h/", "ws://[::1/",
        "ws://[h]/", "ws://a:b:c/"}) {
    absl::StatusOr<WebSocketUrl> r = parse_websocket_url(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(Head, FindsEnd) {
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nA: b\r\n\r\nrest"), 24u);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\nA: b\n\nrest"), 21u);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nA: b\r\n"), 0u);
  EXPECT_EQ(find_head_end(""), 0u);
}

constexpr char kRequest[] =
    "GET /chat HTTP/1.1\r\n"
    "Host: server.example.com\r\n"
    "Upgrade: websocket\r\n"
    "Connection: keep-alive, Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Origin: http://example.com\r\n"
    "Sec-WebSocket-Protocol: chat, superchat\r\n"
    "sec-websocket-protocol: v3\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n";

TEST(Head, ParsesRequest) {
  HandshakeRequest r = parse_request_head(kRequest).value();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/chat");
  EXPECT_EQ(r.header("HOST").value(), "server.example.com");
  EXPECT_EQ(r.header("Sec-WebSocket-Protocol").value(), "chat, superchat, v3");
  EXPECT_FALSE(r.header("Cookie").has_value());
}

TEST(Head, RejectsMalformed) {
  for (const char* bad : {
           "GET /chat\r\n\r\n",                          // no version
           "GET /chat HTTP/1.0\r\n\r\n",                 // too old
           "GET /chat HTTP/2\r\n\r\n",                   //
           "GET  /chat HTTP/1.1\r\n\r\n",                // empty target
           "G(T / HTTP/1.1\r\n\r\n",                     // bad method token
           "GET / HTTP/1.1\r\nNoColon\r\n\r\n",          //
           "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",      //
           "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",  // obs-fold
           "GET / HTTP/1.1\r\nA: b\x01\r\n\r\n",         // control char
           "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",          // bare CR
           "\r\n\r\n",                                   // empty
       }) {
    EXPECT_FALSE(parse_request_head(bad).ok()) << bad;
  }
  EXPECT_FALSE(parse_response_head("HTTP/1.1 1O1 Switching\r\n\r\n").ok());
  EXPECT_FALSE(parse_response_head("ICY 200 OK\r\n\r\n").ok());
  auto r = parse_response_head("HTTP/1.1 404 Not  Found\r\n\r\n").value();
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.reason, "Not  Found");
}

TEST(Tokens, CaseInsensitiveCommaList) {
  EXPECT_TRUE(has_token("keep-alive, Upgrade", "upgrade"));
  EXPECT_TRUE(has_token("UPGRADE", "upgrade"));
  EXPECT_FALSE(has_token("upgraded", "upgrade"));
  EXPECT_FALSE(has_token("", "upgrade"));
}

TEST(ServerSide, AcceptsRfcRequestAndChoosesSubprotocol) {
  HandshakeRequest r = parse_request_head(kRequest).value();
  UpgradeDecision d = check_upgrade_request(r, {"v3", "chat"});
  ASSERT_TRUE(d.error.ok()) << d.error;
  EXPECT_EQ(d.http_status, 101);
  EXPECT_EQ(d.accept_key, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_EQ(d.subprotocol, "v3");  // the server's preference wins
  EXPECT_EQ(check_upgrade_request(r, {"mqtt"}).subprotocol, "");

  // Its own 101 satisfies the client check.
  HandshakeResponse resp =
      parse_response_head(accept_response(d, {{"X-Extra", "1"}})).value();
  EXPECT_EQ(resp.header("X-Extra").value(), "1");
  absl::StatusOr<std::string> chosen = check_server_response(
      resp, "dGhlIHNhbXBsZSBub25jZQ==", {"chat", "superchat", "v3"});
  ASSERT_TRUE(chosen.ok()) << chosen.status();
  EXPECT_EQ(*chosen, "v3");
}

TEST(ServerSide, RefusesBadRequests) {
  const HandshakeRequest good = parse_request_head(kRequest).value();
  struct Case {
    std::string header;  // to replace ("" = change the method)
    std::string value;
    int status;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"", "POST", 405, "method"},
      {"Host", "", 400, "Host"},
      {"Upgrade", "h2c", 400, "Upgrade"},
      {"Connection", "keep-alive", 400, "Connection"},
      {"Sec-WebSocket-Version", "8", 426, "Version"},
      {"Sec-WebSocket-Key", "short", 400, "Key"},
  };
  for (const Case& c : cases) {
    HandshakeRequest r = good;
    if (c.header.empty()) {
      r.method = c.value;
    } else if (c.value.empty()) {
      r.headers.erase(
          std::remove_if(r.headers.begin(), r.headers.end(),
                         [&](const auto& h) { return h.first == c.header; }),
          r.headers.end());
    } else {
      for (auto& [n, v] : r.headers) {
        if (n == c.header) v = c.value;
      }
    }
    UpgradeDecision d = check_upgrade_request(r, {});
    EXPECT_FALSE(d.error.ok()) << c.why;
    EXPECT_EQ(d.http_status, c.status) << c.why;
    EXPECT_NE(msg(d.error).find(c.why), std::string::npos) << d.error;
    const std::string answer = reject_response(d);
    EXPECT_EQ(answer.rfind("HTTP/1.1 " + std::to_string(c.status), 0), 0u);
    if (c.status == 426) {
      EXPECT_NE(answer.find("Sec-WebSocket-Version: 13"), std::string::npos);
    }
  }
}

TEST(ClientSide, RequestAndResponseChecks) {
  auto u = parse_websocket_url("ws://127.0.0.1:9000/x?y").value();
  const std::string req = build_client_request(
      u, "dGhlIHNhbXBsZSBub25jZQ==", {"a", "b"}, {{"Origin", "o"}});
  HandshakeRequest r = parse_request_head(req).value();
  EXPECT_EQ(r.target, "/x?y");
  EXPECT_EQ(r.header("Host").value(), "127.0.0.1:9000");
  EXPECT_EQ(r.header("Sec-WebSocket-Protocol").value(), "a, b");
  EXPECT_EQ(r.header("Origin").value(), "o");
  EXPECT_TRUE(check_upgrade_request(r, {}).error.ok());

  const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
  const std::string ok_head =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Accept: "
      "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
  EXPECT_TRUE(check_server_response(
                  parse_response_head(ok_head + "\r\n").value(), key, {})
                  .ok());
  struct Case {
    std::string head;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"HTTP/1.1 200 OK\r\n\r\n", "status 200"},
      {"HTTP/1.1 101 S\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
       "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
       "Upgrade"},
      {"HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Accept: AAAALMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
       "Accept"},
      {ok_head + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
       "extension"},
      {ok_head + "Sec-WebSocket-Protocol: nope\r\n\r\n", "not offered"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::string> r2 =
        check_server_response(parse_response_head(c.head).value(), key, {});
    ASSERT_FALSE(r2.ok()) << c.why;
    EXPECT_EQ(r2.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(msg(r2.status()).find(c.why), std::string::npos) << r2.status();
  }
}

}  // namespace
}  // namespace mco::net::websocket
