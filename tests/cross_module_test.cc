// Copyright 2026 The mco Authors.
//
// stdlib types cross module boundaries: a channel and a WaitGroup made in one
// module (a shared object loaded like mco-run loads modules) are used by
// another module and by the program that loaded them. There is one copy of
// the runtime's state, in this program; the modules hold none.

#include <dlfcn.h>

#include <string>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/runtime.h"
#include "mco/sync/wait_group.h"

namespace {

void* load(const char* path) {
  void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  EXPECT_NE(h, nullptr) << dlerror();
  return h;
}

TEST(CrossModule, ChannelMadeInOneModuleDrainedInAnother) {
  void* producer = load("tests/modules/chan_producer.so");
  void* consumer = load("tests/modules/chan_consumer.so");
  ASSERT_TRUE(producer != nullptr && consumer != nullptr);
  using Make = void* (*)(int, mco::sync::WaitGroup*);
  using Free = void (*)(void*);
  using Consume = long (*)(void*);
  auto make = reinterpret_cast<Make>(dlsym(producer, "mco_test_make_chan"));
  auto free_chan =
      reinterpret_cast<Free>(dlsym(producer, "mco_test_free_chan"));
  auto consume = reinterpret_cast<Consume>(dlsym(consumer, "mco_test_consume"));
  ASSERT_TRUE(make && free_chan && consume);
  int rc = mco::run({.workers = 2}, [&] {
    // Module -> module.
    mco::sync::WaitGroup wg;
    void* ch = make(100, &wg);
    EXPECT_EQ(consume(ch), 99 * 100 / 2);
    wg.wait();  // the producer's coroutine signalled a WaitGroup made here
    free_chan(ch);
    // Module -> this program.
    mco::sync::WaitGroup wg2;
    void* ch2 = make(10, &wg2);
    auto& c = *static_cast<mco::Chan<std::string>*>(ch2);
    int n = 0;
    for (std::string s : c) EXPECT_EQ(s, "v" + std::to_string(n++));
    EXPECT_EQ(n, 10);
    wg2.wait();
    free_chan(ch2);
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

}  // namespace
