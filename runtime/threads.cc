// Copyright 2026 The mco Authors.

#include "runtime/threads.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <uv.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_set.h"

namespace mco::rt {
namespace {

constexpr char kUvPoolName[] = "mco-uvpool";

std::mutex mu;
absl::flat_hash_set<int>& registered() {
  static auto* set = new absl::flat_hash_set<int>();
  return *set;
}
// Threads not counted as the program's (TSan's own; see the header).
absl::flat_hash_set<int>& ignored() {
  static auto* set = new absl::flat_hash_set<int>();
  return *set;
}

int this_tid() { return static_cast<int>(syscall(SYS_gettid)); }

// Reads /proc/self/task/<tid>/comm into `name` (without the newline).
bool thread_name(const char* tid, char* name, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%s/comm", tid);
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const ssize_t n = read(fd, name, size - 1);
  close(fd);
  if (n <= 0) return false;
  name[n] = '\0';
  if (char* nl = strchr(name, '\n')) *nl = '\0';
  return true;
}

template <typename F>
void for_each_thread(F f) {
  DIR* d = opendir("/proc/self/task");
  if (d == nullptr) return;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    if (!f(e->d_name)) break;
  }
  closedir(d);
}

}  // namespace

RuntimeThread::RuntimeThread() : tid_(this_tid()) {
  std::lock_guard<std::mutex> lock(mu);
  registered().insert(tid_);
}

RuntimeThread::~RuntimeThread() {
  std::lock_guard<std::mutex> lock(mu);
  registered().erase(tid_);
}

void name_this_thread(const char* name) {
  pthread_setname_np(pthread_self(), name);
}

void prepare_uv_pool() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::thread([] {
      name_this_thread(kUvPoolName);
      uv_loop_t loop;
      if (uv_loop_init(&loop) != 0) return;
      uv_work_t req;
      if (uv_queue_work(
              &loop, &req, [](uv_work_t*) {}, [](uv_work_t*, int) {}) == 0) {
        uv_run(&loop, UV_RUN_DEFAULT);
      }
      uv_loop_close(&loop);
    }).join();
#if defined(__SANITIZE_THREAD__)
    // TSan's background thread exists by now (it starts with the first
    // thread); it and whatever else is alive now are not counted.
    const int self = this_tid();
    std::lock_guard<std::mutex> lock(mu);
    for_each_thread([&](const char* tid) {
      const int t = atoi(tid);
      char name[32];
      if (t != self && !(thread_name(tid, name, sizeof name) &&
                         strcmp(name, kUvPoolName) == 0)) {
        ignored().insert(t);
      }
      return true;
    });
#endif
  });
}

bool foreign_threads_alive() {
  bool foreign = false;
  std::lock_guard<std::mutex> lock(mu);
  for_each_thread([&](const char* tid) {
    const int t = atoi(tid);
    if (registered().contains(t) || ignored().contains(t)) return true;
    char name[32];
    if (thread_name(tid, name, sizeof name) && strcmp(name, kUvPoolName) == 0) {
      return true;
    }
    foreign = true;
    return false;
  });
  return foreign;
}

}  // namespace mco::rt
