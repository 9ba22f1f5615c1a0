// Copyright 2026 The mco Authors.
//
// The mco side of the mco-vs-Go benchmark suite (tools/bench/compare.sh).
// Each subcommand is one benchmark; its Go twin is the subcommand of the
// same name in tools/bench/go/suite/main.go, with the same algorithm, the
// same counts and the same verification. Keep the two files in step.
//
//   mco_suite BENCHMARK [--n=N] [--workers=N] [--stack=SIZE]
//
// BENCHMARK   what --n counts (default)                     result keys
// spawn       coroutines (1,000,000)                        ns_per_op,
// peak_rss_mb yield       yields per coroutine, 2 coroutines (5,000,000)
// ns_per_op chan_pingpong  round trips (1,000,000)                    ns_per_op
// chan_mpmc   ints moved by 4 producers to 4 consumers (10,000,000)
//                                                           mitems_per_s
// mutex       lock/unlock pairs per coroutine, 1000 coroutines (10,000)
//                                                           ns_per_op
// timers      coroutines sleeping 10 x 10 ms (100,000)      wall_ms
// idle_mem    coroutines parked on one channel (1,000,000)  kb_per_op
//
// --workers=N: worker threads, 0 (the default) for one per hardware thread;
// `yield` always runs on one worker. --stack=SIZE (e.g. 64K): the default
// stack size, for the scaling study (the suite uses mco's default).
//
// Output: exactly one line on stdout,
//   result BENCHMARK workers=W n=N KEY=VALUE...
// and exit status 0, or a line on stderr and exit status 1 if the result
// failed its check (a lost wake-up, a wrong sum, a short sleep...).
//
// The clock starts once the scheduler is up (Go's runtime is also up before
// its main runs) and stops when the last coroutine has been waited for.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>

#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/sync/mutex.h"
#include "mco/sync/wait_group.h"
#include "mco/this_coroutine.h"

namespace {

using Clock = std::chrono::steady_clock;

double ns_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
}

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or -1.
long status_kb(const char* field) {
  std::ifstream f("/proc/self/status");
  const size_t len = std::strlen(field);
  std::string line;
  while (std::getline(f, line)) {
    if (line.compare(0, len, field) == 0 && line.size() > len &&
        line[len] == ':') {
      return std::atol(line.c_str() + len + 1);
    }
  }
  return -1;
}

int fail(const char* bench, const std::string& what) {
  std::fprintf(stderr, "mco_suite %s: FAILED: %s\n", bench, what.c_str());
  return 1;
}

// Prints the result line: "result BENCH workers=W n=N " + `fields`.
void report(const char* bench, long n, const std::string& fields) {
  std::printf("result %s workers=%d n=%ld %s\n", bench, mco::num_workers(), n,
              fields.c_str());
  std::fflush(stdout);
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// spawn: n coroutines that each only signal a WaitGroup; ns per coroutine
// and the process's peak RSS.
int spawn(long n) {
  mco::sync::WaitGroup wg;
  wg.add(n);
  const auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    mco::go([&wg] { wg.done(); }).detach();
  }
  wg.wait();
  const double ns = ns_since(t0);
  if (wg.count() != 0) return fail("spawn", "WaitGroup not at zero");
  const long hwm = status_kb("VmHWM");
  if (hwm <= 0) return fail("spawn", "no VmHWM in /proc/self/status");
  report("spawn", n,
         "ns_per_op=" + fmt("%.1f", ns / n) +
             " peak_rss_mb=" + fmt("%.1f", hwm / 1024.0));
  return 0;
}

// yield: two coroutines on one worker each yield n times.
int yield(long n) {
  std::atomic<long> total{0};
  mco::sync::WaitGroup wg;
  wg.add(2);
  auto body = [&] {
    long count = 0;
    for (long i = 0; i < n; ++i) {
      mco::yield_now();
      ++count;
    }
    total.fetch_add(count);
    wg.done();
  };
  const auto t0 = Clock::now();
  mco::go(body).detach();
  mco::go(body).detach();
  wg.wait();
  const double ns = ns_since(t0);
  if (total.load() != 2 * n) return fail("yield", "wrong yield count");
  report("yield", n, "ns_per_op=" + fmt("%.1f", ns / (2.0 * n)));
  return 0;
}

// chan_pingpong: main sends i on an unbuffered channel, an echo coroutine
// sends it back on another; n round trips, each answer checked.
int chan_pingpong(long n) {
  mco::Chan<int64_t> ping(0);
  mco::Chan<int64_t> pong(0);
  mco::sync::WaitGroup wg;
  wg.add(1);
  const auto t0 = Clock::now();
  mco::go([&] {
    for (int64_t v : ping) pong.send(std::move(v));
    wg.done();
  }).detach();
  for (int64_t i = 0; i < n; ++i) {
    ping.send(int64_t{i});
    std::optional<int64_t> r = pong.recv();
    if (!r || *r != i) return fail("chan_pingpong", "wrong value back");
  }
  ping.close();
  wg.wait();
  const double ns = ns_since(t0);
  report("chan_pingpong", n, "ns_per_op=" + fmt("%.1f", ns / n));
  return 0;
}

// chan_mpmc: 4 producers send the ints 0..n-1 (a quarter each) into one
// channel of capacity 1024; 4 consumers sum what they receive until it is
// closed. The count and the sum are checked.
int chan_mpmc(long n) {
  constexpr int kProducers = 4;
  constexpr int kConsumers = 4;
  if (n % kProducers != 0) return fail("chan_mpmc", "n must divide by 4");
  const int64_t per = n / kProducers;
  mco::Chan<int64_t> ch(1024);
  mco::sync::WaitGroup producers;
  mco::sync::WaitGroup consumers;
  std::atomic<int64_t> sum{0};
  std::atomic<int64_t> count{0};
  producers.add(kProducers);
  consumers.add(kConsumers);
  const auto t0 = Clock::now();
  for (int c = 0; c < kConsumers; ++c) {
    mco::go([&] {
      int64_t s = 0;
      int64_t k = 0;
      for (int64_t v : ch) {
        s += v;
        ++k;
      }
      sum.fetch_add(s);
      count.fetch_add(k);
      consumers.done();
    }).detach();
  }
  for (int p = 0; p < kProducers; ++p) {
    mco::go([&, p] {
      const int64_t base = p * per;
      for (int64_t i = 0; i < per; ++i) ch.send(base + i);
      producers.done();
    }).detach();
  }
  producers.wait();
  ch.close();
  consumers.wait();
  const double ns = ns_since(t0);
  const int64_t want = int64_t{n} * (n - 1) / 2;
  if (count.load() != n) return fail("chan_mpmc", "wrong item count");
  if (sum.load() != want) return fail("chan_mpmc", "wrong sum");
  report("chan_mpmc", n, "mitems_per_s=" + fmt("%.2f", n / ns * 1e3));
  return 0;
}

// mutex: 1000 coroutines each lock one mutex, increment a shared counter and
// unlock, n times; the counter is checked.
int mutex(long n) {
  constexpr int kCoroutines = 1000;
  mco::sync::Mutex mu;
  int64_t counter = 0;
  mco::sync::WaitGroup wg;
  wg.add(kCoroutines);
  const auto t0 = Clock::now();
  for (int c = 0; c < kCoroutines; ++c) {
    mco::go([&] {
      for (long i = 0; i < n; ++i) {
        mu.lock();
        ++counter;
        mu.unlock();
      }
      wg.done();
    }).detach();
  }
  wg.wait();
  const double ns = ns_since(t0);
  mu.lock();
  const int64_t final_count = counter;
  mu.unlock();
  if (final_count != int64_t{kCoroutines} * n) {
    return fail("mutex", "wrong count");
  }
  report("mutex", n,
         "ns_per_op=" + fmt("%.1f", ns / (double(kCoroutines) * n)));
  return 0;
}

// timers: n coroutines each sleep 10 ms ten times in a row; wall time of the
// whole (ideal: 100 ms). Checks every sleep happened and no coroutine took
// less than 100 ms.
int timers(long n) {
  constexpr int kSleeps = 10;
  constexpr auto kSleep = std::chrono::milliseconds(10);
  mco::sync::WaitGroup wg;
  std::atomic<long> sleeps{0};
  std::atomic<long> too_short{0};
  wg.add(n);
  const auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    mco::go([&] {
      const auto start = Clock::now();
      long k = 0;
      for (int s = 0; s < kSleeps; ++s) {
        mco::sleep(kSleep);
        ++k;
      }
      if (Clock::now() - start < kSleeps * kSleep) too_short.fetch_add(1);
      sleeps.fetch_add(k);
      wg.done();
    }).detach();
  }
  wg.wait();
  const double ns = ns_since(t0);
  if (sleeps.load() != n * kSleeps) return fail("timers", "lost sleeps");
  if (too_short.load() != 0) return fail("timers", "a sleep ended early");
  report("timers", n, "wall_ms=" + fmt("%.1f", ns / 1e6));
  return 0;
}

// idle_mem: n coroutines park receiving on one unbuffered channel; RSS delta
// per parked coroutine. Then the channel is closed and every coroutine must
// wake and see it closed.
int idle_mem(long n) {
  mco::Chan<int> ch(0);
  mco::sync::WaitGroup wg;
  std::atomic<long> started{0};
  std::atomic<long> woke{0};
  wg.add(n);
  const long before = status_kb("VmRSS");
  const auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    mco::go([&] {
      started.fetch_add(1);
      if (!ch.recv().has_value()) woke.fetch_add(1);
      wg.done();
    }).detach();
  }
  while (started.load() < n) mco::sleep(std::chrono::milliseconds(1));
  mco::sleep(std::chrono::milliseconds(100));  // the last ones reach recv()
  const long during = status_kb("VmRSS");
  const double park_ns = ns_since(t0);
  const auto t1 = Clock::now();
  ch.close();
  wg.wait();
  const double wake_ns = ns_since(t1);
  if (woke.load() != n) return fail("idle_mem", "not every coroutine woke");
  if (before <= 0 || during <= before) return fail("idle_mem", "bad VmRSS");
  report("idle_mem", n,
         "kb_per_op=" + fmt("%.3f", double(during - before) / n) +
             " rss_delta_mb=" + fmt("%.1f", (during - before) / 1024.0) +
             " park_ms=" + fmt("%.0f", park_ns / 1e6) +
             " wake_ms=" + fmt("%.0f", wake_ns / 1e6));
  return 0;
}

struct Bench {
  const char* name;
  long default_n;
  int (*fn)(long);
};

constexpr Bench kBenches[] = {
    {"spawn", 1'000'000, spawn},
    {"yield", 5'000'000, yield},
    {"chan_pingpong", 1'000'000, chan_pingpong},
    {"chan_mpmc", 10'000'000, chan_mpmc},
    {"mutex", 10'000, mutex},
    {"timers", 100'000, timers},
    {"idle_mem", 1'000'000, idle_mem},
};

// Parses "--NAME=VALUE" into *out; false if `arg` is not --NAME=.
bool flag(const char* arg, const char* name, long min, long* out) {
  const std::string prefix = std::string("--") + name + "=";
  if (std::strncmp(arg, prefix.c_str(), prefix.size()) != 0) return false;
  char* end = nullptr;
  const char* text = arg + prefix.size();
  const long v = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v < min) {
    std::fprintf(stderr, "mco_suite: bad %s\n", arg);
    std::exit(2);
  }
  *out = v;
  return true;
}

int usage() {
  std::fprintf(
      stderr,
      "usage: mco_suite BENCHMARK [--n=N] [--workers=N] [--stack=SIZE]\n");
  std::fprintf(stderr, "benchmarks:");
  for (const Bench& b : kBenches) std::fprintf(stderr, " %s", b.name);
  std::fprintf(stderr, "\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const Bench* bench = nullptr;
  for (const Bench& b : kBenches) {
    if (std::strcmp(argv[1], b.name) == 0) bench = &b;
  }
  if (bench == nullptr) return usage();
  long n = bench->default_n;
  long workers = 0;
  size_t stack = 0;
  for (int i = 2; i < argc; ++i) {
    if (std::strncmp(argv[i], "--stack=", 8) == 0) {
      if (!mco::parse_byte_size(argv[i] + 8, &stack)) {
        std::fprintf(stderr, "mco_suite: bad %s\n", argv[i]);
        return 2;
      }
      continue;
    }
    if (!flag(argv[i], "n", 1, &n) && !flag(argv[i], "workers", 0, &workers)) {
      return usage();
    }
  }
  if (std::strcmp(bench->name, "yield") == 0) workers = 1;
  return mco::run({.workers = static_cast<int>(workers), .stack_size = stack},
                  [bench, n] { return bench->fn(n); });
}
