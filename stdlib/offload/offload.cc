// Copyright 2026 The mco Authors.
//
// The offload pool. Model: a LIFO stack of idle threads, each waiting on its
// own condition variable for a job handed to it directly, and a FIFO queue
// for jobs that find no idle thread once `max_threads` run. Handing a job
// to a named idle thread (rather than signalling a shared condition
// variable) makes the count exact: a job never waits in the queue while a
// thread could be created for it, which `block_on` promises (N callers that
// block on each other all get a thread). LIFO keeps the warm threads busy
// and lets the cold ones reach their idle timeout.
//
// A job is shared by the waiting coroutine and the pool thread (two
// references). PENDING -> DONE (the thread ran it) or PENDING -> ABANDONED
// (the waiter was cancelled or timed out), decided under the job's lock;
// the thread unparks the waiter under that lock and the waiter takes it
// once after waking, so the parker is alive whenever it is unparked.
//
// Lock order: the pool's mutex, then nothing (a job's lock is never taken
// under it). The pool is never destroyed: threads may outlive main().

#include "mco/offload/offload.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "runtime/clock.h"
#include "runtime/coroutine.h"
#include "runtime/park.h"
#include "runtime/scheduler.h"
#include "runtime/spinlock.h"
#include "runtime/threads.h"

namespace mco::offload {
namespace {

struct Job {
  absl::AnyInvocable<void()> task;
  std::atomic<int> refs{2};  // the waiter's and the pool's

  enum class State : uint8_t { kPending, kDone, kAbandoned };
  rt::SpinLock mu;
  State state = State::kPending;  // under mu
  rt::Parker* parker = nullptr;
  rt::Parker::Token token = 0;
};

void release(Job* job) {
  if (job->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete job;
}

// A thread waiting for work, on its own stack.
struct IdleThread {
  std::condition_variable cv;
  Job* job = nullptr;  // handed over under the pool's mutex
  bool exit = false;   // the pool shrank: leave
};

struct Pool {
  std::mutex mu;
  std::vector<IdleThread*> idle;  // LIFO
  std::deque<Job*> queue;
  int threads = 0;
  int max_threads = 256;
  std::chrono::nanoseconds idle_timeout = std::chrono::seconds(10);
};

Pool& pool() {
  static Pool* const p = new Pool;  // never destroyed (see the top)
  return *p;
}

// On a pool thread: runs the job, destroys the callable, wakes the waiter.
void execute(Job* job) {
  job->task();
  job->task = nullptr;
  {
    std::lock_guard<rt::SpinLock> lock(job->mu);
    if (job->state == Job::State::kPending) {
      job->state = Job::State::kDone;
      job->parker->unpark(job->token);
    }
  }
  release(job);
}

void thread_main(Job* first) {
  rt::RuntimeThread registered;
  rt::name_this_thread("mco-offload");
  Pool& p = pool();
  IdleThread self;
  Job* job = first;
  std::unique_lock<std::mutex> lock(p.mu);
  for (;;) {
    if (job != nullptr) {
      lock.unlock();
      execute(job);
      lock.lock();
      job = nullptr;
    }
    if (p.threads > p.max_threads) break;
    if (!p.queue.empty()) {
      job = p.queue.front();
      p.queue.pop_front();
      continue;
    }
    self.job = nullptr;
    p.idle.push_back(&self);
    const bool woken = self.cv.wait_for(
        lock, p.idle_timeout, [&] { return self.job != nullptr || self.exit; });
    if (!woken) {  // timed out: still on the idle stack
      p.idle.erase(std::find(p.idle.begin(), p.idle.end(), &self));
      break;
    }
    if (self.exit) return;  // set_max_threads counted it out already
    job = self.job;
  }
  --p.threads;
}

// Starts a thread for `job`, counted in `threads` already. False if the
// system refused.
bool start_thread(Job* job) {
  try {
    std::thread(thread_main, job).detach();
    return true;
  } catch (const std::system_error&) {
    return false;
  }
}

// Gives `job` to an idle thread, a new thread or the queue. False if no
// thread could be created and none exists to run the queue.
bool submit(Job* job) {
  Pool& p = pool();
  {
    std::lock_guard<std::mutex> lock(p.mu);
    if (!p.idle.empty()) {
      IdleThread* t = p.idle.back();
      p.idle.pop_back();
      t->job = job;
      t->cv.notify_one();  // under the lock: `t` lives while it is idle
      return true;
    }
    if (p.threads >= p.max_threads) {
      p.queue.push_back(job);
      return true;
    }
    ++p.threads;
  }
  if (start_thread(job)) return true;
  std::lock_guard<std::mutex> lock(p.mu);
  --p.threads;
  if (p.threads == 0) return false;
  p.queue.push_back(job);
  return true;
}

}  // namespace

void set_max_threads(int n) {
  if (n < 1) {
    throw std::invalid_argument(
        "mco::offload::set_max_threads: n must be >= 1");
  }
  Pool& p = pool();
  std::vector<Job*> start;
  {
    std::lock_guard<std::mutex> lock(p.mu);
    p.max_threads = n;
    // Surplus idle threads leave now; busy ones after their call.
    while (p.threads > p.max_threads && !p.idle.empty()) {
      IdleThread* t = p.idle.back();
      p.idle.pop_back();
      t->exit = true;
      t->cv.notify_one();
      --p.threads;  // counted out here, not again when it leaves
    }
    // Room for more: queued jobs get threads.
    while (!p.queue.empty() && p.threads < p.max_threads) {
      start.push_back(p.queue.front());
      p.queue.pop_front();
      ++p.threads;
    }
  }
  for (Job* job : start) {
    if (start_thread(job)) continue;
    std::lock_guard<std::mutex> lock(p.mu);
    --p.threads;
    p.queue.push_front(job);  // an existing thread will take it
  }
}

int max_threads() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  return p.max_threads;
}

void set_idle_timeout(time::Duration d) {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  p.idle_timeout = std::max(std::chrono::nanoseconds(d.nanoseconds()),
                            std::chrono::nanoseconds(0));
}

time::Duration idle_timeout() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  return time::Duration(static_cast<int64_t>(p.idle_timeout.count()));
}

Stats stats() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lock(p.mu);
  Stats s;
  s.threads = p.threads;
  s.idle = static_cast<int>(p.idle.size());
  s.queued = static_cast<int>(p.queue.size());
  return s;
}

namespace internal {

bool on_coroutine() { return rt::current() != nullptr; }

absl::Status deadline_exceeded() {
  return absl::DeadlineExceededError("offload: deadline exceeded");
}

bool run(absl::AnyInvocable<void()> task, int64_t deadline_ns) {
  check_cancel();
  if (deadline_ns != rt::kNoDeadline && deadline_ns <= rt::now_nanos()) {
    return false;
  }
  auto* job = new Job;
  job->task = std::move(task);
  rt::Parker& p = rt::current_parker();
  const rt::Parker::Token token = p.prepare(/*cancellable=*/true);
  job->parker = &p;
  job->token = token;
  if (!submit(job)) {
    p.unpark(token);  // ends the episode
    delete job;
    throw std::system_error(
        std::make_error_code(std::errc::resource_unavailable_try_again),
        "mco::offload: cannot create a thread");
  }
  rt::WakeReason reason = p.park(token, rt::WaitReason::kOffload, deadline_ns);
  {
    std::lock_guard<rt::SpinLock> lock(job->mu);
    if (job->state == Job::State::kDone) {
      reason = rt::WakeReason::kNotified;
    } else {
      job->state = Job::State::kAbandoned;
    }
  }
  release(job);
  if (reason == rt::WakeReason::kCancelled) throw Cancelled();
  return reason == rt::WakeReason::kNotified;
}

}  // namespace internal
}  // namespace mco::offload
