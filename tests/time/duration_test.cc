// Copyright 2026 The mco Authors.
//
// Tests of mco/time/duration.h against Go's own formatting and parsing
// table (time/time_test.go's durationTests and parseDurationTests).

#include "mco/time/duration.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace {

using mco::time::Duration;
using mco::time::Hour;
using mco::time::Microsecond;
using mco::time::Millisecond;
using mco::time::Minute;
using mco::time::Nanosecond;
using mco::time::Second;

TEST(Duration, FormatsLikeGo) {
  struct Case {
    const char* want;
    Duration d;
  } cases[] = {
      {"0s", Duration()},
      {"1ns", Nanosecond},
      {"1.1\xC2\xB5s", 1100 * Nanosecond},
      {"2.2ms", 2200 * Microsecond},
      {"3.3s", 3300 * Millisecond},
      {"4m5s", 4 * Minute + 5 * Second},
      {"4m5.001s", 4 * Minute + 5001 * Millisecond},
      {"5h6m7.001s", 5 * Hour + 6 * Minute + 7001 * Millisecond},
      {"8m0.000000001s", 8 * Minute + Nanosecond},
      {"1h0m0s", Hour},
      {"250ms", 250 * Millisecond},
      {"1h2m3.5s", Hour + 2 * Minute + 3500 * Millisecond},
      {"2562047h47m16.854775807s",
       Duration(std::numeric_limits<int64_t>::max())},
      {"-2562047h47m16.854775808s",
       Duration(std::numeric_limits<int64_t>::min())},
      {"-1.5s", -1500 * Millisecond},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.d.string(), c.want);
  }
}

TEST(Duration, ParsesLikeGo) {
  struct Case {
    const char* in;
    Duration want;
  } cases[] = {
      {"0", Duration()},
      {"5s", 5 * Second},
      {"30s", 30 * Second},
      {"1478s", 1478 * Second},
      {"-5s", -5 * Second},
      {"+5s", 5 * Second},
      {"-0", Duration()},
      {"+0", Duration()},
      {"5.0s", 5 * Second},
      {"5.6s", 5 * Second + 600 * Millisecond},
      {"5.s", 5 * Second},
      {".5s", 500 * Millisecond},
      {"1.0s", Second},
      {"1.00s", Second},
      {"1.004s", Second + 4 * Millisecond},
      {"1.0040s", Second + 4 * Millisecond},
      {"100.00100s", 100 * Second + Millisecond},
      {"10ns", 10 * Nanosecond},
      {"11us", 11 * Microsecond},
      {"12\xC2\xB5s", 12 * Microsecond},
      {"12\xCE\xBCs", 12 * Microsecond},
      {"13ms", 13 * Millisecond},
      {"14s", 14 * Second},
      {"15m", 15 * Minute},
      {"16h", 16 * Hour},
      {"3h30m", 3 * Hour + 30 * Minute},
      {"10.5s4m", 4 * Minute + 10 * Second + 500 * Millisecond},
      {"-2m3.4s", -(2 * Minute + 3 * Second + 400 * Millisecond)},
      {"1h2m3s4ms5us6ns", Hour + 2 * Minute + 3 * Second + 4 * Millisecond +
                              5 * Microsecond + 6 * Nanosecond},
      {"39h9m14.425s",
       39 * Hour + 9 * Minute + 14 * Second + 425 * Millisecond},
      {"52763797000ns", 52763797000 * Nanosecond},
      {"0.3333333333333333333h", 20 * Minute},
      {"9007199254740993ns", Duration(int64_t{9007199254740993})},
      {"9223372036854775807ns", Duration(std::numeric_limits<int64_t>::max())},
      {"-9223372036854775808ns", Duration(std::numeric_limits<int64_t>::min())},
      {"0.100000000000000000000h", 6 * Minute},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Duration> got = Duration::parse(c.in);
    ASSERT_TRUE(got.ok()) << c.in << ": " << got.status();
    EXPECT_EQ(*got, c.want) << c.in;
  }
}

TEST(Duration, RejectsBadInput) {
  for (const char* bad :
       {"", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "\x85\x85", "\xff" "ff",
        "9223372036854775808ns", "9223372036854775810ns",
        "-9223372036854775809ns", "3000000h", "1.5", "5s3", "--5s"}) {
    absl::StatusOr<Duration> got = Duration::parse(bad);
    EXPECT_FALSE(got.ok()) << '"' << bad << "\" parsed as " << *got;
    if (!got.ok()) {
      EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_NE(got.status().message().find("time:"), std::string::npos);
    }
  }
}

// Two terms of 2^63 ns each wrapped the unsigned total to 0, so the sum
// parsed as whatever followed; seen in review and confirmed by
// tools/fuzz/duration_fuzzer.cc's invariant (a value is the sum of its terms).
TEST(Duration, RejectsTermsThatAddUpBeyondTheRange) {
  for (const char* bad : {
           "9223372036854775808ns9223372036854775808ns",
           "9223372036854775808ns9223372036854775808ns5s",
           "-9223372036854775808ns9223372036854775808ns",
           "2562047h47m16.854775808s2562047h47m16.854775808s",
           "9223372036854775807ns1ns",
       }) {
    absl::StatusOr<Duration> got = Duration::parse(bad);
    EXPECT_FALSE(got.ok()) << '"' << bad << "\" parsed as " << *got;
  }
  EXPECT_EQ(Duration::parse("-9223372036854775807ns1ns").value(),
            Duration(std::numeric_limits<int64_t>::min()));
}

TEST(Duration, RoundTripsThroughText) {
  for (int64_t ns :
       {int64_t{1}, int64_t{999}, int64_t{1001}, int64_t{123456789},
        int64_t{3600000000001}, int64_t{-42000}}) {
    Duration d(ns);
    EXPECT_EQ(Duration::parse(d.string()).value(), d) << d.string();
  }
}

TEST(Duration, ConvertsToAndFromChrono) {
  Duration d = std::chrono::milliseconds(1500);
  EXPECT_EQ(d, 1500 * Millisecond);
  std::chrono::nanoseconds c = d;
  EXPECT_EQ(c.count(), 1500000000);
  EXPECT_DOUBLE_EQ(d.seconds(), 1.5);
  EXPECT_EQ(d.milliseconds(), 1500);
  EXPECT_DOUBLE_EQ((90 * Minute).hours(), 1.5);
}

TEST(Duration, TruncateAndRound) {
  Duration d = Hour + 15 * Minute + 30 * Second + 918273645 * Nanosecond;
  EXPECT_EQ(d.truncate(Second).string(), "1h15m30s");
  EXPECT_EQ(d.round(Second).string(), "1h15m31s");
  EXPECT_EQ(d.round(Hour).string(), "1h0m0s");
  EXPECT_EQ(d.truncate(Duration()), d);
  EXPECT_EQ((-1500 * Millisecond).round(Second), -2 * Second);
  EXPECT_EQ((-1400 * Millisecond).round(Second), -Second);
}

}  // namespace
