// Copyright 2026 The mco Authors.

#include "runtime/coroutine.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/cancelled.h"
#include "runtime/check.h"

namespace mco::rt {
namespace {

constexpr int kShards = 16;

struct Shard {
  SpinLock mu;
  Coroutine* head = nullptr;
};

struct Registry {
  Shard shards[kShards];
  std::atomic<int64_t> live{0};
  // Plain threads waiting for `live` to fall (shutdown).
  std::atomic<int> waiters{0};
  std::mutex mu;
  std::condition_variable cv;
};

Registry& registry() {
  static Registry* r = new Registry();
  return *r;
}

std::string describe(const Coroutine* co) {
  std::string s = "coroutine " + std::to_string(co->id);
  if (!co->name.empty()) s += " '" + co->name.str() + "'";
  return s;
}

void report_panic(const Coroutine* co) {
  std::string what;
  try {
    std::rethrow_exception(co->exception);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown exception";
  }
  report("%s panicked: %s", describe(co).c_str(), what.c_str());
}

bool is_panic(const Coroutine* co) {
  return co->exception != nullptr && !co->cancelled_exit;
}

}  // namespace

// One record per coroutine: keep it in mimalloc's 224-byte size class.
static_assert(sizeof(Coroutine) <= 224, "the coroutine record grew");

void unref(Coroutine* co) {
  if (co->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete co;
}

bool wait_done(Coroutine* co, Nanos deadline, bool* cancelled) {
  Parker& p = current_parker();
  co->done_mu.lock();
  if (co->done.load(std::memory_order_acquire)) {
    co->done_mu.unlock();
    return true;
  }
  const Parker::Token token = p.prepare(/*cancellable=*/true);
  if (co->completion == nullptr)
    co->completion = std::make_unique<Completion>();
  co->completion->joiners.emplace_back(&p, token);
  co->done_mu.unlock();
  const WakeReason r = p.park(token, WaitReason::kJoin, deadline);
  if (r == WakeReason::kNotified) return true;
  co->done_mu.lock();
  auto& joiners = co->completion->joiners;
  for (auto it = joiners.begin(); it != joiners.end(); ++it) {
    if (it->first == &p && it->second == token) {
      joiners.erase(it);
      break;
    }
  }
  const bool done = co->done.load(std::memory_order_acquire);
  co->done_mu.unlock();
  if (r == WakeReason::kCancelled) *cancelled = true;
  return done && r != WakeReason::kCancelled;
}

void on_done(Coroutine* co, absl::AnyInvocable<void()> fn) {
  co->done_mu.lock();
  if (!co->done.load(std::memory_order_acquire)) {
    if (co->completion == nullptr) {
      co->completion = std::make_unique<Completion>();
    }
    co->completion->on_done.push_back(std::move(fn));
    co->done_mu.unlock();
    return;
  }
  co->done_mu.unlock();
  fn();
}

void finish(Coroutine* co) {
  bool report_it = false;
  std::vector<absl::AnyInvocable<void()>> callbacks;
  co->done_mu.lock();
  co->done.store(true, std::memory_order_release);
  if (co->completion != nullptr) {
    for (auto& [parker, token] : co->completion->joiners) {
      parker->unpark(token);
    }
    co->completion->joiners.clear();
    callbacks.swap(co->completion->on_done);
  }
  report_it = co->detached && !co->observed && is_panic(co);
  co->done_mu.unlock();
  for (auto& fn : callbacks) fn();
  if (report_it) report_panic(co);
}

void detach(Coroutine* co, bool observed) {
  bool report_it = false;
  co->done_mu.lock();
  co->detached = true;
  co->observed = co->observed || observed;
  report_it =
      co->done.load(std::memory_order_acquire) && !co->observed && is_panic(co);
  co->done_mu.unlock();
  if (report_it) report_panic(co);
}

void destroy_locals(std::vector<LocalSlot>& locals) {
  // A destructor may create another local; go round until none is left.
  for (int round = 0; round < 8; ++round) {
    bool any = false;
    for (size_t i = 0; i < locals.size(); ++i) {
      LocalSlot slot = locals[i];
      if (slot.value == nullptr) continue;
      locals[i] = LocalSlot{};
      slot.destroy(slot.value);
      any = true;
    }
    if (!any) break;
  }
  locals.clear();
}

void registry_add(Coroutine* co) {
  Shard& s = registry().shards[co->id % kShards];
  std::lock_guard<SpinLock> lock(s.mu);
  co->reg_prev = nullptr;
  co->reg_next = s.head;
  if (s.head != nullptr) s.head->reg_prev = co;
  s.head = co;
  registry().live.fetch_add(1, std::memory_order_relaxed);
}

void registry_remove(Coroutine* co) {
  Registry& r = registry();
  {
    Shard& s = r.shards[co->id % kShards];
    std::lock_guard<SpinLock> lock(s.mu);
    if (co->reg_prev != nullptr) {
      co->reg_prev->reg_next = co->reg_next;
    } else {
      s.head = co->reg_next;
    }
    if (co->reg_next != nullptr) co->reg_next->reg_prev = co->reg_prev;
    co->reg_prev = co->reg_next = nullptr;
  }
  r.live.fetch_sub(1, std::memory_order_seq_cst);
  if (r.waiters.load(std::memory_order_seq_cst) > 0) {
    std::lock_guard<std::mutex> lock(r.mu);
    r.cv.notify_all();
  }
}

void request_cancel(Coroutine* co) {
  co->cancel_requested.store(true, std::memory_order_seq_cst);
  co->parker.unpark_if_cancellable();
}

void registry_cancel_all(Coroutine* except) {
  for (Shard& s : registry().shards) {
    std::lock_guard<SpinLock> lock(s.mu);
    for (Coroutine* co = s.head; co != nullptr; co = co->reg_next) {
      if (co != except) request_cancel(co);
    }
  }
}

std::vector<Coroutine*> registry_snapshot() {
  std::vector<Coroutine*> all;
  all.reserve(static_cast<size_t>(std::max<int64_t>(live_coroutines(), 0)));
  for (Shard& s : registry().shards) {
    std::lock_guard<SpinLock> lock(s.mu);
    for (Coroutine* co = s.head; co != nullptr; co = co->reg_next) {
      ref(co);
      all.push_back(co);
    }
  }
  return all;
}

int64_t live_coroutines() {
  return registry().live.load(std::memory_order_acquire);
}

bool wait_no_live(Nanos deadline, int64_t allowed) {
  Registry& r = registry();
  r.waiters.fetch_add(1, std::memory_order_seq_cst);
  std::unique_lock<std::mutex> lock(r.mu);
  bool ok = true;
  while (r.live.load(std::memory_order_seq_cst) > allowed) {
    const Nanos now = now_nanos();
    if (now >= deadline) {
      ok = false;
      break;
    }
    r.cv.wait_for(lock, std::chrono::nanoseconds(
                            std::min<Nanos>(deadline - now, 100000000)));
  }
  lock.unlock();
  r.waiters.fetch_sub(1, std::memory_order_seq_cst);
  return ok;
}

}  // namespace mco::rt
