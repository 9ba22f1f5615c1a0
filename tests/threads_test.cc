// Copyright 2026 The mco Authors.
//
// Tests of runtime/threads.h: which threads count as the program's own.

#include "runtime/threads.h"

#include <dirent.h>
#include <uv.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace mco::rt {
namespace {

// The names of the process's threads.
std::vector<std::string> thread_names() {
  std::vector<std::string> names;
  DIR* d = opendir("/proc/self/task");
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream f(std::string("/proc/self/task/") + e->d_name + "/comm");
    std::string name;
    std::getline(f, name);
    names.push_back(name);
  }
  closedir(d);
  return names;
}

TEST(RuntimeThreads, ForeignThreadIsSeenWhileAliveOnly) {
  RuntimeThread main_thread;  // the test's own thread plays the runtime's
  prepare_uv_pool();
  EXPECT_FALSE(foreign_threads_alive());

  std::atomic<bool> release{false};
  std::atomic<bool> started{false};
  std::thread plain([&] {
    started = true;
    while (!release) std::this_thread::yield();
  });
  while (!started) std::this_thread::yield();
  EXPECT_TRUE(foreign_threads_alive());
  release = true;
  plain.join();
  EXPECT_FALSE(foreign_threads_alive());

  // A registered thread is the runtime's, and only while registered.
  std::atomic<int> phase{0};
  std::thread runtime_thread([&] {
    {
      RuntimeThread registered;
      phase = 1;
      while (phase == 1) std::this_thread::yield();
    }
    phase = 3;
    while (phase == 3) std::this_thread::yield();
  });
  while (phase != 1) std::this_thread::yield();
  EXPECT_FALSE(foreign_threads_alive());
  phase = 2;
  while (phase != 3) std::this_thread::yield();
  EXPECT_TRUE(foreign_threads_alive());
  phase = 4;
  runtime_thread.join();
}

TEST(RuntimeThreads, LibuvPoolThreadsAreNamedAndNotForeign) {
  RuntimeThread main_thread;
  prepare_uv_pool();
  prepare_uv_pool();  // once per process
  int pool = 0;
  for (const std::string& name : thread_names()) pool += name == "mco-uvpool";
  EXPECT_GE(pool, 1);
  // Work on the pool from another loop does not make its threads foreign.
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  uv_work_t req;
  ASSERT_EQ(uv_queue_work(
                &loop, &req, [](uv_work_t*) {}, [](uv_work_t*, int) {}),
            0);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  EXPECT_FALSE(foreign_threads_alive());
}

TEST(RuntimeThreads, NameThisThread) {
  std::thread t([] {
    name_this_thread("mco-test-name");
    std::ifstream f("/proc/thread-self/comm");
    std::string name;
    std::getline(f, name);
    EXPECT_EQ(name, "mco-test-name");
  });
  t.join();
}

}  // namespace
}  // namespace mco::rt
