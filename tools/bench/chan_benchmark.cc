// Copyright 2026 The mco Authors.
//
// Benchmarks of mco/chan: the unbuffered ping-pong round trip (two
// coroutines, two channels: the cost of two rendezvous, i.e. two parks and
// two wake-ups), the same through `select`, and buffered send/receive
// throughput between a producer and a consumer. The argument is the number
// of workers.
//
//   bazel run //tools/bench:chan_benchmark
//   bazel run //tools/bench:chan_benchmark -- --benchmark_filter=PingPong

#include <optional>

#include "benchmark/benchmark.h"
#include "mco/chan/chan.h"
#include "mco/chan/select.h"
#include "mco/go.h"
#include "mco/runtime.h"

namespace {

// Runs `body` as the main coroutine on `workers` workers.
template <typename F>
void on_scheduler(int workers, F body) {
  mco::run({.workers = workers}, [&] {
    body();
    return 0;
  });
}

// One iteration: main sends on `ping`, the echo coroutine receives and
// answers on `pong`, main receives.
void BM_UnbufferedPingPong(benchmark::State& state) {
  on_scheduler(static_cast<int>(state.range(0)), [&] {
    mco::Chan<int> ping(0);
    mco::Chan<int> pong(0);
    auto echo = mco::go([ping, pong]() mutable {
      for (int v : ping) pong.send(v);
    });
    int i = 0;
    for (auto _ : state) {
      ping.send(i++);
      benchmark::DoNotOptimize(pong.recv());
    }
    ping.close();
    echo.join();
  });
  state.SetLabel("ns per round trip");
}
BENCHMARK(BM_UnbufferedPingPong)->Arg(1)->Arg(2)->UseRealTime();

// The same round trip with both sides in a two-case select.
void BM_SelectPingPong(benchmark::State& state) {
  on_scheduler(static_cast<int>(state.range(0)), [&] {
    mco::Chan<int> ping(0);
    mco::Chan<int> pong(0);
    mco::Chan<int> quit(0);
    auto echo = mco::go([ping, pong, quit]() mutable {
      for (bool stop = false; !stop;) {
        mco::select(mco::recv(ping,
                              [&](std::optional<int> v) {
                                int out = *v;
                                pong.send(out);
                              }),
                    mco::recv(quit, [&] { stop = true; }));
      }
    });
    int i = 0;
    for (auto _ : state) {
      int v = i++;
      mco::select(mco::send(ping, v), mco::recv(quit));
      mco::select(mco::recv(pong), mco::recv(quit));
    }
    quit.close();
    echo.join();
  });
}
BENCHMARK(BM_SelectPingPong)->Arg(1)->Arg(2)->UseRealTime();

// Items per second through a buffered channel (capacity 128) from one
// producer coroutine to the consuming main coroutine.
void BM_BufferedThroughput(benchmark::State& state) {
  on_scheduler(static_cast<int>(state.range(0)), [&] {
    mco::Chan<int> ch(128);
    const int64_t n = state.max_iterations;
    auto producer = mco::go([ch, n]() mutable {
      for (int64_t i = 0; i < n; ++i) ch.send(static_cast<int>(i));
    });
    for (auto _ : state) benchmark::DoNotOptimize(ch.recv());
    producer.join();
  });
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BufferedThroughput)->Arg(1)->Arg(2)->UseRealTime();

// Uncontended buffered send + receive on one coroutine (no parking).
void BM_BufferedSendRecvSameCoroutine(benchmark::State& state) {
  on_scheduler(1, [&] {
    mco::Chan<int> ch(128);
    for (auto _ : state) {
      ch.send(1);
      benchmark::DoNotOptimize(ch.recv());
    }
  });
}
BENCHMARK(BM_BufferedSendRecvSameCoroutine);

}  // namespace
