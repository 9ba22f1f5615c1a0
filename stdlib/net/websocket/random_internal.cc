// Copyright 2026 The mco Authors.

#include "stdlib/net/websocket/random_internal.h"

#include <sys/random.h>

#include <cerrno>
#include <random>

namespace mco::net::websocket::internal {

void random_bytes(void* buf, size_t len) {
  auto* p = static_cast<unsigned char*>(buf);
  while (len > 0) {
    const ssize_t n = ::getrandom(p, len, 0);
    if (n > 0) {
      p += n;
      len -= static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      // No getrandom (very old kernel, seccomp): the C++ library's source.
      std::random_device rd;
      for (; len > 0; --len) *p++ = static_cast<unsigned char>(rd());
    }
  }
}

}  // namespace mco::net::websocket::internal
