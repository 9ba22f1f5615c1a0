// Copyright 2026 The mco Authors.
//
// Tests of mco/redis/resp.h: every RESP2/RESP3 type, incremental parsing
// (every truncation needs more, every split parses the same), malformed
// input, limits, and encoding.

#include "mco/redis/resp.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace mco::redis {
namespace {

using R = Reply;

R arr(std::vector<R> e) {
  return R::aggregate(ReplyType::kArray, std::move(e));
}

// Parses all of `wire` as exactly one reply.
absl::StatusOr<Reply> parse_one(std::string_view wire,
                                ParserOptions options = {}) {
  Parser p(options);
  size_t used = 0;
  absl::StatusOr<std::optional<Reply>> r = p.parse(wire, &used);
  if (!r.ok()) return r.status();
  if (!r->has_value()) return absl::OutOfRangeError("need more");
  EXPECT_EQ(used, wire.size()) << "trailing bytes in " << wire;
  return std::move(**r);
}

struct Case {
  std::string wire;
  Reply want;
};

std::vector<Case> valid_cases() {
  R attr_kept = R::integer(7);
  return {
      {"+OK\r\n", R::simple_string("OK")},
      {"+\r\n", R::simple_string("")},
      {"-ERR unknown command\r\n", R::error("ERR unknown command")},
      {":0\r\n", R::integer(0)},
      {":-42\r\n", R::integer(-42)},
      {":+7\r\n", R::integer(7)},
      {":9223372036854775807\r\n", R::integer(INT64_MAX)},
      {":-9223372036854775808\r\n", R::integer(INT64_MIN)},
      {"$3\r\nfoo\r\n", R::bulk_string("foo")},
      {"$0\r\n\r\n", R::bulk_string("")},
      {std::string("$6\r\na\r\nb\0c\r\n", 12),
       R::bulk_string(std::string("a\r\nb\0c", 6))},
      {"$-1\r\n", R::null()},
      {"*-1\r\n", R::null()},
      {"_\r\n", R::null()},
      {"*0\r\n", arr({})},
      {"*3\r\n:1\r\n$1\r\nx\r\n_\r\n",
       arr({R::integer(1), R::bulk_string("x"), R::null()})},
      {"*2\r\n*1\r\n+a\r\n*0\r\n",
       arr({arr({R::simple_string("a")}), arr({})})},
      {"%2\r\n+k1\r\n:1\r\n+k2\r\n$2\r\nv2\r\n",
       R::aggregate(ReplyType::kMap,
                    {R::simple_string("k1"), R::integer(1),
                     R::simple_string("k2"), R::bulk_string("v2")})},
      {"~2\r\n+a\r\n+b\r\n",
       R::aggregate(ReplyType::kSet,
                    {R::simple_string("a"), R::simple_string("b")})},
      {",3.25\r\n", R::dbl(3.25)},
      {",-1e+300\r\n", R::dbl(-1e300)},
      {",10\r\n", R::dbl(10)},
      {",inf\r\n", R::dbl(std::numeric_limits<double>::infinity())},
      {",-inf\r\n", R::dbl(-std::numeric_limits<double>::infinity())},
      {",nan\r\n", R::dbl(std::nan(""))},
      {"#t\r\n", R::boolean(true)},
      {"#f\r\n", R::boolean(false)},
      {"(3492890328409238509324850943850943825024385\r\n",
       R::big_number("3492890328409238509324850943850943825024385")},
      {"(-12\r\n", R::big_number("-12")},
      {"=15\r\ntxt:Some string\r\n", R::verbatim("txt", "Some string")},
      {"=4\r\nmkd:\r\n", R::verbatim("mkd", "")},
      {"!21\r\nSYNTAX invalid syntax\r\n",
       R::blob_error("SYNTAX invalid syntax")},
      {">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
       R::aggregate(ReplyType::kPush,
                    {R::bulk_string("message"), R::bulk_string("ch"),
                     R::bulk_string("hi")})},
      // An attribute before a reply is skipped by default.
      {"|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.5\r\n:7\r\n", attr_kept},
      // ... also inside an aggregate.
      {"*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n",
       arr({R::integer(1), R::integer(2)})},
  };
}

TEST(RespParse, EveryType) {
  for (const Case& c : valid_cases()) {
    absl::StatusOr<Reply> r = parse_one(c.wire);
    ASSERT_TRUE(r.ok()) << c.wire << ": " << r.status();
    EXPECT_EQ(*r, c.want) << c.wire << " gave " << r->to_string();
  }
}

TEST(RespParse, AccessorsOfEachKind) {
  auto r = parse_one("*4\r\n$3\r\nfoo\r\n:42\r\n_\r\n-ERR x\r\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type(), ReplyType::kArray);
  ASSERT_EQ(r->elements().size(), 4u);
  EXPECT_EQ(r->elements()[0].str(), "foo");
  EXPECT_TRUE(r->elements()[0].is_string());
  EXPECT_EQ(r->elements()[1].integer(), 42);
  EXPECT_TRUE(r->elements()[2].is_null());
  EXPECT_TRUE(r->elements()[3].is_error());
  EXPECT_EQ(r->elements()[3].str(), "ERR x");
  EXPECT_EQ(r->to_string(), "[\"foo\", 42, nil, (error) ERR x]");
  auto m = parse_one("%1\r\n+a\r\n#t\r\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->to_string(), "{a: true}");
  EXPECT_TRUE(m->elements()[1].boolean());
  auto v = parse_one("=9\r\ntxt:hello\r\n");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->format(), "txt");
  EXPECT_EQ(v->str(), "hello");
}

TEST(RespParse, AttributesKeptWhenAsked) {
  ParserOptions o;
  o.keep_attributes = true;
  auto r = parse_one("|1\r\n+ttl\r\n:3\r\n*1\r\n|1\r\n+x\r\n+y\r\n:7\r\n", o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_NE(r->attributes(), nullptr);
  EXPECT_EQ(*r->attributes(),
            R::aggregate(ReplyType::kAttribute,
                         {R::simple_string("ttl"), R::integer(3)}));
  ASSERT_EQ(r->elements().size(), 1u);
  ASSERT_NE(r->elements()[0].attributes(), nullptr);
  EXPECT_EQ(r->elements()[0].attributes()->elements()[1].str(), "y");
  EXPECT_EQ(r->elements()[0].integer(), 7);
  // Re-encoded and parsed again: the same, attributes included.
  auto again = parse_one(encode_reply(*r), o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *r);
}

// Every strict prefix of a valid reply needs more and consumes no byte of
// an unfinished scalar; the whole parses to the reply.
TEST(RespParse, EveryTruncationNeedsMore) {
  for (const Case& c : valid_cases()) {
    for (size_t n = 0; n < c.wire.size(); ++n) {
      Parser p;
      size_t used = 0;
      auto r = p.parse(std::string_view(c.wire).substr(0, n), &used);
      ASSERT_TRUE(r.ok()) << c.wire << " cut at " << n << ": " << r.status();
      EXPECT_FALSE(r->has_value()) << c.wire << " cut at " << n;
      EXPECT_LE(used, n);
    }
  }
}

// Fed one byte at a time, dropping what was consumed (as a connection
// does), or split once anywhere: the same reply.
TEST(RespParse, IncrementalFeedingGivesTheSameReply) {
  for (const Case& c : valid_cases()) {
    Parser p;
    std::string buf;
    std::optional<Reply> got;
    for (size_t i = 0; i < c.wire.size(); ++i) {
      ASSERT_FALSE(got.has_value()) << c.wire << ": reply before its end";
      buf.push_back(c.wire[i]);
      size_t used = 0;
      auto r = p.parse(buf, &used);
      ASSERT_TRUE(r.ok()) << r.status();
      buf.erase(0, used);
      if (r->has_value()) got = std::move(**r);
    }
    ASSERT_TRUE(got.has_value()) << c.wire;
    EXPECT_EQ(*got, c.want) << c.wire;
    EXPECT_TRUE(buf.empty());
    EXPECT_FALSE(p.in_progress());
    for (size_t cut = 0; cut <= c.wire.size(); ++cut) {
      Parser q;
      std::string b = c.wire.substr(0, cut);
      size_t used = 0;
      auto r1 = q.parse(b, &used);
      ASSERT_TRUE(r1.ok());
      b.erase(0, used);
      if (r1->has_value()) {
        EXPECT_EQ(cut, c.wire.size());
        continue;
      }
      b += c.wire.substr(cut);
      auto r2 = q.parse(b, &used);
      ASSERT_TRUE(r2.ok() && r2->has_value()) << c.wire << " split " << cut;
      EXPECT_EQ(**r2, c.want);
      EXPECT_EQ(used, b.size());
    }
  }
}

TEST(RespParse, SeveralRepliesInOneBuffer) {
  std::string buf = "+OK\r\n:1\r\n$2\r\nhi\r\n*1\r\n:2";
  Parser p;
  std::vector<Reply> got;
  for (;;) {
    size_t used = 0;
    auto r = p.parse(buf, &used);
    ASSERT_TRUE(r.ok());
    buf.erase(0, used);
    if (!r->has_value()) break;
    got.push_back(std::move(**r));
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].str(), "hi");
  EXPECT_TRUE(p.in_progress());  // "*1\r\n" consumed, ":2" waits for CRLF
  EXPECT_EQ(buf, ":2");
  buf += "\r\n";
  size_t used = 0;
  auto r = p.parse(buf, &used);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ(**r, arr({R::integer(2)}));
}

TEST(RespParse, MalformedInputIsAClearError) {
  const std::pair<std::string, std::string> bad[] = {
      {"?x\r\n", "bad type byte"},
      {"\r\n", "bad type byte"},
      {"$-2\r\n", "bad length"},
      {"$abc\r\n", "bad length"},
      {"$\r\n", "bad length"},
      {"$+3\r\nfoo\r\n", "bad length"},
      {"*-5\r\n", "bad length"},
      {"%-1\r\n", "bad length"},
      {"=-1\r\n", "bad length"},
      {"$99999999999999999999\r\n", "bad length"},
      {"*99999999999999999999\r\n", "bad length"},
      {"$3\r\nfooXY", "bulk string not followed by CRLF"},
      {":12a\r\n", "bad integer"},
      {":\r\n", "bad integer"},
      {":-\r\n", "bad integer"},
      {":9223372036854775808\r\n", "bad integer"},
      {",\r\n", "bad double"},
      {",1.5x\r\n", "bad double"},
      {",infinity\r\n", "bad double"},
      {",1e999\r\n", "bad double"},
      {"#x\r\n", "bad boolean"},
      {"#\r\n", "bad boolean"},
      {"(12a\r\n", "bad big number"},
      {"(\r\n", "bad big number"},
      {"=3\r\ntxt\r\n", "verbatim string without a format"},
      {"=5\r\ntxtxy\r\n", "verbatim string without a format"},
      {"_x\r\n", "bad null"},
      {"*2\r\n:1\r\n?\r\n", "bad type byte"},
  };
  for (const auto& [wire, what] : bad) {
    Parser p;
    size_t used = 0;
    auto r = p.parse(wire, &used);
    ASSERT_FALSE(r.ok()) << wire;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("redis: protocol error: " + what),
              std::string::npos)
        << wire << ": " << r.status();
  }
}

TEST(RespParse, LimitsAreEnforcedBeforeAllocating) {
  ParserOptions o;
  o.max_bulk_length = 10;
  o.max_aggregate_length = 3;
  o.max_depth = 4;
  EXPECT_TRUE(parse_one("$10\r\n0123456789\r\n", o).ok());
  auto big = parse_one("$11\r\n", o);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("bulk length 11 over the limit of 10"),
            std::string::npos);
  EXPECT_FALSE(parse_one("!11\r\n", o).ok());
  EXPECT_FALSE(parse_one("=11\r\n", o).ok());
  EXPECT_TRUE(parse_one("*3\r\n_\r\n_\r\n_\r\n", o).ok());
  auto wide = parse_one("*4\r\n", o);
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.status().message().find("aggregate length 4 over the limit"),
            std::string::npos);
  EXPECT_FALSE(parse_one("%4\r\n", o).ok());
  EXPECT_TRUE(parse_one("*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", o).ok());
  auto deep = parse_one("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", o);
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("nesting deeper than 4"),
            std::string::npos);

  // The defaults: a 4 GiB bulk string is refused at its header; a huge
  // array header is accepted (it costs nothing until elements arrive).
  Parser p;
  size_t used = 0;
  auto huge = p.parse("$4294967296\r\n", &used);
  EXPECT_FALSE(huge.ok());
  Parser q;
  auto wide_default = q.parse("*4294967295\r\n", &used);
  ASSERT_TRUE(wide_default.ok());
  EXPECT_FALSE(wide_default->has_value());
  EXPECT_EQ(used, 13u);
  // Deep nesting with default limits: 64 levels parse, 65 do not.
  std::string nest64, nest65;
  for (int i = 0; i < 64; ++i) nest64 += "*1\r\n";
  nest65 = nest64 + "*1\r\n";
  EXPECT_TRUE(parse_one(nest64 + ":1\r\n").ok());
  EXPECT_FALSE(parse_one(nest65 + ":1\r\n").ok());
  // A line without CRLF is refused once it is longer than 1 MiB.
  Parser r;
  std::string line = "+" + std::string((1 << 20) + 1, 'a');
  EXPECT_FALSE(r.parse(line, &used).ok());
}

TEST(RespEncode, CommandIsAnArrayOfBulkStrings) {
  EXPECT_EQ(encode_command({"SET", "k", "v"}),
            "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
  EXPECT_EQ(encode_command({"PING"}), "*1\r\n$4\r\nPING\r\n");
  const std::string binary("a\r\n\0b", 5);
  EXPECT_EQ(encode_command({"ECHO", binary}),
            std::string("*2\r\n$4\r\nECHO\r\n$5\r\na\r\n\0b\r\n", 25));
  EXPECT_EQ(encode_command({"X", ""}), "*2\r\n$1\r\nX\r\n$0\r\n\r\n");
  // A command parses back as the array it is.
  auto r = parse_one(encode_command({"ECHO", binary}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, arr({R::bulk_string("ECHO"), R::bulk_string(binary)}));
}

TEST(RespEncode, ReplyRoundTrips) {
  for (const Case& c : valid_cases()) {
    const std::string wire = encode_reply(c.want);
    auto r = parse_one(wire);
    ASSERT_TRUE(r.ok()) << wire << ": " << r.status();
    EXPECT_EQ(*r, c.want) << wire;
  }
  EXPECT_EQ(encode_reply(R::null()), "_\r\n");
  EXPECT_EQ(encode_reply(R::dbl(0.1)), ",0.1\r\n");
  EXPECT_EQ(encode_reply(R::verbatim("txt", "hi")), "=6\r\ntxt:hi\r\n");
  EXPECT_EQ(encode_reply(R::aggregate(ReplyType::kMap,
                                      {R::integer(1), R::boolean(false)})),
            "%1\r\n:1\r\n#f\r\n");
}

TEST(RespReply, EqualityLooksAtTypeAndContents) {
  EXPECT_NE(R::bulk_string("a"), R::simple_string("a"));
  EXPECT_NE(R::error("a"), R::blob_error("a"));
  EXPECT_NE(arr({R::integer(1)}), arr({R::integer(2)}));
  EXPECT_EQ(R::dbl(std::nan("")), R::dbl(std::nan("")));
  EXPECT_NE(R::dbl(1), R::dbl(2));
  R a = R::integer(1), b = R::integer(1);
  b.set_attributes(R::aggregate(ReplyType::kAttribute, {}));
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace mco::redis
