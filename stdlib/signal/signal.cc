// Copyright 2026 The mco Authors.
//
// Signals on libuv signal handles, all on one worker's loop (the *home*).
//
// Model: a registry, under one mutex, holds what is wanted (the channels
// subscribed to each signal, and dispositions `ignore`/`reset` asked for)
// and what exists (the started handles, one per signal, on the home's
// loop). `reconcile()`, run on the home's thread under the mutex, makes what
// exists match what is wanted; the API functions change what is wanted and
// then run `reconcile()` there (directly if they are on the home's thread,
// else through `post_to_worker`, waiting for it). Reconciling is
// idempotent, so the order in which posted reconciles run does not matter.
// A signal's callback sends to its channels under the same mutex, which is
// why `stop` can promise that no signal follows it.
//
// Shutdown: a handle left on a loop would keep the worker's final
// `uv_run` from ever returning. So while handles may exist, a small
// coroutine, the *watcher*, is alive: it only parks. The scheduler cancels
// every coroutine before it stops (`mco::run`, `mco-run`), and the
// cancelled watcher closes the handles on the home's loop and clears the
// registry, so the next boot starts afresh. When the last subscription
// ends, reconcile closes the handles and tells the watcher to leave.
//
// Invariants (under the mutex): `home` is set iff a watcher is current;
// every handle is on `home`'s loop; `subs` holds no empty list.

#include "mco/signal/signal.h"

#include <uv.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mco/cancel.h"
#include "mco/go.h"
#include "mco/waker.h"
#include "runtime/monitor.h"
#include "runtime/scheduler.h"
#include "runtime/worker.h"

namespace mco::signal {
namespace {

// A watcher's state: the registry points at the current one.
struct Watch {
  Waker waker;        // set by the watcher when it starts
  bool exit = false;  // leave (no handles any more)
};

struct Registry {
  std::mutex mu;
  std::map<int, std::vector<Chan<int>>> subs;
  std::map<int, uv_signal_t*> handles;  // started, on home's loop
  std::map<int, bool> dispositions;     // to set once unhandled: true: ignore
  std::set<int> touched;                // every signal notify/ignore saw
  rt::Worker* home = nullptr;
  std::shared_ptr<Watch> watch;
  // Subscriptions count as one wake source for the deadlock detector
  // (runtime/monitor.h): a signal may arrive at any time.
  bool counted_as_wake_source = false;
};

// Keeps the wake source in step with `r.subs` (under r.mu).
void update_wake_source_locked(Registry& r) {
  const bool subscribed = !r.subs.empty();
  if (subscribed != r.counted_as_wake_source) {
    rt::add_wake_sources(subscribed ? 1 : -1);
    r.counted_as_wake_source = subscribed;
  }
}

Registry& reg() {
  static Registry* const r = new Registry;  // handles may outlive main()
  return *r;
}

void free_handle(uv_handle_t* h) { delete reinterpret_cast<uv_signal_t*>(h); }

void close_handle(uv_signal_t* h) {
  uv_close(reinterpret_cast<uv_handle_t*>(h), free_handle);
}

// On the home's thread: sends `signum` to every subscribed channel.
void on_signal(uv_signal_t*, int signum) {
  Registry& r = reg();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.subs.find(signum);
  if (it == r.subs.end()) return;
  for (Chan<int>& ch : it->second) {
    int v = signum;
    try {
      (void)ch.try_send(v);
    } catch (const ChanClosedError&) {
      // A closed channel is skipped.
    }
  }
}

void set_disposition(int signum, bool ignore) {
  struct sigaction sa = {};
  sa.sa_handler = ignore ? SIG_IGN : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(signum, &sa, nullptr);
}

// Sets the dispositions asked for, of signals without a handle now.
void apply_dispositions_locked(Registry& r) {
  for (auto it = r.dispositions.begin(); it != r.dispositions.end();) {
    if (r.handles.count(it->first) != 0) {
      ++it;
      continue;
    }
    set_disposition(it->first, it->second);
    it = r.dispositions.erase(it);
  }
}

// On a worker's thread, with the mutex held: see the top.
void reconcile_locked(Registry& r) {
  rt::Worker* self = rt::this_worker();
  if (self == nullptr || r.home != self) return;  // stale: a newer home
  for (auto it = r.handles.begin(); it != r.handles.end();) {
    if (r.subs.count(it->first) == 0) {
      close_handle(it->second);  // libuv restores SIG_DFL
      it = r.handles.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [signum, chans] : r.subs) {
    if (r.handles.count(signum) != 0) continue;
    auto* h = new uv_signal_t;
    uv_signal_init(&self->loop, h);
    if (uv_signal_start(h, on_signal, signum) != 0) {
      close_handle(h);
      continue;
    }
    r.handles[signum] = h;
  }
  apply_dispositions_locked(r);
  if (r.handles.empty() && r.watch != nullptr) {  // nothing to guard
    r.watch->exit = true;
    if (r.watch->waker) r.watch->waker.unpark();
    r.watch = nullptr;
    r.home = nullptr;
  }
}

// Runs reconcile on `home`'s thread and waits for it. Not a cancellation
// point.
void reconcile_on(rt::Worker* home) {
  Registry& r = reg();
  if (rt::this_worker() == home) {
    std::lock_guard<std::mutex> lock(r.mu);
    reconcile_locked(r);
    return;
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  Waker waiter = current_waker();
  const bool posted = rt::post_to_worker(home, [done, waiter] {
    {
      Registry& r = reg();
      std::lock_guard<std::mutex> lock(r.mu);
      reconcile_locked(r);
    }
    done->store(true, std::memory_order_release);
    waiter.unpark();
  });
  if (!posted) return;  // shutting down: the watcher closes the handles
  DeferCancel no_cancel;
  while (!done->load(std::memory_order_acquire)) park();
}

// The watcher's body (see the top).
void watch(std::shared_ptr<Watch> w) {
  Registry& r = reg();
  try {
    {
      std::lock_guard<std::mutex> lock(r.mu);
      w->waker = current_waker();
      if (w->exit) return;
    }
    for (;;) {
      park();
      std::lock_guard<std::mutex> lock(r.mu);
      if (w->exit) return;
    }
  } catch (const Cancelled&) {
    // The scheduler is stopping: close the handles before the loops end.
    std::vector<uv_signal_t*> handles;
    rt::Worker* home = nullptr;
    {
      std::lock_guard<std::mutex> lock(r.mu);
      if (r.watch == w) {
        home = r.home;
        for (auto& [signum, h] : r.handles) handles.push_back(h);
        r.handles.clear();
        r.subs.clear();
        update_wake_source_locked(r);
        r.watch = nullptr;
        r.home = nullptr;
      }
    }
    if (!handles.empty()) {
      rt::post_to_worker(home, [handles = std::move(handles)] {
        for (uv_signal_t* h : handles) close_handle(h);
        std::lock_guard<std::mutex> lock(reg().mu);
        apply_dispositions_locked(reg());
      });
    }
    throw;
  }
}

// Makes sure a home and a watcher exist; returns the home. Mutex held.
rt::Worker* ensure_home_locked(Registry& r) {
  if (r.home != nullptr) return r.home;
  rt::Worker* home = rt::some_worker();
  if (home == nullptr) {
    throw std::logic_error(
        "mco::signal::notify needs a running scheduler (mco::run)");
  }
  auto w = std::make_shared<Watch>();
  Builder()
      .name("mco-signal")
      .stack_size(64 << 10)
      .spawn([w] { watch(w); })
      .detach();
  r.home = home;
  r.watch = std::move(w);
  return home;
}

void check_signals(const char* fn, std::initializer_list<int> signals) {
  if (signals.size() == 0) {
    throw std::invalid_argument(std::string("mco::signal::") + fn +
                                ": no signals");
  }
  for (int s : signals) {
    const bool in_range =
        (s >= 1 && s < 32) || (s >= SIGRTMIN && s <= SIGRTMAX);
    const bool reserved = s == SIGKILL || s == SIGSTOP || s == SIGSEGV ||
                          s == SIGBUS || s == SIGFPE || s == SIGILL ||
                          s == SIGTRAP;
    if (!in_range || reserved) {
      throw std::invalid_argument(std::string("mco::signal::") + fn +
                                  ": signal " + std::to_string(s) +
                                  " cannot be handled");
    }
  }
}

// Ends the subscriptions of `signals` and asks for a disposition.
void unhandle(std::initializer_list<int> signals, bool ignore) {
  Registry& r = reg();
  rt::Worker* home = nullptr;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    for (int s : signals) {
      r.subs.erase(s);
      r.dispositions[s] = ignore;
      r.touched.insert(s);
    }
    update_wake_source_locked(r);
    home = r.home;
    if (home == nullptr) apply_dispositions_locked(r);  // no handles exist
  }
  if (home != nullptr) reconcile_on(home);
}

}  // namespace

void notify(const Chan<int>& ch, std::initializer_list<int> signals) {
  if (!ch) {
    throw std::invalid_argument("mco::signal::notify using nil channel");
  }
  check_signals("notify", signals);
  check_cancel();
  Registry& r = reg();
  rt::Worker* home = nullptr;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    home = ensure_home_locked(r);
    for (int s : signals) {
      std::vector<Chan<int>>& chans = r.subs[s];
      if (std::find(chans.begin(), chans.end(), ch) == chans.end()) {
        chans.push_back(ch);
      }
      r.dispositions.erase(s);
      r.touched.insert(s);
    }
    update_wake_source_locked(r);
  }
  reconcile_on(home);
}

void stop(const Chan<int>& ch) {
  Registry& r = reg();
  rt::Worker* home = nullptr;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    for (auto it = r.subs.begin(); it != r.subs.end();) {
      std::vector<Chan<int>>& chans = it->second;
      chans.erase(std::remove(chans.begin(), chans.end(), ch), chans.end());
      it = chans.empty() ? r.subs.erase(it) : std::next(it);
    }
    update_wake_source_locked(r);
    home = r.home;
  }
  if (home != nullptr) reconcile_on(home);
}

void ignore(std::initializer_list<int> signals) {
  check_signals("ignore", signals);
  unhandle(signals, /*ignore=*/true);
}

void reset(std::initializer_list<int> signals) {
  check_signals("reset", signals);
  unhandle(signals, /*ignore=*/false);
}

void reset() {
  Registry& r = reg();
  rt::Worker* home = nullptr;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    for (int s : r.touched) {
      r.subs.erase(s);
      r.dispositions[s] = false;
    }
    update_wake_source_locked(r);
    r.touched.clear();
    home = r.home;
    if (home == nullptr) apply_dispositions_locked(r);
  }
  if (home != nullptr) reconcile_on(home);
}

}  // namespace mco::signal
