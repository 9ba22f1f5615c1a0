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
using internal::wait_ready;

absl::StatusOr<size_t> Stream::read(void* buf, size_t len) {
  check_cancel();
  rt::PollRef ref(desc());
  if (!ref) return closed_error("read", "");
  for (;;) {
    const ssize_t n = ::recv(ref.fd(), buf, len, 0);
    if (n >= 0) return static_cast<size_t>(n);
    const int err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN && err != EWOULDBLOCK) {
      return os_error(err, "read", internal::describe(desc()));
    }
    absl::Status st =
        wait_ready(desc(), rt::IoDir::kRead, rt::kNoDeadline, "read");
    if (!st.ok()) return st;
  }
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
  check_cancel();
  rt::PollRef ref(desc());
  if (!ref) return closed_error("write", "");
  for (;;) {
    const ssize_t n = ::send(ref.fd(), buf, len, MSG_NOSIGNAL);
    if (n >= 0) return static_cast<size_t>(n);
    const int err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN && err != EWOULDBLOCK) {
      return os_error(err, "write", internal::describe(desc()));
    }
    absl::Status st =
        wait_ready(desc(), rt::IoDir::kWrite, rt::kNoDeadline, "write");
    if (!st.ok()) return st;
  }
}

absl::Status Stream::write_all(const void* buf, size_t len) {
  const auto* p = static_cast<const char*>(buf);
  size_t done = 0;
  while (done < len) {
    absl::StatusOr<size_t> n = write(p + done, len - done);
    if (!n.ok()) return n.status();
    done += *n;
  }
  return absl::OkStatus();
}

absl::Status Stream::write_vectored(absl::Span<const std::string_view> pieces) {
  check_cancel();
  rt::PollRef ref(desc());
  if (!ref) return closed_error("write", "");
  absl::InlinedVector<iovec, 16> iov;
  for (std::string_view s : pieces) {
    if (!s.empty()) {
      iov.push_back({const_cast<char*>(s.data()), s.size()});
    }
  }
  size_t first = 0;  // the first iovec not fully written
  while (first < iov.size()) {
    msghdr msg{};
    msg.msg_iov = &iov[first];
    msg.msg_iovlen = std::min<size_t>(iov.size() - first, IOV_MAX);
    const ssize_t n = ::sendmsg(ref.fd(), &msg, MSG_NOSIGNAL);
    if (n < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      if (err != EAGAIN && err != EWOULDBLOCK) {
        return os_error(err, "write", internal::describe(desc()));
      }
      absl::Status st =
          wait_ready(desc(), rt::IoDir::kWrite, rt::kNoDeadline, "write");
      if (!st.ok()) return st;
      continue;
    }
    size_t left = static_cast<size_t>(n);
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
  rt::PollRef ref(desc());
  if (!ref) return closed_error("getpeername", "");
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(ref.fd(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return os_error(errno, "getpeername", "");
  }
  return SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

}  // namespace mco::net
