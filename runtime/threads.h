// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: threads.h
// -----------------------------------------------------------------------------
//
// The runtime's own threads, so the deadlock detector (monitor.h) can tell
// whether the process has any other: a plain thread of the program might
// still wake a coroutine (close a channel, call `WaitGroup::done`), and
// while one is alive a quiet scheduler is not a deadlock.
//
// The runtime's threads are the workers, the monitor, offload threads and
// the thread waiting inside `mco::run`, each registered by thread id while
// it runs (`RuntimeThread`), and libuv's thread pool, which `boot` starts
// once per process from a thread named "mco-uvpool" so that its threads
// inherit the name. If the program started libuv's pool before (by using
// libuv itself), those threads count as the program's: the detector then
// stays quiet rather than risk a false report.
//
// Under ThreadSanitizer the threads alive when the pool is prepared (TSan's
// own background thread among them) are not counted either.

#ifndef MCO_RUNTIME_THREADS_H_
#define MCO_RUNTIME_THREADS_H_

namespace mco::rt {

// RuntimeThread
//
// Registers the calling thread as the runtime's for its scope.
class RuntimeThread {
 public:
  RuntimeThread();
  ~RuntimeThread();
  RuntimeThread(const RuntimeThread&) = delete;
  RuntimeThread& operator=(const RuntimeThread&) = delete;

 private:
  int tid_;
};

// Starts libuv's thread pool from a thread named "mco-uvpool" (once per
// process; later calls return at once).
void prepare_uv_pool();

// True if a thread other than the runtime's is alive (reads
// /proc/self/task; for the monitor, not for hot paths).
[[nodiscard]] bool foreign_threads_alive();

// Names the calling thread (at most 15 characters shown), e.g. "mco-w0".
void name_this_thread(const char* name);

}  // namespace mco::rt

#endif  // MCO_RUNTIME_THREADS_H_
