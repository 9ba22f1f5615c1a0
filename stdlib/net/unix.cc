// Copyright 2026 The mco Authors.

#include "mco/net/unix.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/netpoll.h"
#include "stdlib/net/io_internal.h"

namespace mco::net {

absl::StatusOr<UnixStream> UnixStream::connect(std::string_view path,
                                               time::Instant deadline) {
  auto address = SocketAddress::unix_path(path);
  if (!address.ok()) return address.status();
  auto pd = internal::connect_socket(*address, SOCK_STREAM,
                                     internal::to_nanos(deadline));
  if (!pd.ok()) return pd.status();
  return UnixStream(*pd);
}

absl::StatusOr<std::pair<UnixStream, UnixStream>> UnixStream::pair() {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) !=
      0) {
    return internal::os_error(errno, "socketpair", "");
  }
  rt::PollDesc* a = rt::poll_open(fds[0]);
  if (a == nullptr) {
    const int err = errno;
    ::close(fds[1]);
    return internal::os_error(err, "socketpair", "");
  }
  UnixStream first(a);
  rt::PollDesc* b = rt::poll_open(fds[1]);
  if (b == nullptr) return internal::os_error(errno, "socketpair", "");
  return std::make_pair(std::move(first), UnixStream(b));
}

absl::StatusOr<UnixListener> UnixListener::bind(std::string_view path,
                                                UnixListenOptions options) {
  auto address = SocketAddress::unix_path(path);
  if (!address.ok()) return address.status();
  if (options.remove_existing && path.front() != '@') {
    const std::string p(path);
    struct stat st;
    if (lstat(p.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) unlink(p.c_str());
  }
  auto pd = internal::bind_socket(*address, SOCK_STREAM, ListenOptions{},
                                  std::max(options.backlog, 1));
  if (!pd.ok()) return pd.status();
  return UnixListener(*pd, std::string(path));
}

absl::StatusOr<UnixStream> UnixListener::accept() {
  auto pd = internal::accept_socket(desc(), nullptr);
  if (!pd.ok()) return pd.status();
  return UnixStream(*pd);
}

}  // namespace mco::net
