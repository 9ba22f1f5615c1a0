// Copyright 2026 The mco Authors.
//
// End-to-end tests of mco/redis/subscription.h against a real
// redis-server, with 1 and 2 workers and RESP3 (push) and RESP2 (arrays):
// messages in order, subscribing and unsubscribing later, patterns, close,
// a server that goes away, a slow consumer.

#include "mco/redis/subscription.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "mco/go.h"
#include "mco/redis/client.h"
#include "mco/runtime.h"
#include "tests/redis/client_fixture.h"
#include "tests/test_util.h"

namespace mco::redis {
namespace {

using mco::time::Second;

class SubscriptionTest : public mco_test::RedisClientFixture {};

TEST_P(SubscriptionTest, MessagesArriveInOrder) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Client c(options());
    auto sub = c.subscribe({"news", "sport"});
    ASSERT_TRUE(sub.ok()) << sub.status();
    EXPECT_EQ((*sub)->count(), 2);
    Chan<Message> ch = (*sub)->messages();
    constexpr int kN = 500;
    // Published from another coroutine while this one receives.
    auto pub = mco::go([&] {
      for (int i = 0; i < kN; ++i) {
        auto n = c.publish(i % 2 ? "news" : "sport", absl::StrCat(i));
        if (!n.ok() || *n != 1) return false;
      }
      return true;
    });
    for (int i = 0; i < kN; ++i) {
      std::optional<Message> m = ch.recv();
      ASSERT_TRUE(m.has_value());
      EXPECT_EQ(m->payload, absl::StrCat(i));
      EXPECT_EQ(m->channel, i % 2 ? "news" : "sport");
      EXPECT_TRUE(m->pattern.empty());
    }
    EXPECT_TRUE(pub.join());
    (*sub)->close();
    EXPECT_FALSE(ch.recv().has_value());  // closed
    EXPECT_TRUE((*sub)->status().ok());
    // The server sees the subscriber go (once it has read the close).
    ASSERT_TRUE(mco_test::poll_until([&] {
      auto n = c.command({"PUBSUB", "NUMSUB", "news"});
      return n.ok() && n->elements().size() == 2 &&
             n->elements()[1].integer() == 0;
    }));
  });
}

TEST_P(SubscriptionTest, SubscribeUnsubscribeAndPatternsLater) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Client c(options());
    auto opened = c.subscribe({"a"});
    ASSERT_TRUE(opened.ok()) << opened.status();
    Subscription& sub = **opened;
    Chan<Message> ch = sub.messages();
    ASSERT_TRUE(sub.subscribe({"b", "c"}).ok());
    EXPECT_EQ(sub.count(), 3);
    ASSERT_TRUE(sub.psubscribe({"p.*"}).ok());
    EXPECT_EQ(sub.count(), 4);
    EXPECT_EQ(*c.publish("b", "to b"), 1);
    EXPECT_EQ(*c.publish("p.x", "to p.x"), 1);
    auto m1 = ch.recv();
    ASSERT_TRUE(m1.has_value());
    EXPECT_EQ(m1->channel, "b");
    EXPECT_EQ(m1->payload, "to b");
    auto m2 = ch.recv();
    ASSERT_TRUE(m2.has_value());
    EXPECT_EQ(m2->channel, "p.x");
    EXPECT_EQ(m2->pattern, "p.*");
    EXPECT_EQ(m2->payload, "to p.x");
    // Unsubscribed: the server counts no receiver any more.
    ASSERT_TRUE(sub.unsubscribe({"a", "b"}).ok());
    EXPECT_EQ(sub.count(), 2);
    EXPECT_EQ(*c.publish("a", "x"), 0);
    EXPECT_EQ(*c.publish("b", "x"), 0);
    EXPECT_EQ(*c.publish("c", "to c"), 1);
    auto m3 = ch.recv();
    ASSERT_TRUE(m3.has_value());
    EXPECT_EQ(m3->payload, "to c");
    ASSERT_TRUE(sub.punsubscribe({}).ok());  // every pattern
    EXPECT_EQ(*c.publish("p.y", "x"), 0);
    ASSERT_TRUE(sub.unsubscribe({}).ok());  // every channel
    EXPECT_EQ(sub.count(), 0);
    EXPECT_EQ(*c.publish("c", "x"), 0);
    ASSERT_TRUE(sub.unsubscribe({}).ok());  // none left: still confirmed
    ASSERT_TRUE(sub.subscribe({"again"}).ok());
    EXPECT_EQ(*c.publish("again", "yes"), 1);
    EXPECT_EQ(ch.recv()->payload, "yes");
    sub.close();
    EXPECT_FALSE(ch.recv().has_value());
    EXPECT_EQ(sub.subscribe({"x"}).code(),
              absl::StatusCode::kFailedPrecondition);
  });
}

TEST_P(SubscriptionTest, ServerGoingAwayEndsTheSubscription) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Client c(options());
    auto sub = c.subscribe({"x"});
    ASSERT_TRUE(sub.ok());
    Chan<Message> ch = (*sub)->messages();
    server_.kill();
    EXPECT_FALSE(ch.recv().has_value());  // closed by the reader
    absl::Status st = (*sub)->status();
    EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
    EXPECT_FALSE((*sub)->subscribe({"y"}).ok());
  });
}

// A consumer that does not read: the reader waits on the full channel;
// close() still ends it at once, from a plain thread too.
TEST_P(SubscriptionTest, CloseWithAFullChannelFromAThread) {
  ASSERT_TRUE(server_.ready());
  on_scheduler([&] {
    Options o = options();
    o.subscription_buffer = 4;
    Client c(o);
    auto sub = c.subscribe({"flood"});
    ASSERT_TRUE(sub.ok());
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(c.publish("flood", "m").ok());
    // The reader has filled the channel once the 4th message is in.
    Chan<Message> ch = (*sub)->messages();
    auto first = ch.recv();  // makes room for one; the rest keep coming
    ASSERT_TRUE(first.has_value());
    mco_test::Event closed;  // parks, not blocking the worker in join()
    std::thread closer([&] {
      (*sub)->close();
      closed.set();
    });
    closed.wait();
    closer.join();
    size_t left = 0;
    while (ch.recv().has_value()) ++left;
    EXPECT_LE(left, 4u);
    EXPECT_TRUE((*sub)->status().ok());
  });
}

MCO_INSTANTIATE_REDIS_CLIENT_TESTS(SubscriptionTest);

}  // namespace
}  // namespace mco::redis
