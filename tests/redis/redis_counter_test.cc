// Copyright 2026 The mco Authors.
//
// End-to-end test of samples/redis_counter under mco-run, against a
// redis-server started here, over TCP and a Unix socket, with 1 and 2
// workers; and its errors (no server, bad arguments).

#include <string>

#include "gtest/gtest.h"
#include "tests/process_util.h"
#include "tests/redis/redis_server.h"

namespace {

constexpr char kMcoRun[] = "launcher/mco-run";
constexpr char kSample[] = "samples/redis_counter/redis_counter.so";

TEST(RedisCounterSample, CountsEveryIncrAndEveryDoneMessage) {
  mco_test::RedisServer server;
  ASSERT_TRUE(server.ready());
  for (const char* workers : {"1", "2"}) {
    for (const std::string& address :
         {server.address(), server.unix_address()}) {
      mco_test::ProcessResult r = mco_test::run_process(
          kMcoRun, {"--workers", workers, kSample, "--", address, "50", "40"});
      ASSERT_EQ(r.exit_code, 0) << r;
      EXPECT_NE(r.out.find("50 coroutines x 40 INCRs: counter 2000, 50 done "
                           "messages"),
                std::string::npos)
          << r;
    }
  }
}

TEST(RedisCounterSample, Errors) {
  mco_test::ProcessResult none =
      mco_test::run_process(kMcoRun, {kSample, "--", "127.0.0.1:1"});
  EXPECT_EQ(none.exit_code, 1) << none;
  EXPECT_NE(none.err.find("redis_counter: "), std::string::npos) << none;
  EXPECT_NE(none.err.find("127.0.0.1:1"), std::string::npos) << none;
  mco_test::ProcessResult bad =
      mco_test::run_process(kMcoRun, {kSample, "--", "127.0.0.1:1", "zero"});
  EXPECT_EQ(bad.exit_code, 2) << bad;
}

}  // namespace
