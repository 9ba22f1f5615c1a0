// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: test_util.h
// -----------------------------------------------------------------------------
//
// Helpers shared by the tests: a fixture that runs a test body as the main
// coroutine on a parameterised number of workers, and a one-shot event.

#ifndef MCO_TESTS_TEST_UTIL_H_
#define MCO_TESTS_TEST_UTIL_H_

#include <atomic>
#include <utility>

#include "gtest/gtest.h"
#include "mco/runtime.h"
#include "mco/waker.h"

namespace mco_test {

// Sanitizer builds run the same tests with smaller counts: TSan counts every
// coroutine (a fiber) against its limit of 8128 threads, and both
// sanitizers are ~10x slower. `scaled(n)` is n, or n/20 (at least 1) under a
// sanitizer.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderSanitizer = true;
#else
inline constexpr bool kUnderSanitizer = false;
#endif
constexpr int scaled(int n) {
  return kUnderSanitizer ? (n / 20 > 0 ? n / 20 : 1) : n;
}

// For tests that create coroutines by the hundred thousand: under TSan every
// coroutine's fiber costs ~1 ms to create on these VMs (TSan clears a large
// thread state), so they run n/1000 (at least 1); under ASan n/20.
#if defined(__SANITIZE_THREAD__)
inline constexpr int kSpawnDivisor = 1000;
#elif defined(__SANITIZE_ADDRESS__)
inline constexpr int kSpawnDivisor = 20;
#else
inline constexpr int kSpawnDivisor = 1;
#endif
constexpr int scaled_spawns(int n) {
  return n / kSpawnDivisor > 0 ? n / kSpawnDivisor : 1;
}

// run_on_scheduler()
//
// Runs `body` as the main coroutine of `mco::run` with `workers` workers;
// a test failure if the run does not return 0.
template <typename F>
void run_on_scheduler(int workers, F body) {
  int rc = mco::run({.workers = workers}, [&] {
    body();
    return 0;
  });
  ASSERT_EQ(rc, 0);
}

// WorkersTest
//
// Parameterised by the number of workers; `on_scheduler(body)` runs `body`
// as the main coroutine of `mco::run` with that many workers.
class WorkersTest : public ::testing::TestWithParam<int> {
 protected:
  template <typename F>
  void on_scheduler(F body) {
    run_on_scheduler(GetParam(), std::move(body));
  }
};

// Event
//
// A one-shot event whose waiter is whoever created it (coroutine or thread).
class Event {
 public:
  Event() : waiter_(mco::current_waker()) {}
  void set() {
    mco::Waker w = waiter_;  // the waiter may destroy *this once flag_ is set
    flag_.store(true);
    w.unpark();
  }
  void wait() {
    while (!flag_.load()) mco::park();
  }

 private:
  mco::Waker waiter_;
  std::atomic<bool> flag_{false};
};

}  // namespace mco_test

#endif  // MCO_TESTS_TEST_UTIL_H_
