// Copyright 2026 The mco Authors.
//
// Tests of mco/context/context.h: cancellation down the tree, deadlines,
// values, and done() in select.

#include "mco/context/context.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mco/chan/select.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "tests/test_util.h"

namespace {

using mco::Context;
using namespace mco::time;

class ContextTest : public mco_test::WorkersTest {};

bool is_closed(mco::Chan<std::monostate> c) { return c.try_recv().closed(); }

TEST(ContextBackground, NeverDone) {
  Context bg = Context::background();
  EXPECT_TRUE(bg.err().ok());
  EXPECT_FALSE(static_cast<bool>(bg.done()));  // nil channel
  EXPECT_FALSE(bg.deadline().has_value());
}

TEST_P(ContextTest, CancelClosesDoneAndSetsErr) {
  on_scheduler([] {
    auto [ctx, cancel] = mco::with_cancel(Context::background());
    EXPECT_TRUE(ctx.err().ok());
    EXPECT_FALSE(is_closed(ctx.done()));
    std::atomic<bool> saw{false};
    auto waiter = mco::go([&, ctx = ctx] {
      EXPECT_FALSE(ctx.done().recv().has_value());  // closed
      saw = true;
    });
    cancel();
    cancel();  // idempotent
    waiter.join();
    EXPECT_TRUE(saw.load());
    EXPECT_TRUE(absl::IsCancelled(ctx.err()));
    EXPECT_EQ(ctx.err().message(), "context canceled");
  });
}

TEST_P(ContextTest, CancelPropagatesDownNotUp) {
  on_scheduler([] {
    auto [parent, cancel_parent] = mco::with_cancel(Context::background());
    auto [child, cancel_child] = mco::with_cancel(parent);
    auto [grandchild, cancel_gc] = mco::with_cancel(child);
    auto [sibling, cancel_sibling] = mco::with_cancel(parent);
    cancel_child();
    EXPECT_TRUE(absl::IsCancelled(child.err()));
    EXPECT_TRUE(absl::IsCancelled(grandchild.err()));
    EXPECT_TRUE(parent.err().ok());
    EXPECT_TRUE(sibling.err().ok());
    cancel_parent();
    EXPECT_TRUE(absl::IsCancelled(sibling.err()));
    EXPECT_TRUE(is_closed(sibling.done()));
    // A child of a cancelled context is born cancelled.
    auto [late, cancel_late] = mco::with_cancel(parent);
    EXPECT_TRUE(absl::IsCancelled(late.err()));
  });
}

TEST_P(ContextTest, TimeoutCancelsWithDeadlineExceeded) {
  on_scheduler([] {
    Instant start = Instant::now();
    auto [ctx, cancel] =
        mco::with_timeout(Context::background(), 10 * Millisecond);
    ASSERT_TRUE(ctx.deadline().has_value());
    EXPECT_FALSE(ctx.done().recv().has_value());  // parks until the deadline
    EXPECT_GE(start.elapsed(), 10 * Millisecond);
    EXPECT_TRUE(absl::IsDeadlineExceeded(ctx.err()));
    cancel();  // after the fact: err stays DeadlineExceeded
    EXPECT_TRUE(absl::IsDeadlineExceeded(ctx.err()));
  });
}

TEST_P(ContextTest, ParentDeadlineWinsAndPastDeadlineIsDoneAtOnce) {
  on_scheduler([] {
    auto [parent, cp] = mco::with_timeout(Context::background(), Hour);
    auto [child, cc] = mco::with_timeout(parent, 2 * Hour);
    EXPECT_EQ(child.deadline(), parent.deadline());
    auto [past, cpast] =
        mco::with_deadline(Context::background(), Instant::now() - Second);
    EXPECT_TRUE(absl::IsDeadlineExceeded(past.err()));
    EXPECT_TRUE(is_closed(past.done()));
    cc();
    EXPECT_TRUE(absl::IsCancelled(child.err()));
    EXPECT_TRUE(parent.err().ok());
  });
}

TEST_P(ContextTest, ValuesFoundUpTheChain) {
  static const mco::ContextKey<std::string> kUser;
  static const mco::ContextKey<int> kAttempt;
  on_scheduler([] {
    Context a =
        mco::with_value(Context::background(), kUser, std::string("ada"));
    auto [b, cancel] = mco::with_cancel(a);
    Context c = mco::with_value(b, kAttempt, 3);
    ASSERT_NE(c.value(kUser), nullptr);
    EXPECT_EQ(*c.value(kUser), "ada");
    EXPECT_EQ(*c.value(kAttempt), 3);
    EXPECT_EQ(a.value(kAttempt), nullptr);
    cancel();
    EXPECT_TRUE(absl::IsCancelled(c.err()));  // value nodes follow their owner
    EXPECT_TRUE(is_closed(c.done()));
  });
}

TEST_P(ContextTest, DoneStopsAWorkerInSelect) {
  on_scheduler([] {
    auto [ctx, cancel] = mco::with_cancel(Context::background());
    mco::Chan<int> jobs(0);
    std::atomic<int> handled{0};
    auto worker = mco::go([&, ctx = ctx]() mutable {
      bool stop = false;
      while (!stop) {
        mco::select(mco::recv(ctx.done(), [&](auto) { stop = true; }),
                    mco::recv(jobs, [&](std::optional<int> j) {
                      if (j) handled += *j;
                    }));
      }
      return ctx.err();
    });
    for (int i = 1; i <= 10; ++i) jobs.send(i);
    cancel();
    absl::Status why = worker.join();
    EXPECT_TRUE(absl::IsCancelled(why));
    EXPECT_EQ(handled.load(), 55);
  });
}

TEST_P(ContextTest, ManyChildrenCancelledTogether) {
  on_scheduler([] {
    auto [root, cancel] = mco::with_cancel(Context::background());
    std::vector<mco::JoinHandle<void>> hs;
    std::atomic<int> stopped{0};
    for (int i = 0; i < 200; ++i) {
      auto [child, cc] = mco::with_cancel(root);
      hs.push_back(mco::go([&, child = child] {
        child.done().recv();
        stopped++;
      }));
    }
    cancel();
    for (auto& h : hs) h.join();
    EXPECT_EQ(stopped.load(), 200);
  });
}

TEST(ContextNoScheduler, DeadlineNeedsScheduler) {
  EXPECT_THROW(mco::with_timeout(Context::background(), Second),
               std::logic_error);
  auto [ctx, cancel] = mco::with_cancel(Context::background());
  cancel();  // cancellation itself needs no scheduler
  EXPECT_TRUE(absl::IsCancelled(ctx.err()));
}

INSTANTIATE_TEST_SUITE_P(Workers, ContextTest, ::testing::Values(1, 2, 4));

}  // namespace
