// Copyright 2026 The mco Authors.
//
// Unpredictable bytes for Sec-WebSocket-Key and the client's mask keys
// (RFC 6455 10.3 asks for keys a proxy cannot predict): getrandom(2).

#ifndef MCO_STDLIB_NET_WEBSOCKET_RANDOM_INTERNAL_H_
#define MCO_STDLIB_NET_WEBSOCKET_RANDOM_INTERNAL_H_

#include <cstddef>

namespace mco::net::websocket::internal {

// Fills `len` bytes at `buf` from the kernel's random source.
void random_bytes(void* buf, size_t len);

}  // namespace mco::net::websocket::internal

#endif  // MCO_STDLIB_NET_WEBSOCKET_RANDOM_INTERNAL_H_
