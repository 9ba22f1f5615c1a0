// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: runtime.h
// -----------------------------------------------------------------------------
//
// The entry door to mco's scheduler for programs that link mco as a library
// (programs run by `mco-run` are already on the scheduler when their
// `MCO_MAIN` body starts).
//
// `mco::run()` boots the scheduler with `Config`, runs a function as the main
// coroutine, waits for it and returns what it returned. When the main
// coroutine returns, every coroutine still running is cancelled (its current
// or next blocking call throws `mco::Cancelled`) and given a short grace
// period to unwind; the scheduler then stops. An exception escaping the main
// function is rethrown by `run()` after that shutdown.
//
// Example:
//
//   int main() {
//     return mco::run({.workers = 4}, [] {
//       auto h = mco::go([] { return 6 * 7; });
//       return h.join() == 42 ? 0 : 1;
//     });
//   }
//
// One scheduler exists per process; `run()` may be called again after it
// returned, but not concurrently and not from inside a coroutine.

#ifndef MCO_STDLIB_RUNTIME_H_
#define MCO_STDLIB_RUNTIME_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace mco {

// The default maximum stack size of a coroutine: 6 MiB of address space, of
// which only the touched pages cost memory.
inline constexpr size_t kDefaultStackSize = size_t{6} << 20;

// The smallest stack a coroutine may ask for.
inline constexpr size_t kMinStackSize = size_t{16} << 10;

// Config
//
// How the scheduler boots. Zero means "the default".
struct Config {
  // Worker threads running coroutines. Default: the hardware threads.
  int workers = 0;
  // Default maximum stack size of a coroutine, in bytes (rounded up to whole
  // pages). Default: `kDefaultStackSize`.
  size_t stack_size = 0;
  // Reports a deadlock as Go does: when every coroutine is parked and only
  // another coroutine could wake one (no deadline, I/O, timer, signal
  // subscription or `ExternalWakeSource`), prints "mco: fatal: all coroutines
  // are asleep - deadlock!" and the coroutine dump on stderr and exits with
  // status 2. Never while a thread of the program's own is alive (it might
  // still wake a coroutine). Turn it off if something else (a C library's
  // callback) wakes coroutines without holding an `ExternalWakeSource`.
  bool detect_deadlock = true;
};

// run()
//
// Boots the scheduler, runs `main_fn` as the main coroutine (named "main") and
// returns its result once it and the shutdown described above are done.
// Must be called from a plain thread, never from a coroutine.
int run(const Config& config, std::function<int()> main_fn);

// Returns true while the scheduler is running (between boot and shutdown).
bool scheduler_running();

// Returns the number of worker threads of the running scheduler, or 0.
int num_workers();

// Returns the default maximum stack size in force (`Config::stack_size`).
size_t default_stack_size();

// coroutine_dump()
//
// Returns every live coroutine: id, name, state (running, runnable, parked on
// what) and, for those not running, a symbolised backtrace of where they
// stopped, like Go's goroutine dump. SIGQUIT prints the same on stderr (and
// the program goes on). Works from a coroutine or a plain thread; the
// scheduler pauses between coroutines while the dump is taken.
std::string coroutine_dump();

// ExternalWakeSource
//
// Tells the deadlock detector that the holder, something outside the
// coroutines (a C library's callback, a thread that is about to end), may
// still wake a parked coroutine: while one exists, no deadlock is reported.
// mco's own timers, I/O, offload and signal subscriptions count themselves,
// and so does every live thread that is not the runtime's.
//
//   std::thread feeder([ch, source = mco::ExternalWakeSource()] {
//     ch.send(compute());
//   });
class ExternalWakeSource {
 public:
  ExternalWakeSource();
  ~ExternalWakeSource();
  ExternalWakeSource(ExternalWakeSource&& other) noexcept;
  ExternalWakeSource& operator=(ExternalWakeSource&& other) noexcept;
  ExternalWakeSource(const ExternalWakeSource&) = delete;
  ExternalWakeSource& operator=(const ExternalWakeSource&) = delete;

 private:
  bool held_;
};

// Parses a byte size such as "65536", "64K", "64KiB", "6M", "1G" (powers of
// 1024; case-insensitive). Returns false on anything else or on overflow.
bool parse_byte_size(const std::string& text, size_t* out);

}  // namespace mco

#endif  // MCO_STDLIB_RUNTIME_H_
