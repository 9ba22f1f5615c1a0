// Copyright 2026 The mco Authors.
//
// Tests of mco/net/http/headers.h.

#include "mco/net/http/headers.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

using mco::net::http::equal_fold;
using mco::net::http::Headers;
using mco::net::http::status_text;

TEST(Headers, CaseInsensitiveAndMultiValued) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("X-Other", "o");
  h.add("set-cookie", "b=2");
  EXPECT_EQ(h.get("SET-COOKIE"), "a=1");
  EXPECT_EQ(h.values("Set-cookie"),
            (std::vector<std::string_view>{"a=1", "b=2"}));
  EXPECT_TRUE(h.has("x-other"));
  EXPECT_FALSE(h.has("x-none"));
  EXPECT_EQ(h.get("x-none"), "");
  EXPECT_EQ(h.size(), 3u);
}

TEST(Headers, SetReplacesEveryValueInPlace) {
  Headers h;
  h.add("A", "1");
  h.add("B", "2");
  h.add("a", "3");
  h.set("A", "new");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h.fields()[0].first, "A");
  EXPECT_EQ(h.fields()[0].second, "new");
  EXPECT_EQ(h.fields()[1].first, "B");
  h.set("C", "c");
  EXPECT_EQ(h.get("c"), "c");
  h.del("a");
  EXPECT_FALSE(h.has("A"));
  EXPECT_EQ(h.size(), 2u);
}

TEST(Headers, HasTokenReadsCommaLists) {
  Headers h;
  h.add("Connection", "keep-alive, Upgrade");
  h.add("Connection", " close ");
  EXPECT_TRUE(h.has_token("connection", "upgrade"));
  EXPECT_TRUE(h.has_token("connection", "CLOSE"));
  EXPECT_FALSE(h.has_token("connection", "keep"));
  EXPECT_FALSE(h.has_token("Upgrade", "close"));
}

TEST(Headers, WriteToInOrder) {
  Headers h;
  h.add("A", "1");
  h.add("b", "2");
  std::string out;
  h.write_to(&out);
  EXPECT_EQ(out, "A: 1\r\nb: 2\r\n");
}

TEST(Headers, EqualFoldAndStatusText) {
  EXPECT_TRUE(equal_fold("Content-Length", "content-LENGTH"));
  EXPECT_FALSE(equal_fold("a", "ab"));
  EXPECT_FALSE(equal_fold("[", "{"));  // not case pairs
  EXPECT_EQ(status_text(404), "Not Found");
  EXPECT_EQ(status_text(431), "Request Header Fields Too Large");
  EXPECT_EQ(status_text(999), "");
}

}  // namespace
