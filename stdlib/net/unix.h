// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: unix.h
// -----------------------------------------------------------------------------
//
// Unix-domain stream sockets (Linux): `UnixListener` and `UnixStream`, Go's
// net.Listen("unix", path) and net.Dial("unix", path).
//
//   auto ln = mco::net::UnixListener::bind("/tmp/app.sock");
//   auto c = mco::net::UnixStream::connect("/tmp/app.sock");
//
// A path starting with '@' names an abstract socket (no file). `bind`
// fails if the path exists (AlreadyExists... as the OS reports it: "address
// already in use"); pass `remove_existing` to unlink a stale socket file
// first. Closing a listener does not unlink its path; `unlink_on_close` in
// the options does.
//
// Streams are `Stream`s: read, write, deadlines, close, cancellation as in
// stream.h and socket.h.

#ifndef MCO_STDLIB_NET_UNIX_H_
#define MCO_STDLIB_NET_UNIX_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/address.h"
#include "mco/net/socket.h"
#include "mco/net/stream.h"
#include "mco/time/instant.h"

namespace mco::net {

class UnixStream : public Stream {
 public:
  UnixStream() = default;
  explicit UnixStream(rt::PollDesc* pd) : Stream(pd) {}

  // UnixStream::connect()
  //
  // Connects to the socket at `path`, giving up at `deadline`.
  static absl::StatusOr<UnixStream> connect(std::string_view path,
                                            time::Instant deadline = {});

  // UnixStream::pair()
  //
  // Two connected streams (socketpair(2)).
  static absl::StatusOr<std::pair<UnixStream, UnixStream>> pair();
};

struct UnixListenOptions {
  bool remove_existing = false;  // unlink a socket file at the path first
  int backlog = 4096;
};

class UnixListener : public Socket {
 public:
  UnixListener() = default;

  // UnixListener::bind()
  //
  // Binds and listens on `path`.
  static absl::StatusOr<UnixListener> bind(std::string_view path,
                                           UnixListenOptions options = {});

  // UnixListener::accept()
  //
  // As TcpListener::accept.
  absl::StatusOr<UnixStream> accept();

  // The path bound.
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  UnixListener(rt::PollDesc* pd, std::string path)
      : Socket(pd), path_(std::move(path)) {}
  std::string path_;
};

}  // namespace mco::net

#endif  // MCO_STDLIB_NET_UNIX_H_
