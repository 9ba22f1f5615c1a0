// Copyright 2026 The mco Authors.
//
// The scheduler's design is described in scheduler.h. Invariants:
//  - A coroutine is in at most one run queue, and only while runnable.
//  - Only the thread running a coroutine touches its context fields (sp,
//    low_water, eh, action); the scheduler completes the action after the
//    coroutine is off its stack.
//  - A worker's libuv loop is touched only by that worker's thread, except
//    its async handle.
// Lock order: idle_mu, then a queue lock; never two queue locks at once.

#include "runtime/scheduler.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/cancelled.h"
#include "runtime/check.h"
#include "runtime/context.h"
#include "runtime/dump.h"
#include "runtime/monitor.h"
#include "runtime/netpoll.h"
#include "runtime/sanitizers.h"
#include "runtime/stack_pool.h"
#include "runtime/threads.h"
#include "runtime/timer.h"
#include "runtime/worker.h"

// The C++ runtime's per-thread exception-handling globals (Itanium C++ ABI,
// implemented by libstdc++ and libc++abi alike).
namespace __cxxabiv1 {
struct __cxa_eh_globals;
extern "C" __cxa_eh_globals* __cxa_get_globals() noexcept;
}  // namespace __cxxabiv1

namespace mco::rt {
namespace {

constexpr int kGlobalQueueEvery = 61;
constexpr size_t kGlobalBatch = 32;
constexpr size_t kStackRedZone = 256;
constexpr size_t kAltStackSize = 64 << 10;

struct Sched {
  std::vector<std::unique_ptr<Worker>> workers;
  // The thread that booted the scheduler (it waits in mco::run).
  std::optional<RuntimeThread> booter;
  SpinLock global_mu;
  std::deque<Coroutine*> global_q;
  std::atomic<size_t> global_size{0};

  std::mutex idle_mu;
  std::vector<Worker*> idle;
  std::atomic<int> n_idle{0};
  // Workers out of work that look for some before sleeping (spin()).
  std::atomic<int> n_spinning{0};

  std::atomic<bool> stopping{false};
  // Set once shutdown() stopped signalling the workers' async handles; a
  // worker closes its loop only after that.
  std::atomic<bool> signals_done{false};
  std::atomic<bool> running{false};
  size_t default_stack = 0;

  std::atomic<uint64_t> steals{0};
  std::atomic<uint64_t> wakeups{0};

  // Stop-the-world (stop_the_world()): workers pause at the top of their
  // loop while `stw` is set.
  std::mutex stw_owner;  // one stop at a time
  // Read by every worker at every pick: on a line of its own.
  alignas(64) std::atomic<bool> stw{false};
  alignas(64) std::mutex stw_mu;
  std::condition_variable stw_cv;
  std::vector<bool> paused;  // per worker, under stw_mu

  std::atomic<void (*)()> all_idle_hook{nullptr};
};

std::atomic<uint64_t> next_id{1};
Sched* sched = nullptr;
thread_local Worker* tls_worker = nullptr;

// --- C++ exception state, one chain per coroutine ---------------------------

EhState* eh_globals() {
  return reinterpret_cast<EhState*>(__cxxabiv1::__cxa_get_globals());
}

// --- stack overflow ----------------------------------------------------------

struct sigaction previous_segv;

[[noreturn]] void overflow(const Coroutine* co) {
  fatal("stack overflow in coroutine %llu '%s' (stack size %zu bytes)",
        static_cast<unsigned long long>(co->id), co->name.c_str(),
        co->stack.size());
}

void on_segv(int sig, siginfo_t* info, void* uctx) {
  Worker* w = tls_worker;
  Coroutine* co =
      w == nullptr ? nullptr : w->running.load(std::memory_order_relaxed);
  if (co != nullptr && co->stack.in_guard(info->si_addr)) {
    signal(SIGABRT, SIG_DFL);
    overflow(co);
  }
  // A crash in a coroutine: say which one and where, then put the previous
  // disposition back; the fault repeats under it (by default, the process
  // dies of SIGSEGV).
  if (co != nullptr) {
    write_crash_report(co, "segmentation fault", info->si_addr, uctx);
  }
  sigaction(SIGSEGV, &previous_segv, nullptr);
  (void)sig;
}

void install_segv_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa = {};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous_segv);
  });
}

// --- queues
// -------------------------------------------------------------------

// The ring's overflow goes to the global queue.
void push_global_batch(Coroutine** batch, uint32_t n) {
  std::lock_guard<SpinLock> lock(sched->global_mu);
  for (uint32_t i = 0; i < n; ++i) sched->global_q.push_back(batch[i]);
  sched->global_size.store(sched->global_q.size(), std::memory_order_relaxed);
}

void push_local(Worker* w, Coroutine* co) {
  w->runq.put(co, push_global_batch);
}

Coroutine* pop_local(Worker* w) { return w->runq.get(); }

void push_global(Coroutine* co) { push_global_batch(&co, 1); }

// Takes one coroutine from the global queue and, if `batch`, moves a fair
// share of the rest to `w`'s queue.
Coroutine* pop_global(Worker* w, bool batch) {
  if (sched->global_size.load(std::memory_order_relaxed) == 0) return nullptr;
  Coroutine* moved[kGlobalBatch];
  size_t n = 0;
  Coroutine* co = nullptr;
  {
    std::lock_guard<SpinLock> lock(sched->global_mu);
    if (sched->global_q.empty()) return nullptr;
    co = sched->global_q.front();
    sched->global_q.pop_front();
    if (batch) {
      n = std::min(kGlobalBatch,
                   sched->global_q.size() / sched->workers.size());
      for (size_t i = 0; i < n; ++i) {
        moved[i] = sched->global_q.front();
        sched->global_q.pop_front();
      }
    }
    sched->global_size.store(sched->global_q.size(), std::memory_order_relaxed);
  }
  for (size_t i = 0; i < n; ++i) push_local(w, moved[i]);
  return co;
}

uint64_t next_random(Worker* w) {
  // xorshift64
  uint64_t x = w->rng;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  w->rng = x;
  return x;
}

// Steals about half of another worker's queue; returns one coroutine to run.
Coroutine* steal(Worker* w) {
  const size_t n = sched->workers.size();
  if (n < 2) return nullptr;
  const size_t start = next_random(w) % n;
  for (size_t i = 0; i < n; ++i) {
    Worker* victim = sched->workers[(start + i) % n].get();
    if (victim == w || victim->runq.size() == 0) continue;
    if (Coroutine* co = victim->runq.steal_into(w->runq, push_global_batch)) {
      sched->steals.fetch_add(1, std::memory_order_relaxed);
      return co;
    }
  }
  return nullptr;
}

bool work_anywhere() {
  if (sched->global_size.load(std::memory_order_seq_cst) > 0) return true;
  for (auto& w : sched->workers) {
    if (w->runq.size() > 0) return true;
  }
  return false;
}

// --- idle workers
// --------------------------------------------------------------

void wake_one_idle() {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  // A spinning worker will find the work; it wakes another if it finds more.
  if (sched->n_spinning.load(std::memory_order_seq_cst) > 0) return;
  if (sched->n_idle.load(std::memory_order_seq_cst) == 0) return;
  Worker* target = nullptr;
  {
    std::lock_guard<std::mutex> lock(sched->idle_mu);
    if (sched->idle.empty() || sched->signals_done.load()) return;
    target = sched->idle.back();
    sched->idle.pop_back();
    sched->n_idle.fetch_sub(1, std::memory_order_seq_cst);
  }
  sched->wakeups.fetch_add(1, std::memory_order_relaxed);
  uv_async_send(&target->async);
}

void leave_idle(Worker* w) {
  std::lock_guard<std::mutex> lock(sched->idle_mu);
  auto it = std::find(sched->idle.begin(), sched->idle.end(), w);
  if (it != sched->idle.end()) {
    sched->idle.erase(it);
    sched->n_idle.fetch_sub(1, std::memory_order_seq_cst);
  }
}

void idle_wait(Worker* w) {
  int idle = 0;
  {
    std::lock_guard<std::mutex> lock(sched->idle_mu);
    sched->idle.push_back(w);
    idle = sched->n_idle.fetch_add(1, std::memory_order_seq_cst) + 1;
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (!work_anywhere() && !sched->stopping.load(std::memory_order_seq_cst) &&
      !sched->stw.load(std::memory_order_seq_cst)) {
    if (idle == static_cast<int>(sched->workers.size())) {
      if (auto hook = sched->all_idle_hook.load(std::memory_order_acquire)) {
        hook();
      }
    }
    uv_run(&w->loop, UV_RUN_ONCE);  // blocks in epoll: timers, wake-ups, I/O
  }
  leave_idle(w);
}

// Waits while the world is stopped (stop_the_world()).
void pause_for_world(Worker* w) {
  std::unique_lock<std::mutex> lock(sched->stw_mu);
  sched->paused[w->index] = true;
  sched->stw_cv.notify_all();
  sched->stw_cv.wait(lock, [] { return !sched->stw.load(); });
  sched->paused[w->index] = false;
}

// --- running coroutines
// --------------------------------------------------------

// The local queue, a batch of the global queue, or half of another worker's.
Coroutine* take_work(Worker* w) {
  if (Coroutine* co = pop_local(w)) return co;
  if (Coroutine* co = pop_global(w, true)) return co;
  return steal(w);
}

Coroutine* find_runnable(Worker* w) {
  const uint64_t tick = w->tick.load(std::memory_order_relaxed) + 1;
  w->tick.store(tick, std::memory_order_relaxed);
  if (tick % kGlobalQueueEvery == 0) {
    run_due_deadlines(w);  // deadlines pass while the worker is busy too
    if (Coroutine* co = pop_global(w, false)) return co;
    uv_run(&w->loop, UV_RUN_NOWAIT);  // timer tasks, I/O
  }
  if (Coroutine* co = take_work(w)) return co;
  uv_run(&w->loop, UV_RUN_NOWAIT);
  return pop_local(w);
}

// A worker out of work looks for some a little longer before it sleeps
// (Go's spinning M): waking a sleeping worker costs a system call on the
// waker's side, so while one worker spins, `ready` wakes nobody. A spinner
// that finds work wakes another worker if there is more.
Coroutine* spin(Worker* w) {
  constexpr int kSpinRounds = 8;
  sched->n_spinning.fetch_add(1, std::memory_order_seq_cst);
  Coroutine* co = nullptr;
  for (int i = 0; i < kSpinRounds && co == nullptr; ++i) {
    if (sched->stopping.load(std::memory_order_relaxed)) break;
    co = take_work(w);
  }
  sched->n_spinning.fetch_sub(1, std::memory_order_seq_cst);
  if (co != nullptr && work_anywhere()) wake_one_idle();
  return co;
}

void complete_exit(Worker* w, Coroutine* co) {
  sanitizers::tsan_destroy(co->tsan_fiber);
  co->tsan_fiber = nullptr;
  release_stack(co->stack, co->low_water);
  co->stack = Stack{};
  registry_remove(co);
  finish(co);
  unref(co);  // the scheduler's reference
  (void)w;
}

void run_coroutine(Worker* w, Coroutine* co) {
  w->running.store(co, std::memory_order_relaxed);
  EhState* g = w->eh;
  const EhState saved = *g;
  *g = co->eh;
  void* sched_fake_stack = nullptr;
  w->tsan_sched_fiber = sanitizers::tsan_current();
  sanitizers::tsan_switch(co->tsan_fiber);
  sanitizers::before_switch(&sched_fake_stack, co->stack.limit,
                            co->stack.size());
  mco_context_switch(&w->sched_sp, co->sp, co);
  sanitizers::after_switch(sched_fake_stack, nullptr, nullptr);
  co->eh = *g;
  *g = saved;
  w->running.store(nullptr, std::memory_order_relaxed);
  switch (co->action) {
    case SwitchAction::kYield:
      push_local(w, co);
      break;
    case SwitchAction::kPark:
      if (!co->parker.commit_parked()) push_local(w, co);
      break;
    case SwitchAction::kExit:
      complete_exit(w, co);
      break;
    case SwitchAction::kNone:
      fatal("coroutine %llu switched out without an action",
            static_cast<unsigned long long>(co->id));
  }
}

extern "C" void coroutine_entry(void* transfer) {
  auto* co = static_cast<Coroutine*>(transfer);
  {
    Worker* w = this_worker();
    sanitizers::after_switch(nullptr, &w->sched_stack_bottom,
                             &w->sched_stack_size);
  }
  try {
    co->body();
  } catch (const Cancelled&) {
    co->cancelled_exit = true;
    co->exception = std::current_exception();
  } catch (...) {
    co->exception = std::current_exception();
  }
  // Captured state and coroutine-locals die on the coroutine's own stack.
  try {
    co->body = nullptr;
    if (co->locals != nullptr) destroy_locals(*co->locals);
  } catch (...) {
    report("coroutine %llu '%s': exception from a destructor at exit ignored",
           static_cast<unsigned long long>(co->id), co->name.c_str());
  }
  switch_out(SwitchAction::kExit);
  fatal("finished coroutine %llu resumed",
        static_cast<unsigned long long>(co->id));
}

void on_async(uv_async_t* handle) {
  run_remote_ops(static_cast<Worker*>(handle->data));
}

void on_netpoll(uv_poll_t*, int, int) { netpoll_harvest(); }

void worker_main(Worker* w) {
  RuntimeThread registered;
  char name[16];
  snprintf(name, sizeof name, "mco-w%d", w->index);
  name_this_thread(name);
  tls_worker = w;
  w->eh = eh_globals();
  w->altstack = mmap(nullptr, kAltStackSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (w->altstack != MAP_FAILED) {
    stack_t ss = {};
    ss.ss_sp = w->altstack;
    ss.ss_size = kAltStackSize;
    sigaltstack(&ss, nullptr);
  }
  while (!sched->stopping.load(std::memory_order_acquire)) {
    if (sched->stw.load(std::memory_order_acquire)) pause_for_world(w);
    Coroutine* co = find_runnable(w);
    if (co == nullptr) co = spin(w);
    if (co != nullptr) {
      run_coroutine(w, co);
    } else {
      idle_wait(w);
    }
  }
  while (!sched->signals_done.load(std::memory_order_acquire)) {
    std::this_thread::yield();
  }
  close_all_timers(w);
  uv_close(reinterpret_cast<uv_handle_t*>(&w->async), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&w->netpoll_watch), nullptr);
  uv_run(&w->loop, UV_RUN_DEFAULT);
  uv_loop_close(&w->loop);
  if (w->altstack != MAP_FAILED) {
    stack_t ss = {};
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, nullptr);
    munmap(w->altstack, kAltStackSize);
  }
  tls_worker = nullptr;
}

}  // namespace

// Kept out of line with an opaque body so no caller caches the thread-local
// address across a context switch (the coroutine may resume elsewhere).
__attribute__((noinline)) Worker* this_worker() {
  Worker* w = tls_worker;
  asm volatile("" : "+r"(w));
  return w;
}

Worker* some_worker() {
  if (Worker* w = this_worker(); w != nullptr) return w;
  if (sched == nullptr || sched->workers.empty()) return nullptr;
  static std::atomic<uint64_t> next{0};
  const uint64_t i = next.fetch_add(1, std::memory_order_relaxed);
  return sched->workers[i % sched->workers.size()].get();
}

bool post_to_worker(Worker* w, absl::AnyInvocable<void()> fn) {
  if (sched == nullptr || sched->signals_done.load(std::memory_order_acquire)) {
    return false;
  }
  {
    std::lock_guard<SpinLock> lock(w->remote_mu);
    w->remote_ops.push_back(std::move(fn));
  }
  uv_async_send(&w->async);
  return true;
}

void run_remote_ops(Worker* w) {
  std::vector<absl::AnyInvocable<void()>> ops;
  {
    std::lock_guard<SpinLock> lock(w->remote_mu);
    ops.swap(w->remote_ops);
  }
  for (auto& op : ops) op();
}

void boot(int workers, size_t stack_size) {
  if (sched != nullptr) fatal("the scheduler is already running");
  if (workers <= 0) {
    workers = static_cast<int>(std::thread::hardware_concurrency());
    if (workers <= 0) workers = 1;
  }
  install_segv_handler();
  prepare_uv_pool();
  sched = new Sched();
  sched->booter.emplace();
  sched->default_stack =
      round_stack_size(stack_size == 0 ? (size_t{6} << 20) : stack_size);
  for (int i = 0; i < workers; ++i) {
    auto w = std::make_unique<Worker>();
    w->index = i;
    w->rng = 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(i + 1);
    MCO_CHECK(uv_loop_init(&w->loop) == 0);
    MCO_CHECK(uv_async_init(&w->loop, &w->async, on_async) == 0);
    w->async.data = w.get();
    init_deadlines(w.get());
    MCO_CHECK(uv_poll_init(&w->loop, &w->netpoll_watch, netpoll_fd()) == 0);
    MCO_CHECK(uv_poll_start(&w->netpoll_watch, UV_READABLE, on_netpoll) == 0);
    sched->workers.push_back(std::move(w));
  }
  sched->paused.assign(sched->workers.size(), false);
  sched->running.store(true, std::memory_order_release);
  for (auto& w : sched->workers) {
    Worker* raw = w.get();
    raw->thread = std::thread([raw] { worker_main(raw); });
  }
  start_monitor();
}

void shutdown() {
  if (sched == nullptr) return;
  stop_monitor();
  {
    // Waits for a stop of the world in progress (a dump) to end.
    std::lock_guard<std::mutex> lock(sched->stw_owner);
    sched->stopping.store(true, std::memory_order_seq_cst);
  }
  for (auto& w : sched->workers) uv_async_send(&w->async);
  sched->signals_done.store(true, std::memory_order_release);
  for (auto& w : sched->workers) w->thread.join();
  free_monitor();
  sched->running.store(false, std::memory_order_release);
  delete sched;
  sched = nullptr;
}

bool running() {
  return sched != nullptr && sched->running.load(std::memory_order_acquire);
}

int worker_count() {
  return sched == nullptr ? 0 : static_cast<int>(sched->workers.size());
}

size_t default_stack() {
  return sched == nullptr ? round_stack_size(size_t{6} << 20)
                          : sched->default_stack;
}

Coroutine* spawn(absl::AnyInvocable<void()> body, std::string name,
                 size_t stack_size) {
  MCO_CHECK(sched != nullptr);
  auto* co = new Coroutine(next_id.fetch_add(1, std::memory_order_relaxed),
                           std::move(name), std::move(body));
  co->stack =
      acquire_stack(stack_size == 0 ? sched->default_stack : stack_size);
  co->sp = mco_context_make(co->stack.top, coroutine_entry);
  co->tsan_fiber = sanitizers::tsan_create();
  co->refs.store(2, std::memory_order_relaxed);  // scheduler + caller
  registry_add(co);
  // New coroutines queue in spawn order (the `next` slot is for wake-ups).
  if (Worker* w = this_worker(); w != nullptr) {
    push_local(w, co);
    wake_one_idle();
    // Backpressure: a coroutine that spawns faster than its worker runs what
    // it spawned lets the queue drain first (Go gets the same from
    // preemption), so a spawn loop does not hold a million fresh stacks. It
    // yields one slot early, so that it still fits in the ring itself and
    // nothing spills to the global queue.
    const bool full = w->runq.size() >= RunQueue::kCapacity - 1;
    if (full && w->running.load(std::memory_order_relaxed) != nullptr) {
      switch_out(SwitchAction::kYield);
    }
  } else {
    ready(co);
  }
  return co;
}

void ready(Coroutine* co) {
  Worker* w = this_worker();
  if (w != nullptr) {
    if (w->wake_in_order) {
      push_local(w, co);
    } else {
      w->runq.put_next(co, push_global_batch);
    }
  } else {
    push_global(co);
  }
  wake_one_idle();
}

Coroutine* current() {
  Worker* w = this_worker();
  return w == nullptr ? nullptr : w->running.load(std::memory_order_relaxed);
}

int current_worker_index() {
  Worker* w = this_worker();
  return w == nullptr ? -1 : w->index;
}

void switch_out(SwitchAction action) {
  Worker* w = this_worker();
  Coroutine* co = w->running.load(std::memory_order_relaxed);
  char* sp = static_cast<char*>(__builtin_frame_address(0));
  if (sp < co->stack.limit + kStackRedZone || sp > co->stack.top) overflow(co);
  if (co->low_water == nullptr || sp < co->low_water) co->low_water = sp;
  co->action = action;
  sanitizers::before_switch(
      action == SwitchAction::kExit ? nullptr : &co->asan_fake_stack,
      w->sched_stack_bottom, w->sched_stack_size);
  sanitizers::tsan_switch(w->tsan_sched_fiber);
  mco_context_switch(&co->sp, w->sched_sp, nullptr);
  w = this_worker();  // possibly another worker now
  sanitizers::after_switch(co->asan_fake_stack, &w->sched_stack_bottom,
                           &w->sched_stack_size);
  co->action = SwitchAction::kNone;
}

void yield() {
  if (current() == nullptr) {
    std::this_thread::yield();
    return;
  }
  switch_out(SwitchAction::kYield);
}

SchedulerStats scheduler_stats() {
  SchedulerStats s;
  if (sched != nullptr) {
    s.steals = sched->steals.load(std::memory_order_relaxed);
    s.wakeups = sched->wakeups.load(std::memory_order_relaxed);
    for (auto& w : sched->workers) {
      s.deadline_entries += w->deadline_count.load(std::memory_order_relaxed);
    }
  }
  return s;
}

}  // namespace mco::rt

namespace mco::rt {

StoppedWorld stop_the_world(Nanos patience) {
  MCO_CHECK(sched != nullptr);
  sched->stw_owner.lock();
  const size_t n = sched->workers.size();
  // Called from a coroutine, its own worker keeps running it.
  Worker* self = this_worker();
  {
    std::lock_guard<std::mutex> lock(sched->stw_mu);
    sched->stw.store(true, std::memory_order_seq_cst);
  }
  if (!sched->stopping.load(std::memory_order_seq_cst)) {
    for (auto& w : sched->workers) uv_async_send(&w->async);  // idle ones
  }
  // A worker that keeps running the same coroutine past the patience is
  // left running it: it will pause when the coroutine switches out.
  StoppedWorld world;
  world.running.assign(n, nullptr);
  const Nanos until = deadline_after(patience);
  std::unique_lock<std::mutex> lock(sched->stw_mu);
  for (;;) {
    size_t paused = self != nullptr ? 1 : 0;
    for (size_t i = 0; i < n; ++i) paused += sched->paused[i] ? 1 : 0;
    const Nanos now = now_nanos();
    if (paused == n || now >= until ||
        sched->stopping.load(std::memory_order_relaxed)) {
      break;
    }
    sched->stw_cv.wait_for(
        lock, std::chrono::nanoseconds(std::min<Nanos>(until - now, 10000000)));
  }
  for (size_t i = 0; i < n; ++i) {
    if (!sched->paused[i]) {
      world.running[i] =
          sched->workers[i]->running.load(std::memory_order_acquire);
    }
  }
  return world;
}

void start_the_world() {
  {
    std::lock_guard<std::mutex> lock(sched->stw_mu);
    sched->stw.store(false, std::memory_order_seq_cst);
  }
  sched->stw_cv.notify_all();
  sched->stw_owner.unlock();
}

Quiescence quiescence() {
  Quiescence q;
  if (sched == nullptr) return q;
  q.work_queued = work_anywhere();
  q.all_idle = sched->n_idle.load(std::memory_order_seq_cst) ==
                   static_cast<int>(sched->workers.size()) &&
               !q.work_queued;
  for (auto& w : sched->workers) {
    q.picks += w->tick.load(std::memory_order_relaxed);
    q.external_waits += w->external_waits.load(std::memory_order_relaxed);
  }
  return q;
}

void set_all_idle_hook(void (*hook)()) {
  if (sched != nullptr) {
    sched->all_idle_hook.store(hook, std::memory_order_release);
  }
}

void note_external_wait(int delta) {
  Worker* w = this_worker();
  w->external_waits.store(
      w->external_waits.load(std::memory_order_relaxed) + delta,
      std::memory_order_relaxed);
}

}  // namespace mco::rt
