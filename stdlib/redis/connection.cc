// Copyright 2026 The mco Authors.

#include "mco/redis/connection.h"

#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mco/cancel.h"
#include "mco/net/socket.h"
#include "mco/net/tcp.h"
#include "mco/net/unix.h"
#include "mco/redis/error.h"

namespace mco::redis {
namespace {

// Debian's Abseil has its own string_view (not std's): convert at calls.
absl::string_view av(std::string_view s) { return {s.data(), s.size()}; }

constexpr size_t kReadChunk = 64 << 10;

absl::Status with_prefix(const absl::Status& st) {
  if (absl::StartsWith(st.message(), "redis: ")) return st;
  return absl::Status(st.code(), absl::StrCat("redis: ", st.message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<net::Conn>> dial_default(
    std::string_view address, time::Instant deadline) {
  if (absl::StartsWith(av(address), "unix:")) {
    auto s = net::UnixStream::connect(address.substr(5), deadline);
    if (!s.ok()) return with_prefix(s.status());
    return std::unique_ptr<net::Conn>(
        std::make_unique<net::UnixStream>(std::move(*s)));
  }
  auto s = deadline == time::Instant()
               ? net::TcpStream::connect(address)
               : net::TcpStream::connect_until(address, deadline);
  if (!s.ok()) return with_prefix(s.status());
  return std::unique_ptr<net::Conn>(
      std::make_unique<net::TcpStream>(std::move(*s)));
}

Connection::Connection(std::unique_ptr<net::Conn> conn, const Options& options)
    : conn_(std::move(conn)), options_(options), parser_(options.parser) {}

Connection::~Connection() {
  if (!broken_.exchange(true)) (void)conn_->close();
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::connect(
    const Options& options) {
  const time::Instant deadline =
      options.dial_timeout > time::Duration(0)
          ? time::Instant::now() + options.dial_timeout
          : time::Instant();
  absl::StatusOr<std::unique_ptr<net::Conn>> conn =
      options.dial ? options.dial(options.address, deadline)
                   : dial_default(options.address, deadline);
  if (!conn.ok()) return conn.status();
  return handshake_over(std::move(*conn), options, deadline);
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::handshake_over(
    std::unique_ptr<net::Conn> conn, const Options& options,
    time::Instant deadline) {
  std::unique_ptr<Connection> c(new Connection(std::move(conn), options));
  if (absl::Status st = c->handshake(deadline); !st.ok()) return st;
  return c;
}

absl::Status Connection::handshake(time::Instant deadline) {
  Pipeline setup;
  if (options_.protocol >= 3) {
    std::vector<std::string> hello = {"HELLO", "3"};
    if (!options_.password.empty()) {
      hello.insert(
          hello.end(),
          {"AUTH", options_.username.empty() ? "default" : options_.username,
           options_.password});
    }
    if (!options_.client_name.empty()) {
      hello.insert(hello.end(), {"SETNAME", options_.client_name});
    }
    absl::StatusOr<Reply> r = command(hello, deadline);
    if (!r.ok()) return r.status();
    if (!r->is_error()) {
      protocol_ = 3;
    } else if (absl::Status st = server_error(*r);
               st.code() == absl::StatusCode::kPermissionDenied) {
      return st;  // a wrong password, not an old server
    }
  }
  if (protocol_ == 2) {  // asked for, or HELLO refused: RESP2's commands
    if (!options_.password.empty()) {
      if (options_.username.empty()) {
        setup.add({"AUTH", options_.password});
      } else {
        setup.add({"AUTH", options_.username, options_.password});
      }
    }
    if (!options_.client_name.empty()) {
      setup.add({"CLIENT", "SETNAME", options_.client_name});
    }
  }
  const std::string db = absl::StrCat(options_.db);
  if (options_.db != 0) setup.add({"SELECT", db});
  if (setup.empty()) return absl::OkStatus();
  absl::StatusOr<std::vector<Reply>> rs = exec(setup, deadline);
  if (!rs.ok()) return rs.status();
  for (const Reply& r : *rs) {
    if (r.is_error()) return server_error(r);
  }
  return absl::OkStatus();
}

time::Instant Connection::effective(time::Instant deadline) const {
  if (deadline != time::Instant()) return deadline;
  if (options_.command_timeout > time::Duration(0)) {
    return time::Instant::now() + options_.command_timeout;
  }
  return time::Instant();
}

absl::Status Connection::fail(absl::Status st) {
  st = with_prefix(st);
  if (!broken_.exchange(true)) {
    {
      std::lock_guard<std::mutex> l(status_mu_);
      broken_status_ = st;
    }
    (void)conn_->close();
  }
  return st;
}

void Connection::close() {
  if (!broken_.exchange(true)) (void)conn_->close();
}

absl::Status Connection::write(std::string_view wire, time::Instant deadline) {
  if (broken_) {
    std::lock_guard<std::mutex> l(status_mu_);
    return absl::FailedPreconditionError(
        broken_status_.ok()
            ? std::string("redis: connection closed")
            : absl::StrCat("redis: connection broken by an earlier error: ",
                           broken_status_.message()));
  }
  conn_->set_write_deadline(deadline);
  absl::Status st;
  try {
    st = conn_->write_all(wire);
  } catch (...) {  // Cancelled: a command may be half written
    (void)fail(absl::CancelledError("redis: call cancelled"));
    throw;
  }
  if (!st.ok()) return fail(st);
  return absl::OkStatus();
}

absl::StatusOr<Reply> Connection::read_reply(time::Instant deadline,
                                             bool skip_push,
                                             bool keep_on_idle_timeout) {
  if (broken_) return write("", deadline);  // the same error
  conn_->set_read_deadline(deadline);
  try {
    for (;;) {
      size_t used = 0;
      absl::StatusOr<std::optional<Reply>> r =
          parser_.parse(std::string_view(rbuf_).substr(rpos_), &used);
      rpos_ += used;
      if (!r.ok()) return fail(r.status());
      if (r->has_value()) {
        if (skip_push && (*r)->type() == ReplyType::kPush) continue;
        return std::move(**r);
      }
      // Need more: keep only the unparsed tail, then read behind it.
      if (rpos_ == rbuf_.size()) {
        rbuf_.clear();
      } else if (rpos_ > 0) {
        rbuf_.erase(0, rpos_);
      }
      rpos_ = 0;
      const size_t old = rbuf_.size();
      rbuf_.resize(old + kReadChunk);
      absl::StatusOr<size_t> n = conn_->read(rbuf_.data() + old, kReadChunk);
      rbuf_.resize(old + (n.ok() ? *n : 0));
      if (!n.ok()) {
        if (keep_on_idle_timeout &&
            n.status().code() == absl::StatusCode::kDeadlineExceeded &&
            rbuf_.empty() && !parser_.in_progress()) {
          return with_prefix(n.status());  // nothing was due: still usable
        }
        return fail(n.status());
      }
      if (*n == 0) {
        return fail(absl::UnavailableError(
            rbuf_.empty() && !parser_.in_progress()
                ? "redis: connection closed by server"
                : "redis: connection closed by server in the middle of a "
                  "reply"));
      }
    }
  } catch (...) {  // Cancelled: the reply is still due, the stream unusable
    (void)fail(absl::CancelledError("redis: call cancelled"));
    throw;
  }
}

absl::StatusOr<Reply> Connection::command(
    absl::Span<const std::string_view> args, time::Instant deadline) {
  deadline = effective(deadline);
  if (absl::Status st = write(encode_command(args), deadline); !st.ok()) {
    return st;
  }
  return read_reply(deadline, /*skip_push=*/true,
                    /*keep_on_idle_timeout=*/false);
}

absl::StatusOr<Reply> Connection::command(const std::vector<std::string>& args,
                                          time::Instant deadline) {
  std::vector<std::string_view> views(args.begin(), args.end());
  return command(absl::MakeConstSpan(views), deadline);
}

absl::StatusOr<std::vector<Reply>> Connection::exec(const Pipeline& pipeline,
                                                    time::Instant deadline) {
  deadline = effective(deadline);
  std::vector<Reply> replies;
  if (pipeline.empty()) return replies;
  if (absl::Status st = write(pipeline.wire(), deadline); !st.ok()) return st;
  replies.reserve(pipeline.size());
  for (size_t i = 0; i < pipeline.size(); ++i) {
    absl::StatusOr<Reply> r = read_reply(deadline, true, false);
    if (!r.ok()) return r.status();
    replies.push_back(std::move(*r));
  }
  return replies;
}

absl::Status Connection::send(std::string_view wire, time::Instant deadline) {
  return write(wire, deadline);
}

absl::StatusOr<Reply> Connection::receive(time::Instant deadline) {
  return read_reply(deadline, /*skip_push=*/false,
                    /*keep_on_idle_timeout=*/true);
}

bool Connection::looks_alive() const {
  if (broken_) return false;
  const auto* sock = dynamic_cast<const net::Socket*>(conn_.get());
  if (sock == nullptr) return true;
  char c;
  const ssize_t n = ::recv(sock->fd(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  return false;  // end of stream, or bytes nobody asked for
}

}  // namespace mco::redis
