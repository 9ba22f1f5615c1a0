// Copyright 2026 The mco Authors.

#include "mco/net/stream.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "mco/cancel.h"
#include "runtime/netpoll.h"
#include "stdlib/net/io_internal.h"

namespace mco::net {

using internal::closed_error;
using internal::os_error;

absl::StatusOr<size_t> Stream::read(void* buf, size_t len) {
  return internal::retry_io(
      desc(), rt::IoDir::kRead, "read",
      [&](int fd) { return ::recv(fd, buf, len, 0); }, /*stream_read_len=*/len);
}

absl::Status Stream::read_exact(void* buf, size_t len) {
  auto* p = static_cast<char*>(buf);
  size_t done = 0;
  while (done < len) {
    absl::StatusOr<size_t> n = read(p + done, len - done);
    if (!n.ok()) return n.status();
    if (*n == 0) {
      return absl::OutOfRangeError(
          "read " + internal::describe(desc()) + ": unexpected EOF after " +
          std::to_string(done) + " of " + std::to_string(len) + " bytes");
    }
    done += *n;
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> Stream::write(const void* buf, size_t len) {
  return internal::retry_io(desc(), rt::IoDir::kWrite, "write", [&](int fd) {
    return ::send(fd, buf, len, MSG_NOSIGNAL);
  });
}

absl::Status Stream::write_vectored(absl::Span<const std::string_view> pieces) {
  absl::InlinedVector<iovec, 16> iov;
  for (std::string_view s : pieces) {
    if (!s.empty()) iov.push_back({const_cast<char*>(s.data()), s.size()});
  }
  size_t first = 0;  // the first iovec not fully written
  while (first < iov.size()) {
    absl::StatusOr<size_t> n =
        internal::retry_io(desc(), rt::IoDir::kWrite, "write", [&](int fd) {
          msghdr msg{};
          msg.msg_iov = &iov[first];
          msg.msg_iovlen = std::min<size_t>(iov.size() - first, IOV_MAX);
          return ::sendmsg(fd, &msg, MSG_NOSIGNAL);
        });
    if (!n.ok()) return n.status();
    size_t left = *n;
    while (first < iov.size() && left >= iov[first].iov_len) {
      left -= iov[first].iov_len;
      ++first;
    }
    if (left > 0) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
  return absl::OkStatus();
}

absl::Status Stream::shutdown(ShutdownHow how) {
  rt::PollRef ref(desc());
  if (!ref) return closed_error("shutdown", "");
  const int mode = how == ShutdownHow::kRead    ? SHUT_RD
                   : how == ShutdownHow::kWrite ? SHUT_WR
                                                : SHUT_RDWR;
  if (::shutdown(ref.fd(), mode) != 0) {
    return os_error(errno, "shutdown", internal::describe(desc()));
  }
  return absl::OkStatus();
}

absl::StatusOr<SocketAddress> Stream::peer_address() const {
  return internal::socket_name(desc(), /*peer=*/true);
}

}  // namespace mco::net
