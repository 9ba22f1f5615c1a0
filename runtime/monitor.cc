// Copyright 2026 The mco Authors.

#include "runtime/monitor.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "runtime/check.h"
#include "runtime/coroutine.h"
#include "runtime/dump.h"
#include "runtime/scheduler.h"
#include "runtime/threads.h"

namespace mco::rt {
namespace {

struct Monitor {
  std::thread thread;
  int efd = -1;
  std::atomic<bool> stop{false};
  std::atomic<bool> dump_requested{false};
  // The last worker went idle and nothing outside can wake a coroutine: the
  // monitor is asked for a check (set by the hook, cleared by the monitor).
  std::atomic<bool> check_pending{false};
  bool sigquit_installed = false;
  struct sigaction previous_quit = {};
};

std::atomic<Monitor*> monitor{nullptr};
std::atomic<bool> detection{false};
std::atomic<int64_t> sources{0};
std::atomic<uint64_t> checks{0};
std::atomic<uint64_t> dumps{0};

void wake_monitor(Monitor* m) {
  const uint64_t one = 1;
  ssize_t r = write(m->efd, &one, sizeof(one));
  (void)r;  // a full counter already wakes it
}

void on_sigquit(int) {
  const int saved = errno;
  if (Monitor* m = monitor.load(std::memory_order_acquire)) {
    m->dump_requested.store(true, std::memory_order_relaxed);
    wake_monitor(m);
  }
  errno = saved;
}

// Whether, right now, something outside the coroutines could still wake
// one, or there is nothing to wake.
bool could_progress(const Quiescence& q) {
  return !q.all_idle || q.external_waits != 0 ||
         sources.load(std::memory_order_seq_cst) != 0 || live_coroutines() == 0;
}

// On the worker that went idle last.
void on_all_idle() {
  Monitor* m = monitor.load(std::memory_order_acquire);
  if (m == nullptr || !detection.load(std::memory_order_relaxed)) return;
  if (could_progress(quiescence())) {
    checks.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (!m->check_pending.exchange(true, std::memory_order_acq_rel)) {
    wake_monitor(m);
  }
}

// True if, in the stopped world, every live coroutine is parked on
// something only another coroutine could end.
bool everyone_stuck(const StoppedWorld& world) {
  for (Coroutine* co : world.running) {
    if (co != nullptr) return false;
  }
  // The workers are paused now, not idle: what matters is that nothing is
  // queued.
  const Quiescence q = quiescence();
  if (q.work_queued || q.external_waits != 0 ||
      sources.load(std::memory_order_seq_cst) != 0 || live_coroutines() == 0) {
    return false;
  }
  // A plain thread of the program might still wake one (threads.h).
  if (foreign_threads_alive()) return false;
  bool stuck = true;
  for (Coroutine* co : registry_snapshot()) {
    if (!co->parker.parked() || woken_from_outside(co->wait_reason)) {
      stuck = false;
    }
    unref(co);
  }
  return stuck;
}

[[noreturn]] void report_deadlock(const StoppedWorld& world) {
  std::string text = "mco: fatal: all coroutines are asleep - deadlock!\n\n";
  text += format_dump(world);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  _exit(2);
}

void run(Monitor* m) {
  RuntimeThread registered;
  name_this_thread("mco-monitor");
  Nanos check_at = kNoDeadline;
  uint64_t picks_before = 0;
  for (;;) {
    int timeout_ms = -1;
    if (check_at != kNoDeadline) {
      timeout_ms = static_cast<int>(
          std::max<Nanos>(0, check_at - now_nanos()) / 1000000 + 1);
    }
    pollfd pfd = {m->efd, POLLIN, 0};
    if (poll(&pfd, 1, timeout_ms) > 0) {
      uint64_t count;
      ssize_t r = read(m->efd, &count, sizeof(count));
      (void)r;
    }
    if (m->stop.load(std::memory_order_acquire)) return;
    if (m->dump_requested.exchange(false, std::memory_order_relaxed)) {
      const std::string text = coroutine_dump();
      std::fwrite(text.data(), 1, text.size(), stderr);
      std::fflush(stderr);
      dumps.fetch_add(1, std::memory_order_relaxed);
    }
    if (check_at == kNoDeadline &&
        m->check_pending.load(std::memory_order_acquire)) {
      check_at = deadline_after(kGracePeriod);
      picks_before = quiescence().picks;
      continue;
    }
    if (check_at == kNoDeadline || now_nanos() < check_at) continue;
    check_at = kNoDeadline;
    // Cleared before looking, so a worker going idle after the look asks
    // again.
    m->check_pending.store(false, std::memory_order_seq_cst);
    if (!detection.load(std::memory_order_relaxed)) continue;
    const Quiescence q = quiescence();
    if (could_progress(q)) {
      checks.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (q.picks != picks_before) {  // something ran: look again later
      m->check_pending.store(true, std::memory_order_seq_cst);
      check_at = deadline_after(kGracePeriod);
      picks_before = q.picks;
      continue;
    }
    const StoppedWorld world = stop_the_world(kDumpPatience);
    if (detection.load(std::memory_order_relaxed) && everyone_stuck(world)) {
      report_deadlock(world);
    }
    start_the_world();
    checks.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace

void start_monitor() {
  auto* m = new Monitor();
  m->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  MCO_CHECK(m->efd >= 0);
  detection.store(false, std::memory_order_relaxed);
  monitor.store(m, std::memory_order_release);
  struct sigaction current = {};
  if (sigaction(SIGQUIT, nullptr, &current) == 0 &&
      current.sa_handler == SIG_DFL && (current.sa_flags & SA_SIGINFO) == 0) {
    struct sigaction sa = {};
    sa.sa_handler = on_sigquit;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    m->sigquit_installed = sigaction(SIGQUIT, &sa, &m->previous_quit) == 0;
  }
  set_all_idle_hook(on_all_idle);
  m->thread = std::thread([m] { run(m); });
}

void stop_monitor() {
  Monitor* m = monitor.load(std::memory_order_acquire);
  if (m == nullptr) return;
  detection.store(false, std::memory_order_relaxed);
  set_all_idle_hook(nullptr);
  if (m->sigquit_installed) {
    // Only if it is still ours (the program may have installed another).
    struct sigaction current = {};
    if (sigaction(SIGQUIT, nullptr, &current) == 0 &&
        current.sa_handler == on_sigquit) {
      sigaction(SIGQUIT, &m->previous_quit, nullptr);
    }
  }
  m->stop.store(true, std::memory_order_release);
  wake_monitor(m);
  m->thread.join();
}

void free_monitor() {
  Monitor* m = monitor.exchange(nullptr, std::memory_order_acq_rel);
  if (m == nullptr) return;
  close(m->efd);
  delete m;
}

void set_deadlock_detection(bool on) {
  detection.store(on, std::memory_order_relaxed);
}

void add_wake_sources(int64_t delta) {
  sources.fetch_add(delta, std::memory_order_seq_cst);
}

int64_t wake_sources() { return sources.load(std::memory_order_seq_cst); }

void request_dump() {
  if (Monitor* m = monitor.load(std::memory_order_acquire)) {
    m->dump_requested.store(true, std::memory_order_relaxed);
    wake_monitor(m);
  }
}

MonitorStats monitor_stats() {
  MonitorStats s;
  s.deadlock_checks = checks.load(std::memory_order_relaxed);
  s.dumps = dumps.load(std::memory_order_relaxed);
  return s;
}

}  // namespace mco::rt
