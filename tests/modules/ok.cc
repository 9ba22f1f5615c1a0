// Copyright 2026 The mco Authors.
//
// Test module: prints the scheduler's configuration and returns args[1]
// (default 0) as its exit code.

#include <cstdio>
#include <cstdlib>

#include "mco/module.h"

MCO_MAIN(args) {
  std::printf("ok workers=%d stack_size=%zu\n", mco::num_workers(),
              mco::default_stack_size());
  return args.size() > 1 ? std::atoi(args[1].c_str()) : 0;
}
