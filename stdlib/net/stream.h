// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: stream.h
// -----------------------------------------------------------------------------
//
// `Stream`: a connected byte stream (TCP or Unix domain): a `Socket` that is
// also a `Conn` (conn.h), Go's net.Conn.
//
//   char buf[4096];
//   for (;;) {
//     absl::StatusOr<size_t> n = conn.read(buf, sizeof buf);
//     if (!n.ok()) return n.status();   // reset, timeout, closed, ...
//     if (*n == 0) break;               // the peer closed its side (EOF)
//     if (auto st = conn.write_all(buf, *n); !st.ok()) return st;
//   }
//
// `read` returns what is available (at least one byte), 0 at end of stream,
// or an error. `write_all` returns only when every byte was handed to the
// kernel (or with an error; then some prefix may have been sent). Writing
// to a peer that has gone fails with an error, never with SIGPIPE.
//
// Blocking, deadlines, close, concurrency and cancellation: see socket.h.

#ifndef MCO_STDLIB_NET_STREAM_H_
#define MCO_STDLIB_NET_STREAM_H_

#include <sys/uio.h>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mco/net/conn.h"
#include "mco/net/socket.h"

namespace mco::net {

enum class ShutdownHow { kRead, kWrite, kBoth };

class Stream : public Socket, public Conn {
 public:
  Stream() = default;
  explicit Stream(rt::PollDesc* pd) : Socket(pd) {}
  Stream(Stream&&) noexcept = default;
  Stream& operator=(Stream&&) noexcept = default;

  // Stream::read()
  //
  // Reads up to `len` bytes (len > 0): how many, 0 at end of stream.
  absl::StatusOr<size_t> read(void* buf, size_t len) override;

  // Stream::read_exact()
  //
  // Reads exactly `len` bytes. OutOfRange ("unexpected EOF") if the stream
  // ends first; the bytes read so far are in `buf` either way.
  absl::Status read_exact(void* buf, size_t len) override;

  // Stream::write()
  //
  // Writes what the kernel takes now, waiting only while it takes nothing:
  // how many bytes (> 0 for len > 0).
  absl::StatusOr<size_t> write(const void* buf, size_t len) override;

  // Stream::write_all()
  //
  // Writes all `len` bytes.
  using Conn::write_all;  // `write` in a loop

  // Stream::write_vectored()
  //
  // Writes all of the pieces, in order, with as few system calls as the
  // kernel allows (writev).
  absl::Status write_vectored(
      absl::Span<const std::string_view> pieces) override;
  using Conn::write_vectored;

  // Stream::shutdown()
  //
  // Shuts down one direction (or both): after kWrite the peer reads end of
  // stream while this side can still read.
  absl::Status shutdown(ShutdownHow how);

  // The rest of `Conn`, as `Socket` does it.
  absl::Status close_write() override { return shutdown(ShutdownHow::kWrite); }
  absl::Status close() override { return Socket::close(); }
  void set_deadline(time::Instant t) override { Socket::set_deadline(t); }
  void set_read_deadline(time::Instant t) override {
    Socket::set_read_deadline(t);
  }
  void set_write_deadline(time::Instant t) override {
    Socket::set_write_deadline(t);
  }
  [[nodiscard]] absl::StatusOr<SocketAddress> local_address() const override {
    return Socket::local_address();
  }
  [[nodiscard]] absl::StatusOr<SocketAddress> peer_address() const override;
};

}  // namespace mco::net

#endif  // MCO_STDLIB_NET_STREAM_H_
