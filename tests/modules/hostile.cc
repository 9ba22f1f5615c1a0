// Copyright 2026 The mco Authors.
//
// Test module: misbehaves as args[1] says, for mco-run's robustness tests.
//   segv      a coroutine named "crasher" writes through a null pointer
//   overflow  a coroutine named "recurser" recurses until its stack ends
//   spin      prints "spinning" and never returns nor yields (SIGTERM ends it)
//   deadlock  main waits on a channel nobody sends to, while a coroutine
//             named "locker" waits on a mutex main holds

#include <cstdio>
#include <string>

#include "mco/chan/chan.h"
#include "mco/module.h"
#include "mco/sync/mutex.h"

namespace {

// Not checked by UBSan (which would stop the process first when it halts on
// errors): the fault itself is what mco-run's crash report is tested on.
__attribute__((noinline, no_sanitize("null"))) void write_through_null() {
  int* volatile p = nullptr;  // the compiler cannot see it is null
  *static_cast<volatile int*>(p) = 1;
}

__attribute__((noinline)) int recurse(int depth) {
  volatile char pad[1024];
  pad[0] = static_cast<char>(depth);
  return recurse(depth + 1) + pad[0];
}

}  // namespace

MCO_MAIN(args) {
  const std::string mode = args.size() > 1 ? args[1] : "";
  if (mode == "segv") {
    mco::go_named("crasher", [] { write_through_null(); }).join();
  } else if (mode == "overflow") {
    mco::go_named("recurser", [] { return recurse(0); }).join();
  } else if (mode == "spin") {
    std::printf("spinning\n");
    std::fflush(stdout);
    for (volatile bool forever = true; forever;) {
    }
  } else if (mode == "deadlock") {
    mco::Chan<int> never(0);
    mco::sync::Mutex mu;
    mu.lock();
    auto locker = mco::go_named("locker", [&mu] {
      mu.lock();
      mu.unlock();
    });
    (void)never.recv();
    mu.unlock();
    locker.join();
  } else {
    std::fprintf(stderr, "hostile: unknown mode '%s'\n", mode.c_str());
    return 1;
  }
  return 0;
}
