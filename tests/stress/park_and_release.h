// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: park_and_release.h
// -----------------------------------------------------------------------------
//
// `park_and_release(how, n)`: parks `n` coroutines on one gate (a channel
// that gets closed, or a WaitGroup that reaches zero), opens it and checks
// that each of them ran exactly once after the gate opened and that none is
// left live. Run from the main coroutine of `mco::run`.

#ifndef MCO_TESTS_STRESS_PARK_AND_RELEASE_H_
#define MCO_TESTS_STRESS_PARK_AND_RELEASE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/sync/wait_group.h"
#include "runtime/coroutine.h"

namespace mco_stress {

enum class Release { kChanClose, kWaitGroup };

// Waits (yielding, bounded) until no coroutine but the caller is live, and
// fails if some are left: a coroutine record that outlives its work leaked.
inline void expect_only_caller_live(const char* what) {
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (mco::rt::live_coroutines() > 1 &&
         std::chrono::steady_clock::now() < give_up) {
    mco::yield_now();
  }
  EXPECT_EQ(mco::rt::live_coroutines(), 1) << what;
}

inline void park_and_release(Release how, int n) {
  std::vector<std::atomic<uint8_t>> ran(static_cast<size_t>(n));
  std::atomic<int> arrived{0};
  mco::Chan<int> gate(0);
  mco::sync::WaitGroup wg_gate;
  wg_gate.add(1);
  mco::sync::WaitGroup finished;
  finished.add(n);
  // The smallest stacks: a parked coroutine then costs about one page.
  mco::Builder small;
  small.stack_size(mco::kMinStackSize);
  for (int i = 0; i < n; ++i) {
    small
        .spawn([&, i] {
          arrived.fetch_add(1, std::memory_order_relaxed);
          if (how == Release::kChanClose) {
            if (gate.recv().has_value()) std::abort();  // closed: nullopt
          } else {
            wg_gate.wait();
          }
          ran[i].fetch_add(1, std::memory_order_relaxed);
          finished.done();
        })
        .detach();
  }
  // Let them all reach the gate (yielding, not sleeping).
  while (arrived.load() < n) mco::yield_now();
  EXPECT_EQ(mco::rt::live_coroutines(), int64_t{n} + 1)
      << "coroutines live at the gate";
  int early = 0;
  for (int i = 0; i < n; ++i) early += ran[i].load();
  EXPECT_EQ(early, 0) << "ran before the gate opened";
  const auto t0 = std::chrono::steady_clock::now();
  if (how == Release::kChanClose) {
    gate.close();
  } else {
    wg_gate.done();
  }
  finished.wait();
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - t0)
                        .count();
  int wrong = 0;
  for (int i = 0; i < n; ++i) wrong += ran[i].load() != 1;
  EXPECT_EQ(wrong, 0) << "coroutines that did not run exactly once";
  std::printf("%d parked coroutines (%s) released in %.0f ms\n", n,
              how == Release::kChanClose ? "channel close" : "WaitGroup", ms);
  expect_only_caller_live("after the release");
}

}  // namespace mco_stress

#endif  // MCO_TESTS_STRESS_PARK_AND_RELEASE_H_
