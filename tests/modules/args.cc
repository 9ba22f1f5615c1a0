// Copyright 2026 The mco Authors.
//
// Test module: prints the coroutine it runs as and its arguments, one per
// line, each between angle brackets.

#include <cstdio>
#include <string>

#include "mco/module.h"

MCO_MAIN(args) {
  const std::string name(mco::this_coroutine::name());
  std::printf("coroutine=%s\n", name.c_str());
  std::printf("argc=%zu\n", args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    std::printf("arg[%zu]=<%s>\n", i, args[i].c_str());
  }
  return 0;
}
