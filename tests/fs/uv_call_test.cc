// Copyright 2026 The mco Authors.
//
// Tests of runtime/uv_call.h, the primitive under mco/fs: completion,
// errors, requests that cannot be issued, synchronous mode, plain threads,
// and abandoning (by cancellation and by deadline) with the abandoned
// request's clean-up running when it completes. A FIFO makes a read that
// blocks until the test writes a byte, so every step is deterministic.
// With 1, 2 and 4 workers.

#include "runtime/uv_call.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "mco/cancel.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/waker.h"
#include "runtime/clock.h"
#include "tests/test_util.h"

namespace {

using mco::rt::UvIssue;
using mco::rt::UvReq;
using mco::rt::UvResult;
using mco::rt::WakeReason;

UvResult stat_call(const std::string& path) {
  return mco::rt::uv_call(
      [path](const UvIssue& is) {
        return uv_fs_stat(is.loop, &is.req->fs, path.c_str(), is.fs_cb);
      },
      nullptr);
}

// A FIFO, open read-write twice: `rfd` to read from (reads block until a
// byte is there), `wfd` to write that byte.
class Fifo {
 public:
  Fifo() {
    const char* base = std::getenv("TEST_TMPDIR");
    path_ = std::string(base != nullptr ? base : "/tmp") + "/uv_call_fifo";
    ::unlink(path_.c_str());
    EXPECT_EQ(::mkfifo(path_.c_str(), 0600), 0);
    rfd_ = ::open(path_.c_str(), O_RDWR);
    wfd_ = ::open(path_.c_str(), O_RDWR | O_NONBLOCK);
    EXPECT_GE(rfd_, 0);
    EXPECT_GE(wfd_, 0);
  }
  ~Fifo() {
    ::close(rfd_);
    ::close(wfd_);
    ::unlink(path_.c_str());
  }
  int rfd() const { return rfd_; }
  void write_byte() { EXPECT_EQ(::write(wfd_, "x", 1), 1); }

 private:
  std::string path_;
  int rfd_ = -1;
  int wfd_ = -1;
};

// Starts a 1-byte read of `fd` into a buffer the request owns; sets
// `issued` once it was issued.
mco::rt::UvStartFn read_byte(int fd, mco_test::Event* issued) {
  auto buf = std::make_shared<char>(0);
  return [fd, buf, issued](const UvIssue& is) {
    uv_buf_t b = uv_buf_init(buf.get(), 1);
    int rc = uv_fs_read(is.loop, &is.req->fs, fd, &b, 1, -1, is.fs_cb);
    if (issued != nullptr) issued->set();
    return rc;
  };
}

class UvCallTest : public mco_test::WorkersTest {};

TEST_P(UvCallTest, CompletesWithTheRequestsResult) {
  on_scheduler([] {
    UvResult r = stat_call("/");
    ASSERT_TRUE(r.done());
    EXPECT_EQ(r.reason(), WakeReason::kNotified);
    EXPECT_EQ(r.result(), 0);
    EXPECT_TRUE(S_ISDIR(r.req().fs.statbuf.st_mode));

    UvResult missing = stat_call("/nope");
    ASSERT_TRUE(missing.done());
    EXPECT_EQ(missing.result(), UV_ENOENT);

    UvResult moved = std::move(r);
    EXPECT_TRUE(moved.done());
  });
}

TEST_P(UvCallTest, RequestThatCannotBeIssuedCompletesWithItsError) {
  on_scheduler([] {
    UvResult r = mco::rt::uv_call(
        [](const UvIssue& is) {
          // No buffers: libuv refuses before issuing anything.
          return uv_fs_read(is.loop, &is.req->fs, 0, nullptr, 0, -1, is.fs_cb);
        },
        nullptr);
    ASSERT_TRUE(r.done());
    EXPECT_EQ(r.result(), UV_EINVAL);
  });
}

TEST_P(UvCallTest, PlainThreadWhileSchedulerRuns) {
  on_scheduler([] {
    mco_test::Event done;
    int64_t result = -1;
    std::thread t([&] {
      result = stat_call("/").result();
      done.set();
    });
    done.wait();
    t.join();
    EXPECT_EQ(result, 0);
  });
}

TEST_P(UvCallTest, CancelledCallerAbandonsAndTheCallbackCleansUp) {
  on_scheduler([] {
    Fifo fifo;
    mco_test::Event issued;
    mco_test::Event cleaned;
    std::atomic<int64_t> abandoned_result{0};
    auto h = mco::go([&] {
      UvResult r = mco::rt::uv_call(read_byte(fifo.rfd(), &issued),
                                    [&](UvReq& req, int64_t result) {
                                      EXPECT_EQ(req.req.type, UV_FS);
                                      abandoned_result = result;
                                      cleaned.set();
                                    });
      return r.reason();
    });
    issued.wait();  // the read is on libuv's thread pool, blocked
    h.cancel();
    EXPECT_EQ(h.join(), WakeReason::kCancelled);
    fifo.write_byte();  // the abandoned read completes...
    cleaned.wait();     // ...and its clean-up runs
    EXPECT_EQ(abandoned_result.load(), 1);
  });
}

TEST_P(UvCallTest, DeadlineAbandonsAndTheCallbackCleansUp) {
  on_scheduler([] {
    Fifo fifo;
    mco_test::Event cleaned;
    const mco::rt::Nanos start = mco::rt::now_nanos();
    UvResult r = mco::rt::uv_call(
        read_byte(fifo.rfd(), nullptr),
        [&](UvReq&, int64_t result) {
          EXPECT_EQ(result, 1);
          cleaned.set();
        },
        mco::rt::deadline_after(20'000'000));
    EXPECT_FALSE(r.done());
    EXPECT_EQ(r.reason(), WakeReason::kTimedOut);
    EXPECT_GE(mco::rt::now_nanos() - start, 20'000'000);
    fifo.write_byte();
    cleaned.wait();
  });
}

TEST_P(UvCallTest, CompletedRequestIsNotAbandoned) {
  on_scheduler([] {
    Fifo fifo;
    fifo.write_byte();  // the read completes at once
    bool abandoned = false;
    UvResult r = mco::rt::uv_call(
        read_byte(fifo.rfd(), nullptr),
        [&](UvReq&, int64_t) { abandoned = true; },
        mco::rt::deadline_after(10'000'000'000));
    ASSERT_TRUE(r.done());
    EXPECT_EQ(r.result(), 1);
    EXPECT_FALSE(abandoned);
  });
}

TEST_P(UvCallTest, ExpiredDeadlineOrPendingCancelIssuesNothing) {
  on_scheduler([] {
    bool started = false;
    auto start = [&](const UvIssue&) {
      started = true;
      return 0;
    };
    UvResult late = mco::rt::uv_call(start, nullptr, mco::rt::now_nanos() - 1);
    EXPECT_EQ(late.reason(), WakeReason::kTimedOut);
    EXPECT_FALSE(started);

    mco_test::Event parked;
    mco::Waker waker;
    std::atomic<bool> cancelled{false};
    auto h = mco::go([&] {
      {
        mco::DeferCancel no_cancel;  // cancelled while it waits here
        waker = mco::current_waker();
        parked.set();
        while (!cancelled.load()) mco::park();
      }
      return mco::rt::uv_call(start, nullptr).reason();
    });
    parked.wait();
    h.cancel();
    cancelled = true;
    waker.unpark();
    EXPECT_EQ(h.join(), WakeReason::kCancelled);
    EXPECT_FALSE(started);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, UvCallTest, ::testing::Values(1, 2, 4));

TEST(UvCallNoScheduler, RunsSynchronously) {
  ASSERT_FALSE(mco::scheduler_running());
  UvResult r = stat_call("/");
  ASSERT_TRUE(r.done());
  EXPECT_EQ(r.result(), 0);
  EXPECT_TRUE(S_ISDIR(r.req().fs.statbuf.st_mode));
  EXPECT_EQ(stat_call("/nope").result(), UV_ENOENT);
  // Deadlines do not apply: nothing can be abandoned.
  EXPECT_TRUE(mco::rt::uv_call(
                  [](const UvIssue& is) {
                    return uv_fs_stat(is.loop, &is.req->fs, "/", is.fs_cb);
                  },
                  nullptr, mco::rt::now_nanos() - 1)
                  .done());
}

}  // namespace
