// Copyright 2026 The mco Authors.

#include "mco/net/socket.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mco/cancel.h"
#include "runtime/cancelled.h"
#include "runtime/netpoll.h"
#include "stdlib/net/io_internal.h"

namespace mco::net {

namespace internal {

rt::Nanos to_nanos(time::Instant t) {
  return t == time::Instant() ? rt::kNoDeadline : t.nanos();
}

absl::Status os_error(int err, std::string_view op, std::string_view where) {
  std::string msg(op);
  if (!where.empty()) msg += " " + std::string(where);
  return absl::ErrnoToStatus(err, msg);
}

absl::Status closed_error(std::string_view op, std::string_view where) {
  std::string msg(op);
  if (!where.empty()) msg += " " + std::string(where);
  return absl::FailedPreconditionError(msg +
                                       ": use of closed network connection");
}

absl::Status timeout_error(std::string_view op, std::string_view where) {
  std::string msg(op);
  if (!where.empty()) msg += " " + std::string(where);
  return absl::DeadlineExceededError(msg + ": i/o timeout");
}

std::string describe(rt::PollDesc* pd) {
  auto name = socket_name(pd, /*peer=*/true);
  if (!name.ok()) name = socket_name(pd, /*peer=*/false);
  return name.ok() ? name->to_string() : "";
}

absl::Status wait_ready(rt::PollDesc* pd, rt::IoDir dir, rt::Nanos deadline,
                        std::string_view op) {
  switch (rt::poll_wait(pd, dir, deadline)) {
    case rt::IoWait::kReady:
      return absl::OkStatus();
    case rt::IoWait::kTimedOut:
      return timeout_error(op, describe(pd));
    case rt::IoWait::kClosed:
      return closed_error(op, "");
    case rt::IoWait::kCancelled:
      throw Cancelled();
  }
  return absl::InternalError("unreachable");
}

absl::StatusOr<rt::PollDesc*> open_socket(int family, int type,
                                          std::string_view op,
                                          std::string_view where) {
  const int fd = ::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return os_error(errno, op, where);
  rt::PollDesc* pd = rt::poll_open(fd);
  if (pd == nullptr) return os_error(errno, op, where);
  return pd;
}

namespace {

void set_nodelay_if_tcp(int fd, int family, int type) {
  if (type == SOCK_STREAM && (family == AF_INET || family == AF_INET6)) {
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
}

}  // namespace

absl::StatusOr<rt::PollDesc*> connect_socket(const SocketAddress& address,
                                             int type, rt::Nanos deadline) {
  const std::string where = address.to_string();
  check_cancel();
  auto pd = open_socket(address.family(), type, "connect", where);
  if (!pd.ok()) return pd.status();
  rt::PollDesc* desc = *pd;
  absl::Status st;
  {
    rt::PollRef ref(desc);
    const int fd = ref.fd();
    set_nodelay_if_tcp(fd, address.family(), type);
    int rc;
    do {
      rc = ::connect(fd, address.sockaddr_ptr(), address.size());
    } while (rc != 0 && errno == EINTR);
    if (rc != 0 && errno != EINPROGRESS) {
      st = os_error(errno, "connect", where);
    } else if (rc != 0) {
      // Wait for the handshake; a cancellation closes the half-open socket.
      try {
        st = wait_ready(desc, rt::IoDir::kWrite, deadline, "connect");
      } catch (...) {
        rt::poll_free(desc);  // releases after `ref` is done with it
        throw;
      }
      if (st.ok()) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) st = os_error(err, "connect", where);
      } else if (absl::IsDeadlineExceeded(st)) {
        st = timeout_error("connect", where);
      }
    }
  }
  if (!st.ok()) {
    rt::poll_free(desc);
    return st;
  }
  return desc;
}

absl::StatusOr<rt::PollDesc*> bind_socket(const SocketAddress& address,
                                          int type,
                                          const ListenOptions& options,
                                          int backlog) {
  const std::string where = address.to_string();
  const char* op = backlog >= 0 ? "listen" : "bind";
  auto pd = open_socket(address.family(), type, op, where);
  if (!pd.ok()) return pd.status();
  rt::PollDesc* desc = *pd;
  absl::Status st;
  {
    rt::PollRef ref(desc);
    const int fd = ref.fd();
    const int one = 1;
    if (address.family() != AF_UNIX) {
      if (options.reuse_address) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      }
      if (options.reuse_port &&
          setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        st = os_error(errno, op, where);
      }
    }
    if (st.ok() && ::bind(fd, address.sockaddr_ptr(), address.size()) != 0) {
      st = os_error(errno, op, where);
    }
    if (st.ok() && backlog >= 0 && ::listen(fd, backlog) != 0) {
      st = os_error(errno, op, where);
    }
  }
  if (!st.ok()) {
    rt::poll_free(desc);
    return st;
  }
  return desc;
}

absl::StatusOr<rt::PollDesc*> accept_socket(rt::PollDesc* pd,
                                            SocketAddress* peer) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  absl::StatusOr<size_t> fd =
      retry_io(pd, rt::IoDir::kRead, "accept", [&](int listener) {
        len = sizeof ss;
        int conn = ::accept4(listener, reinterpret_cast<sockaddr*>(&ss), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (conn < 0 && errno == ECONNABORTED) errno = EINTR;  // next one
        return conn;
      });
  if (!fd.ok()) return fd.status();
  const int conn = static_cast<int>(*fd);
  set_nodelay_if_tcp(conn, ss.ss_family, SOCK_STREAM);
  if (peer != nullptr) {
    *peer = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
  }
  rt::PollDesc* desc = rt::poll_open(conn);
  if (desc == nullptr) return os_error(errno, "accept", describe(pd));
  return desc;
}

absl::StatusOr<SocketAddress> socket_name(rt::PollDesc* pd, bool peer) {
  const char* op = peer ? "getpeername" : "getsockname";
  rt::PollRef ref(pd);
  if (!ref) return closed_error(op, "");
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  auto* sa = reinterpret_cast<sockaddr*>(&ss);
  const int rc =
      peer ? getpeername(ref.fd(), sa, &len) : getsockname(ref.fd(), sa, &len);
  if (rc != 0) return os_error(errno, op, "");
  return SocketAddress::from_sockaddr(sa, len);
}

}  // namespace internal

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (pd_ != nullptr) rt::poll_free(pd_);
    pd_ = other.pd_;
    other.pd_ = nullptr;
  }
  return *this;
}

Socket::~Socket() {
  if (pd_ != nullptr) rt::poll_free(pd_);
}

absl::Status Socket::close() {
  if (pd_ == nullptr || !rt::poll_close(pd_)) {
    return internal::closed_error("close", "");
  }
  return absl::OkStatus();
}

absl::StatusOr<SocketAddress> Socket::local_address() const {
  return internal::socket_name(pd_, /*peer=*/false);
}

int Socket::fd() const { return pd_ == nullptr ? -1 : rt::poll_fd(pd_); }

void Socket::set_deadline(time::Instant t) {
  set_read_deadline(t);
  set_write_deadline(t);
}

void Socket::set_read_deadline(time::Instant t) {
  if (pd_ != nullptr) {
    rt::poll_set_deadline(pd_, rt::IoDir::kRead, internal::to_nanos(t));
  }
}

void Socket::set_write_deadline(time::Instant t) {
  if (pd_ != nullptr) {
    rt::poll_set_deadline(pd_, rt::IoDir::kWrite, internal::to_nanos(t));
  }
}

absl::Status Socket::set_option(int level, int name, int value) {
  rt::PollRef ref(pd_);
  if (!ref) return internal::closed_error("setsockopt", "");
  if (setsockopt(ref.fd(), level, name, &value, sizeof value) != 0) {
    return internal::os_error(errno, "setsockopt", "");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Socket::get_option(int level, int name) const {
  rt::PollRef ref(pd_);
  if (!ref) return internal::closed_error("getsockopt", "");
  int value = 0;
  socklen_t len = sizeof value;
  if (getsockopt(ref.fd(), level, name, &value, &len) != 0) {
    return internal::os_error(errno, "getsockopt", "");
  }
  return value;
}

}  // namespace mco::net
