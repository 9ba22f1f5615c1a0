// Copyright 2026 The mco Authors.
//
// Half of the cross-module test (//tests:cross_module_test): makes a channel
// and a WaitGroup here, fills the channel from a coroutine spawned here.

#include <string>

#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/sync/wait_group.h"

extern "C" __attribute__((visibility("default"))) void* mco_test_make_chan(
    int n, mco::sync::WaitGroup* wg) {
  auto* ch = new mco::Chan<std::string>(4);
  wg->add(1);
  mco::go([c = *ch, n, wg]() mutable {
    for (int i = 0; i < n; ++i) c.send("v" + std::to_string(i));
    c.close();
    wg->done();
  }).detach();
  return ch;
}

extern "C" __attribute__((visibility("default"))) void mco_test_free_chan(
    void* ch) {
  delete static_cast<mco::Chan<std::string>*>(ch);
}
