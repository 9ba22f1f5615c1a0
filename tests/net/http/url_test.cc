// Copyright 2026 The mco Authors.
//
// Tests of mco/net/http/url.h: parsing, default ports, IPv6, references
// (redirects), %-encoding both ways, and query strings.

#include "mco/net/http/url.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace {

using mco::net::http::parse_query;
using mco::net::http::path_escape;
using mco::net::http::percent_decode;
using mco::net::http::query_escape;
using mco::net::http::Url;

TEST(Url, ParsesTheParts) {
  absl::StatusOr<Url> u =
      Url::parse("HTTP://Example.COM:8080/a%20b/c?x=1&y#frag");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "example.com");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->raw_path, "/a%20b/c");
  EXPECT_EQ(u->path, "/a b/c");
  EXPECT_EQ(u->raw_query, "x=1&y");
  EXPECT_EQ(u->request_target(), "/a%20b/c?x=1&y");
  EXPECT_EQ(u->host_port(), "example.com:8080");
  EXPECT_EQ(u->to_string(), "http://example.com:8080/a%20b/c?x=1&y");
}

TEST(Url, DefaultsPortsAndPath) {
  absl::StatusOr<Url> u = Url::parse("http://h");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->raw_path, "/");
  EXPECT_EQ(u->host_header(), "h");
  u = Url::parse("https://h?q");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->request_target(), "/?q");
}

TEST(Url, Ipv6Literals) {
  absl::StatusOr<Url> u = Url::parse("http://[::1]:8080/x");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->host_port(), "[::1]:8080");
  u = Url::parse("http://[::1]/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host_header(), "[::1]");
}

TEST(Url, RejectsBadUrls) {
  for (const char* bad :
       {"", "/relative", "example.com/x", "http://", "http:///x", "http://h:/",
        "http://h:0/", "http://h:65536/", "http://h:8x/", "http://u@h/",
        "http://[::1/", "http://h/a b", "http://h/%zz", "ftp://h/",
        "http://a:b:c/", "1http://h\x01/"}) {
    absl::StatusOr<Url> u = Url::parse(bad);
    EXPECT_TRUE(absl::IsInvalidArgument(u.status())) << bad;
  }
}

TEST(Url, ResolvesReferences) {
  const Url base = *Url::parse("http://h:81/a/b/c?q=1");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/x", "http://h:81/x"},         {"d", "http://h:81/a/b/d"},
      {"../d?z", "http://h:81/a/d?z"}, {"../../../../d", "http://h:81/d"},
      {"./", "http://h:81/a/b/"},      {"?y=2", "http://h:81/a/b/c?y=2"},
      {"//other/p", "http://other/p"}, {"https://s/t", "https://s/t"},
      {"", "http://h:81/a/b/c?q=1"},
  };
  for (const auto& [ref, want] : cases) {
    absl::StatusOr<Url> u = base.resolve(ref);
    ASSERT_TRUE(u.ok()) << ref << ": " << u.status();
    EXPECT_EQ(u->to_string(), want) << ref;
  }
}

TEST(PercentEncoding, RoundTripsEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(*percent_decode(path_escape(all)), all);
  EXPECT_EQ(*percent_decode(query_escape(all), true), all);
  EXPECT_EQ(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(path_escape("a b"), "a%20b");
  EXPECT_EQ(*percent_decode("a+b"), "a+b");
  EXPECT_EQ(*percent_decode("a+b", true), "a b");
  for (const char* bad : {"%", "%2", "%zz", "a%g0"}) {
    EXPECT_FALSE(percent_decode(bad).ok()) << bad;
  }
}

TEST(ParseQuery, DecodesPairsInOrder) {
  const auto q = parse_query("a=1&b=x%20y+z&&a=2&flag&bad=%zz&=v");
  const std::vector<std::pair<std::string, std::string>> want = {
      {"a", "1"}, {"b", "x y z"}, {"a", "2"}, {"flag", ""}, {"", "v"}};
  EXPECT_EQ(q, want);
}

}  // namespace
