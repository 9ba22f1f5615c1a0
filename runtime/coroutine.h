// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: coroutine.h
// -----------------------------------------------------------------------------
//
// The coroutine record (Go's "G"): everything the runtime knows about one
// coroutine. Internal to the runtime; user code sees it through
// `mco::JoinHandle` and `mco::this_coroutine`.
//
// Lifetime: the record is reference-counted. The scheduler holds one
// reference from spawn until the coroutine has finished; a JoinHandle, a
// Waker and a pending timer each hold one. The stack goes back to the pool as
// soon as the coroutine finishes; the record lives on until the last
// reference goes.
//
// Completion: `finish()` marks the coroutine done and wakes its joiners;
// `wait_done()` parks until then. If the coroutine ended with an exception
// other than `mco::Cancelled` and nobody will observe it (its handle was
// dropped without `join()`), it is reported on stderr with its id and name.

#ifndef MCO_RUNTIME_COROUTINE_H_
#define MCO_RUNTIME_COROUTINE_H_

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "runtime/clock.h"
#include "runtime/park.h"
#include "runtime/spinlock.h"
#include "runtime/stack_pool.h"

namespace mco::rt {

struct Worker;

// What a coroutine asks of the scheduler when it switches out.
enum class SwitchAction : uint8_t { kNone, kYield, kPark, kExit };

// One coroutine-local value and how to destroy it.
struct LocalSlot {
  void* value = nullptr;
  void (*destroy)(void*) = nullptr;
};

// Saved C++ exception-handling state (see scheduler.cc: each coroutine has
// its own chain of caught exceptions).
struct EhState {
  void* caught = nullptr;
  unsigned int uncaught = 0;
};

// A coroutine's name, stored out of line only when not empty (one pointer in
// the record; most coroutines have no name).
class CoroutineName {
 public:
  explicit CoroutineName(std::string name)
      : name_(name.empty() ? nullptr : new std::string(std::move(name))) {}
  [[nodiscard]] const std::string& str() const {
    static const std::string* const empty = new std::string();
    return name_ != nullptr ? *name_ : *empty;
  }
  // Allocates nothing (unlike the first `str()`): the crash report calls it
  // from the SIGSEGV handler.
  [[nodiscard]] const char* c_str() const {
    return name_ != nullptr ? name_->c_str() : "";
  }
  [[nodiscard]] bool empty() const { return name_ == nullptr; }

 private:
  std::unique_ptr<const std::string> name_;
};

// Joiners and done-callbacks, allocated on first use (under `done_mu`): a
// coroutine nobody joins before it ends never needs them.
struct Completion {
  std::vector<std::pair<Parker*, Parker::Token>> joiners;
  std::vector<absl::AnyInvocable<void()>> on_done;  // run once, at finish
};

struct Coroutine {
  Coroutine(uint64_t id_in, std::string name_in,
            absl::AnyInvocable<void()> body_in)
      : id(id_in),
        name(std::move(name_in)),
        body(std::move(body_in)),
        parker(this) {}

  // The one-byte fields come first, packed together, so the record stays
  // within 224 bytes (a mimalloc size class; checked in coroutine.cc): one
  // is allocated per coroutine and a parked coroutine costs little else.

  // --- context (owned by the thread running or resuming it) ---
  void* sp = nullptr;
  Stack stack;
  const void* low_water = nullptr;  // lowest sp seen at a switch
  EhState eh;
  SwitchAction action = SwitchAction::kNone;

  // --- small state (see the groups below for what guards each) ---
  bool cancelled_exit = false;                 // ended by an escaped Cancelled
  WaitReason wait_reason = WaitReason::kNone;  // while parked
  std::atomic<bool> permit{false};             // Waker's park permit
  std::atomic<bool> cancel_requested{false};  // JoinHandle::cancel() was called
  SpinLock done_mu;                           // guards the completion group
  std::atomic<bool> done{false};              // finished (under done_mu)
  bool detached = false;  // no handle will join it (under done_mu)
  bool observed = false;  // join() took the outcome (under done_mu)
  int defer_cancel = 0;   // DeferCancel depth; touched only by the coroutine
  std::atomic<int> refs{1};

  void* asan_fake_stack = nullptr;  // ASan's saved fake stack (sanitizers.h)
  void* tsan_fiber = nullptr;       // TSan's fiber (sanitizers.h)

  // --- identity ---
  const uint64_t id;
  const CoroutineName name;

  // --- body and outcome ---
  absl::AnyInvocable<void()> body;
  std::exception_ptr exception;  // set before `done`

  // --- waiting ---
  Parker parker;
  std::atomic<Parker::Token> permit_token{0};  // episode of a Waker park

  // --- completion (under done_mu) ---
  std::unique_ptr<Completion> completion;  // created on first use

  // --- coroutine-local storage, indexed by key (created on first use) ---
  std::unique_ptr<std::vector<LocalSlot>> locals;

  // --- registry (all live coroutines) ---
  Coroutine* reg_prev = nullptr;
  Coroutine* reg_next = nullptr;
};

// Reference counting. `unref` deletes the record at zero.
inline void ref(Coroutine* co) {
  co->refs.fetch_add(1, std::memory_order_relaxed);
}
void unref(Coroutine* co);

// Parks the caller until `co` is done or `deadline`; true if done. A
// cancellation request of the caller ends the wait with false and sets
// *cancelled.
bool wait_done(Coroutine* co, Nanos deadline, bool* cancelled);

// Runs `fn` when `co` is done: at once (on the caller) if it already is,
// otherwise on the worker that finishes it, between coroutines (so `fn`
// must not block).
void on_done(Coroutine* co, absl::AnyInvocable<void()> fn);

// Marks `co` done, wakes joiners, reports an unobserved panic if detached.
// Called by the scheduler after the coroutine left its stack.
void finish(Coroutine* co);

// The handle is gone: if `observed` is false and the coroutine ends (or
// ended) with a panic, report it.
void detach(Coroutine* co, bool observed);

// Destroys every coroutine-local value of `co` (runs on its stack).
void destroy_locals(std::vector<LocalSlot>& locals);

// Registry of live coroutines.
void registry_add(Coroutine* co);
void registry_remove(Coroutine* co);
// Every live coroutine, each with a reference the caller drops (unref).
std::vector<Coroutine*> registry_snapshot();
// Requests cancellation of every live coroutine except `except`.
void registry_cancel_all(Coroutine* except);
// Number of live (spawned, not finished) coroutines.
int64_t live_coroutines();
// Blocks the calling plain thread until no coroutine but `except` is live or
// `deadline` passes; true if none is live.
bool wait_no_live(Nanos deadline, int64_t allowed);

// Requests cancellation of `co` (JoinHandle::cancel).
void request_cancel(Coroutine* co);

// True if `co` (may be null: a plain thread) has a cancellation request that
// its next blocking call must act on (not deferred by DeferCancel).
inline bool cancel_pending(const Coroutine* co) {
  return co != nullptr && co->defer_cancel == 0 &&
         co->cancel_requested.load(std::memory_order_acquire);
}

}  // namespace mco::rt

#endif  // MCO_RUNTIME_COROUTINE_H_
