// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: spinlock.h
// -----------------------------------------------------------------------------
//
// A small test-and-test-and-set lock for the runtime's short critical sections
// (run queues, wait lists). It spins briefly, then yields the thread, so it
// never burns a core for long. Not for user code: it does not park
// coroutines. Satisfies Lockable, so `std::lock_guard` works.
//
// Memory ordering: `lock()` acquires, `unlock()` releases.

#ifndef MCO_RUNTIME_SPINLOCK_H_
#define MCO_RUNTIME_SPINLOCK_H_

#include <sched.h>

#include <atomic>

#include "absl/base/thread_annotations.h"

namespace mco::rt {

class ABSL_LOCKABLE SpinLock {
 public:
  SpinLock() = default;
  SpinLock(const SpinLock&) = delete;
  SpinLock& operator=(const SpinLock&) = delete;

  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    for (int spins = 0;; ++spins) {
      if (!locked_.load(std::memory_order_relaxed) &&
          !locked_.exchange(true, std::memory_order_acquire)) {
        return;
      }
      if (spins < 64) {
        cpu_relax();
      } else {
        sched_yield();
      }
    }
  }

  [[nodiscard]] bool try_lock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }

  void unlock() ABSL_UNLOCK_FUNCTION() {
    locked_.store(false, std::memory_order_release);
  }

 private:
  static void cpu_relax() {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
  }

  std::atomic<bool> locked_{false};
};

}  // namespace mco::rt

#endif  // MCO_RUNTIME_SPINLOCK_H_
