// Copyright 2026 The mco Authors.
//
// What touching a fresh page costs on this machine: the floor under every
// benchmark that creates many coroutines at once (each new stack's first
// page is touched once). Maps N pages spaced STRIDE apart (4 KiB, 64 KiB,
// 6 MiB: the default coroutine stack spacing) and times the first and the
// second write to each.
//
//   bazel run -c opt //tools/bench:page_touch [-- N]     # N default 100000
//
// On the 2-vCPU VMs of this project (a paravirtualised guest) a first touch
// costs ~20 us, ~40 us at a 6 MiB stride (a page-table page too), against
// ~0.1-0.5 us on bare metal: see tools/bench/README.md, "Scaling".

#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>

namespace {

double ns_per(std::chrono::steady_clock::time_point t0, size_t n) {
  const auto d = std::chrono::steady_clock::now() - t0;
  return std::chrono::duration<double, std::nano>(d).count() / n;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  if (n == 0) {
    std::fprintf(stderr, "usage: page_touch [N>0]\n");
    return 2;
  }
  for (const size_t stride :
       {size_t{4} << 10, size_t{64} << 10, size_t{6} << 20}) {
    void* m = mmap(nullptr, n * stride, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
      std::perror("mmap");
      return 1;
    }
    auto* p = static_cast<volatile char*>(m);
    auto t0 = std::chrono::steady_clock::now();
    for (size_t i = 0; i < n; ++i) p[i * stride + stride - 64] = 1;
    const double first = ns_per(t0, n);
    t0 = std::chrono::steady_clock::now();
    for (size_t i = 0; i < n; ++i) p[i * stride + stride - 64] = 2;
    const double second = ns_per(t0, n);
    std::printf("stride %8zu B: first touch %8.0f ns, second %6.0f ns\n",
                stride, first, second);
    munmap(m, n * stride);
  }
  return 0;
}
