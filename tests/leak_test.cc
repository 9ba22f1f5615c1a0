// Copyright 2026 The mco Authors.
//
// Leak check at exit: a program that uses timers, channels with deadlines,
// TCP, files, the offload pool and signal subscriptions, and leaves
// coroutines behind for `mco::run` to cancel, is run several times. After
// the first run (which creates the process-wide poller), every further run
// must leave the same open descriptors, no live coroutine and no wake
// source behind: no coroutine, timer, handle or descriptor outlives a run.
// (LeakSanitizer checks heap memory in the ASan build.)

#include <dirent.h>
#include <signal.h>

#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/fs/file.h"
#include "mco/go.h"
#include "mco/net/tcp.h"
#include "mco/offload/offload.h"
#include "mco/runtime.h"
#include "mco/signal/signal.h"
#include "mco/this_coroutine.h"
#include "mco/time/timer.h"
#include "runtime/coroutine.h"
#include "runtime/monitor.h"

namespace {

using namespace std::chrono_literals;

int open_descriptors() {
  int n = 0;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - 1;  // the directory's own descriptor
}

std::string temp_path(const char* name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

int program() {
  return mco::run({.workers = 2}, [] {
    // Timers and deadlines, fired and cancelled.
    mco::sleep(1ms);
    mco::time::Timer t(mco::time::Hour);
    EXPECT_TRUE(t.stop());
    mco::Chan<int> ch(0);
    EXPECT_TRUE(ch.recv_for(1ms).timed_out());
    auto tick = mco::time::after(mco::time::Millisecond);
    (void)tick.recv();

    // TCP: an echo round trip.
    auto ln = mco::net::TcpListener::bind("127.0.0.1:0");
    EXPECT_TRUE(ln.ok()) << ln.status();
    if (!ln.ok()) return 1;
    auto server = mco::go([&] {
      auto c = ln->accept();
      ASSERT_TRUE(c.ok());
      char buf[8];
      auto n = c->read(buf, sizeof(buf));
      ASSERT_TRUE(n.ok());
      ASSERT_TRUE(c->write_all(buf, *n).ok());
    });
    auto c = mco::net::TcpStream::connect(*ln->local_address());
    EXPECT_TRUE(c.ok());
    if (c.ok()) {
      EXPECT_TRUE(c->write_all("ping", 4).ok());
      char buf[8];
      EXPECT_TRUE(c->read(buf, sizeof(buf)).ok());
    }
    server.join();

    // Files and the offload pool.
    const std::string path = temp_path("leak_test.txt");
    EXPECT_TRUE(mco::fs::write_file(path, "data").ok());
    EXPECT_EQ(mco::fs::read_file(path).value_or(""), "data");
    EXPECT_TRUE(mco::fs::remove(path).ok());
    EXPECT_EQ(mco::offload::block_on([] { return 7; }), 7);

    // A signal subscription, ended.
    mco::Chan<int> sigs(1);
    mco::signal::notify(sigs, {SIGUSR2});
    mco::signal::stop(sigs);

    // Left behind, parked: run() cancels them.
    for (int i = 0; i < 10; ++i) {
      mco::go([ch]() mutable { (void)ch.recv(); }).detach();
      mco::go([] { mco::sleep(1h); }).detach();
    }
    return 0;
  });
}

TEST(Leaks, RunsLeaveNoDescriptorCoroutineOrWakeSourceBehind) {
  ASSERT_EQ(program(), 0);
  const int fds = open_descriptors();
  ASSERT_GT(fds, 0);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(program(), 0);
    EXPECT_EQ(open_descriptors(), fds) << "after run " << i + 2;
    EXPECT_EQ(mco::rt::live_coroutines(), 0);
    EXPECT_EQ(mco::rt::wake_sources(), 0);
  }
}

}  // namespace
