// Copyright 2026 The mco Authors.
//
// The other half of the cross-module test: drains a channel made in another
// module, in a coroutine spawned here.

#include <string>

#include "mco/chan/chan.h"
#include "mco/go.h"

extern "C" __attribute__((visibility("default"))) long mco_test_consume(
    void* p) {
  mco::Chan<std::string> ch = *static_cast<mco::Chan<std::string>*>(p);
  auto h = mco::go([ch]() mutable {
    long sum = 0;
    for (std::string s : ch) sum += std::stol(s.substr(1));
    return sum;
  });
  return h.join();
}
