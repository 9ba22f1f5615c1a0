// Copyright 2026 The mco Authors.
//
// Test module: the entry point throws.
//   (no args)  std::runtime_error("boom") from the main coroutine
//   child      std::runtime_error("boom from child"), thrown by a spawned
//              coroutine and rethrown by join()
//   int        an int (not derived from std::exception)

#include <stdexcept>
#include <string>

#include "mco/module.h"

MCO_MAIN(args) {
  const std::string mode = args.size() > 1 ? args[1] : "";
  if (mode == "int") throw 42;
  if (mode == "child") {
    auto child =
        mco::go([]() -> int { throw std::runtime_error("boom from child"); });
    return child.join();
  }
  throw std::runtime_error("boom");
}
