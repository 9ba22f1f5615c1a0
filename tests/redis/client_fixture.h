// Copyright 2026 The mco Authors.
//
// ClientFixture: the fixture of the tests that talk to a real redis-server
// through mco/redis, parameterised by (workers, protocol). Each test gets a
// server of its own (tests/redis/redis_server.h), `options()` pointing at it
// with the protocol of the parameter, and `on_scheduler(body)`, which runs
// `body` as the main coroutine of `mco::run` with that many workers.
//
//   class ClientTest : public mco_test::RedisClientFixture {};
//   TEST_P(ClientTest, Ping) {
//     ASSERT_TRUE(server_.ready());
//     on_scheduler([&] { EXPECT_TRUE(Client(options()).ping().ok()); });
//   }
//   MCO_INSTANTIATE_REDIS_CLIENT_TESTS(ClientTest);   // 1, 2 workers x RESP3,
//   2

#ifndef MCO_TESTS_REDIS_CLIENT_FIXTURE_H_
#define MCO_TESTS_REDIS_CLIENT_FIXTURE_H_

#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "mco/redis/connection.h"
#include "tests/redis/redis_server.h"
#include "tests/test_util.h"

namespace mco_test {

class RedisClientFixture
    : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  int workers() const { return std::get<0>(GetParam()); }
  int protocol() const { return std::get<1>(GetParam()); }

  template <typename F>
  void on_scheduler(F body) {
    run_on_scheduler(workers(), std::move(body));
  }

  mco::redis::Options options() const {
    mco::redis::Options o;
    o.address = server_.address();
    o.protocol = protocol();
    return o;
  }

  RedisServer server_;
};

// "1workers_resp3" and so on.
inline std::string RedisClientTestName(
    const ::testing::TestParamInfo<std::tuple<int, int>>& info) {
  return absl::StrCat(std::get<0>(info.param), "workers_resp",
                      std::get<1>(info.param));
}

}  // namespace mco_test

// Runs every TEST_P of `suite` with 1 and 2 workers, over RESP3 and RESP2.
#define MCO_INSTANTIATE_REDIS_CLIENT_TESTS(suite)                           \
  INSTANTIATE_TEST_SUITE_P(                                                 \
      WorkersAndProtocol, suite,                                            \
      ::testing::Combine(::testing::Values(1, 2), ::testing::Values(3, 2)), \
      ::mco_test::RedisClientTestName)

#endif  // MCO_TESTS_REDIS_CLIENT_FIXTURE_H_
