// Copyright 2026 The mco Authors.
//
// The server's connection loop (`internal::ServerConn`), the
// `ResponseWriter` that writes into it, and `Server`'s bookkeeping.
//
// Locking: `Server::mu_` guards the connection list, the listeners and the
// count of accepted connections; a connection coroutine takes it only to
// change its own entry (idle or not, its Conn pointer) and to leave. The
// Conn an entry points to stays alive while the entry points to it:
// a connection clears its pointer, under the lock, before destroying the
// Conn, so `shutdown` may close it from another coroutine.

#include "mco/net/http/server.h"

#include <time.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/cancel.h"
#include "mco/net/http/chunked.h"
#include "mco/net/http/parser.h"
#include "mco/net/http/url.h"
#include "mco/time/instant.h"
#include "stdlib/net/http/conn_reader.h"

namespace mco::net::http {
namespace internal {
namespace {

using time::Instant;

constexpr size_t kFlushBytes = 64 * 1024;   // write out what is pending
constexpr size_t kStreamAfter = 32 * 1024;  // a handler's body: stream
constexpr size_t kLingerBytes = 256 * 1024;
constexpr time::Duration kLinger = 2 * time::Second;

// The Date header's value, formatted once a second per thread; valid until
// the caller parks.
std::string_view http_date() {
  thread_local time_t cached = -1;
  thread_local char text[40];
  thread_local size_t length = 0;
  const time_t now = ::time(nullptr);
  if (now != cached) {
    struct tm tm;
    gmtime_r(&now, &tm);
    length = strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached = now;
  }
  return std::string_view(text, length);
}

void append_number(std::string* out, uint64_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out->append(digits, end);
}

// A header value as sent: line breaks become spaces (no injection).
void append_value(std::string* out, std::string_view v) {
  for (char c : v) out->push_back(c == '\r' || c == '\n' ? ' ' : c);
}

void append_status_line(std::string* out, int status) {
  out->append("HTTP/1.1 ");
  append_number(out, static_cast<uint64_t>(status));
  out->push_back(' ');
  const std::string_view reason = status_text(status);
  out->append(reason.empty() ? "status" : reason);
  out->append("\r\nDate: ").append(http_date()).append("\r\n");
}

// Does the partial first line `data` (no line end yet) look like the start
// of a request line? (Garbage gets 400 rather than 431.)
bool plausible_request_start(std::string_view data) {
  if (data.back() == '\r') data.remove_suffix(1);  // its line end comes next
  const size_t sp = data.find(' ');
  if (!is_token(data.substr(0, std::min(sp, size_t{32})))) return false;
  for (unsigned char c : data) {
    if (c < ' ' || c >= 0x7f) return false;
  }
  return true;
}

}  // namespace

class ServerConn {
 public:
  ServerConn(Server* server, Server::EntryIt entry,
             std::unique_ptr<net::Conn> conn)
      : server_(server),
        entry_(entry),
        opts_(server->options_),
        conn_(std::move(conn)),
        in_(conn_.get(),
            std::max<size_t>(16 * 1024, opts_.max_header_bytes + 1024)) {
    absl::StatusOr<SocketAddress> peer = conn_->peer_address();
    if (peer.ok()) remote_ = peer->to_string();
  }
  ServerConn(const ServerConn&) = delete;
  ServerConn& operator=(const ServerConn&) = delete;

  // Serves requests until the connection ends. After a hijack it returns
  // without touching the server again.
  void serve() {
    for (;;) {
      size_t head_len = 0;
      const Head head = read_head(&head_len);
      if (head == Head::kEnd) break;
      if (head == Head::kBad) return error_and_close(400);
      if (head == Head::kTooLarge) return error_and_close(431);
      if (!handle(head_len)) return;
    }
    if (!hijacked_) {
      flush().IgnoreError();
      conn_->close().IgnoreError();
    }
  }

  [[nodiscard]] bool hijacked() const { return hijacked_; }

  // For ResponseWriter.
  std::string& out() { return out_; }
  [[nodiscard]] bool closing() const { return server_->shutting_down_; }

  // Writes what is pending, within the write timeout.
  absl::Status flush() {
    if (broken_) return absl::FailedPreconditionError("http: connection lost");
    if (out_.empty()) return absl::OkStatus();
    conn_->set_write_deadline(Instant::now() + opts_.write_timeout);
    absl::Status st = conn_->write_all(out_);
    out_.clear();
    if (!st.ok()) broken_ = true;
    return st;
  }

  absl::Status maybe_flush() {
    return out_.size() >= kFlushBytes ? flush() : absl::OkStatus();
  }

  absl::StatusOr<Hijacked> hijack() {
    if (absl::Status st = flush(); !st.ok()) return st;
    server_->forget(entry_);
    hijacked_ = true;
    conn_->set_deadline(Instant());
    Hijacked h;
    h.buffered = in_.take_buffered();
    h.conn = std::move(conn_);
    return h;
  }

 private:
  enum class Head { kOk, kEnd, kBad, kTooLarge };

  // Empty lines before a request line are ignored (RFC 9112, 2.2). True if
  // any were.
  bool skip_blank_lines() {
    bool skipped = false;
    for (;;) {
      const std::string_view data = in_.buffered();
      if (data.substr(0, 1) == "\n") {
        in_.consume(1);
      } else if (data.substr(0, 2) == "\r\n") {
        in_.consume(2);
      } else {
        return skipped;
      }
      skipped = true;
    }
  }

  // Waits for the next request head; `*len` is its size in the buffer.
  Head read_head(size_t* len) {
    conn_->set_read_deadline(Instant::now() + opts_.idle_timeout);
    size_t scanned = 0;
    bool line_checked = false;
    for (;;) {
      if (skip_blank_lines()) scanned = 0;
      const std::string_view data = in_.buffered();
      *len = find_head_end(data, scanned);
      if (!line_checked) {
        const size_t nl = data.find('\n');
        if (nl != std::string_view::npos) {
          if (!check_request_line(data.substr(0, nl)).ok()) return Head::kBad;
          line_checked = true;
        } else if (!data.empty() && !plausible_request_start(data)) {
          return Head::kBad;
        }
      }
      if (*len > opts_.max_header_bytes) return Head::kTooLarge;
      if (*len > 0) return Head::kOk;
      if (data.size() > opts_.max_header_bytes) return Head::kTooLarge;
      scanned = data.size() >= 2 ? data.size() - 2 : 0;
      if (!flush().ok()) return Head::kEnd;  // answer what came before
      const bool idle = data.empty();
      if (idle && !server_->set_idle(&*entry_, true)) return Head::kEnd;
      absl::StatusOr<size_t> n = in_.fill();
      if (idle) server_->set_idle(&*entry_, false);
      if (!n.ok() || *n == 0) return Head::kEnd;
    }
  }

  // Reads the body of a request with head `head` into `req->body`. Returns
  // 0 if done, an HTTP status to answer (and close) with, or -1 if the
  // connection is lost.
  int read_body(const RequestHead& head, Request* req) {
    if (head.body == BodyKind::kNone) return 0;
    if (head.body == BodyKind::kLength &&
        head.content_length > opts_.max_body_bytes) {
      return 413;
    }
    if (head.expect_continue && in_.buffered().empty()) {
      out_.append("HTTP/1.1 100 Continue\r\n\r\n");
      if (!flush().ok()) return -1;
    }
    conn_->set_read_deadline(Instant::now() + opts_.read_timeout);
    if (head.body == BodyKind::kLength) {
      req->body.resize(head.content_length);
      return in_.read_into(req->body.data(), req->body.size()).ok() ? 0 : -1;
    }
    ChunkedDecoder dec;
    for (;;) {
      absl::StatusOr<size_t> used = dec.decode(in_.buffered(), &req->body);
      if (!used.ok()) return 400;
      in_.consume(*used);
      if (req->body.size() > opts_.max_body_bytes) return 413;
      if (dec.done()) return 0;
      absl::StatusOr<size_t> n = in_.fill();
      if (!n.ok() || *n == 0) return -1;
    }
  }

  // Serves the request whose head is the first `head_len` buffered bytes.
  // False if the connection is done (closed or hijacked).
  bool handle(size_t head_len) {
    RequestHead head;
    if (absl::Status st =
            parse_request_head(in_.buffered().substr(0, head_len), &head);
        !st.ok()) {
      error_and_close(absl::IsUnimplemented(st) ? 501 : 400);
      return false;
    }
    in_.consume(head_len);
    Request req;
    if (!fill_request(&head, &req)) {
      error_and_close(400);
      return false;
    }
    const int body = read_body(head, &req);
    if (body != 0) {
      if (body > 0) error_and_close(body);
      return false;
    }
    ResponseWriter w(this, req.method == "HEAD", head.minor, head.keep_alive);
    if (!call_handler(req, w)) return false;
    if (w.hijacked_) return false;
    if (!w.finish() || broken_) {
      if (flush().ok()) close_gracefully();
      return false;
    }
    return maybe_flush().ok();
  }

  // Runs the handler. False if the connection is to be dropped.
  bool call_handler(Request& req, ResponseWriter& w) {
    const char* what = nullptr;
    std::string message;
    try {
      server_->handler_(req, w);
      return true;
    } catch (const mco::Cancelled&) {
      throw;
    } catch (const std::exception& e) {
      message = e.what();
      what = message.c_str();
    } catch (...) {
      what = "unknown exception";
    }
    if (w.hijacked_) return false;
    std::fprintf(stderr, "http: handler threw serving %s %s for %s: %s\n",
                 req.method.c_str(), req.target.c_str(), remote_.c_str(), what);
    if (w.committed_) {
      conn_->close().IgnoreError();  // the response is cut short
      broken_ = true;
      return false;
    }
    w.headers_.clear();
    w.body_.clear();
    w.written_ = 0;
    w.reply(500, "text/plain; charset=utf-8", "500 Internal Server Error\n");
    return true;
  }

  // The request line's target into path, query and parameters.
  bool fill_request(RequestHead* head, Request* req) {
    req->method = std::move(head->method);
    req->target = std::move(head->target);
    req->minor = head->minor;
    req->remote_address = remote_;
    std::string_view target = req->target;
    std::string absolute;
    if (target.substr(0, 7) == "http://" || target.substr(0, 8) == "https://") {
      absl::StatusOr<Url> url = Url::parse(target);
      if (!url.ok()) return false;
      absolute = url->request_target();
      target = absolute;
    }
    const size_t q = target.find('?');
    if (q != std::string_view::npos) {
      req->raw_query = std::string(target.substr(q + 1));
      req->query_params = parse_query(req->raw_query);
    }
    absl::StatusOr<std::string> path = percent_decode(target.substr(0, q));
    if (!path.ok()) return false;
    req->path = std::move(*path);
    req->headers = std::move(head->headers);
    return true;
  }

  // Answers `status` with `Connection: close` and closes.
  void error_and_close(int status) {
    std::string body;
    append_number(&body, static_cast<uint64_t>(status));
    body.append(" ").append(status_text(status)).append("\n");
    append_status_line(&out_, status);
    out_.append("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ");
    append_number(&out_, body.size());
    out_.append("\r\nConnection: close\r\n\r\n").append(body);
    if (flush().ok()) close_gracefully();
  }

  // Closes once the last bytes are written: shuts down the sending side,
  // then reads and drops what the client still sends (for a while), since
  // closing with unread bytes makes the kernel send a reset, which may
  // destroy the response before the client read it.
  void close_gracefully() {
    if (conn_->close_write().ok()) {
      conn_->set_read_deadline(Instant::now() + kLinger);
      char sink[4096];
      for (size_t drained = 0; drained < kLingerBytes;) {
        absl::StatusOr<size_t> n = conn_->read(sink, sizeof sink);
        if (!n.ok() || *n == 0) break;
        drained += *n;
      }
    }
    conn_->close().IgnoreError();
  }

  friend class mco::net::http::ResponseWriter;

  Server* const server_;
  const Server::EntryIt entry_;
  const ServerOptions& opts_;
  std::unique_ptr<net::Conn> conn_;
  ConnReader in_;
  std::string out_;  // responses not written yet
  std::string remote_;
  bool broken_ = false;  // a write failed
  bool hijacked_ = false;
};

}  // namespace internal

// --- ResponseWriter ----------------------------------------------------------

void ResponseWriter::write_header(int status) {
  if (committed_ || hijacked_ || status < 100 || status > 999) return;
  status_ = status;
}

bool ResponseWriter::body_allowed() const {
  return status_ >= 200 && status_ != 204 && status_ != 304;
}

absl::Status ResponseWriter::write(std::string_view data) {
  if (hijacked_) return absl::FailedPreconditionError("http: hijacked");
  if (data.empty()) return absl::OkStatus();
  if (!body_allowed()) {
    return absl::FailedPreconditionError(
        "http: request method or response status code does not allow body");
  }
  written_ += data.size();
  if (mode_ == Mode::kBuffered) {
    body_.append(data);
    return body_.size() > internal::kStreamAfter ? commit(false)
                                                 : absl::OkStatus();
  }
  return send_body(data);
}

absl::Status ResponseWriter::flush() {
  if (hijacked_) return absl::FailedPreconditionError("http: hijacked");
  if (!committed_) {
    if (absl::Status st = commit(false); !st.ok()) return st;
  }
  return conn_->flush();
}

void ResponseWriter::reply(int status, std::string_view content_type,
                           std::string_view body) {
  write_header(status);
  if (!committed_) headers_.set("Content-Type", content_type);
  write(body).IgnoreError();
}

absl::StatusOr<Hijacked> ResponseWriter::hijack() {
  if (hijacked_) return absl::FailedPreconditionError("http: hijacked twice");
  if (committed_) {
    return absl::FailedPreconditionError("http: response already sent");
  }
  absl::StatusOr<Hijacked> h = conn_->hijack();
  if (h.ok()) hijacked_ = true;
  return h;
}

absl::Status ResponseWriter::commit(bool final) {
  committed_ = true;
  std::string& out = conn_->out();
  bool close = !keep_alive_ || headers_.has_token("Connection", "close") ||
               conn_->closing();
  uint64_t handler_length = 0;
  bool has_handler_length = false;
  if (std::string_view cl = headers_.get("Content-Length"); !cl.empty()) {
    const auto [end, ec] =
        std::from_chars(cl.data(), cl.data() + cl.size(), handler_length);
    has_handler_length = ec == std::errc() && end == cl.data() + cl.size();
  }
  if (!body_allowed()) {
    mode_ = Mode::kNone;
  } else if (final) {
    mode_ = Mode::kLength;
    declared_ = body_.size();
    // A HEAD handler may state the length without writing the body.
    if (head_request_ && body_.empty() && has_handler_length) {
      declared_ = handler_length;
    }
  } else if (has_handler_length) {
    mode_ = Mode::kLength;
    declared_ = handler_length;
  } else if (minor_ >= 1) {
    mode_ = Mode::kChunked;
  } else {
    mode_ = Mode::kUntilClose;
    close = true;
  }
  internal::append_status_line(&out, status_);
  if (body_allowed() && !headers_.has("Content-Type") && written_ > 0) {
    out.append("Content-Type: text/plain; charset=utf-8\r\n");
  }
  for (const auto& [name, value] : headers_.fields()) {
    if (equal_fold(name, "Content-Length") ||
        equal_fold(name, "Transfer-Encoding") ||
        equal_fold(name, "Connection") || equal_fold(name, "Date")) {
      continue;
    }
    internal::append_value(&out, name);
    out.append(": ");
    internal::append_value(&out, value);
    out.append("\r\n");
  }
  if (mode_ == Mode::kLength) {
    out.append("Content-Length: ");
    internal::append_number(&out, declared_);
    out.append("\r\n");
  } else if (mode_ == Mode::kChunked) {
    out.append("Transfer-Encoding: chunked\r\n");
  }
  if (close) {
    out.append("Connection: close\r\n");
  } else if (minor_ == 0) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n");
  keep_alive_ = !close;
  std::string body = std::move(body_);
  body_.clear();
  if (absl::Status st = send_body(body); !st.ok()) return st;
  return final ? absl::OkStatus() : conn_->flush();
}

absl::Status ResponseWriter::send_body(std::string_view data) {
  if (data.empty() || head_request_ || mode_ == Mode::kNone) {
    return absl::OkStatus();
  }
  std::string& out = conn_->out();
  switch (mode_) {
    case Mode::kLength:
      if (sent_ + data.size() > declared_) {
        return absl::FailedPreconditionError(
            "http: wrote more than the declared Content-Length");
      }
      out.append(data);
      break;
    case Mode::kChunked:
      append_chunk(&out, data);
      break;
    default:
      out.append(data);
      break;
  }
  sent_ += data.size();
  return conn_->maybe_flush();
}

bool ResponseWriter::finish() {
  if (!committed_) {
    if (!commit(true).ok()) return false;
  } else if (mode_ == Mode::kChunked && !head_request_) {
    append_last_chunk(&conn_->out());
  } else if (mode_ == Mode::kLength && !head_request_ && sent_ < declared_) {
    keep_alive_ = false;  // the body is short: only a close can end it
  } else if (mode_ == Mode::kUntilClose) {
    keep_alive_ = false;
  }
  return keep_alive_;
}

// --- Server ------------------------------------------------------------------

Server::Server(Handler handler, ServerOptions options)
    : handler_(std::move(handler)), options_(std::move(options)) {}

Server::~Server() {
  if (!shutting_down_ || running_.count() > 0) {
    shutdown(time::Instant::now()).IgnoreError();
  }
}

absl::Status Server::serve(net::TcpListener& listener) {
  {
    std::lock_guard<sync::Mutex> l(mu_);
    if (shutting_down_) {
      return absl::FailedPreconditionError("http: server closed");
    }
    listeners_.push_back(&listener);
    running_.add(1);
  }
  struct Leave {
    Server* s;
    net::TcpListener* ln;
    ~Leave() {
      {
        std::lock_guard<sync::Mutex> l(s->mu_);
        s->listeners_.erase(
            std::find(s->listeners_.begin(), s->listeners_.end(), ln));
      }
      s->running_.done();
    }
  } leave{this, &listener};
  time::Duration pause;
  for (;;) {
    absl::StatusOr<net::TcpStream> conn = listener.accept();
    if (conn.ok()) {
      pause = time::Duration();
      {
        std::lock_guard<sync::Mutex> l(mu_);
        ++accepted_;
      }
      serve_conn(std::make_unique<net::TcpStream>(std::move(*conn)));
      continue;
    }
    if (shutting_down_) return absl::OkStatus();
    if (absl::IsFailedPrecondition(conn.status())) return conn.status();
    pause = pause == time::Duration() ? 5 * time::Millisecond
                                      : std::min(2 * pause, 1 * time::Second);
    std::fprintf(stderr, "http: accept: %s; retrying in %lld ms\n",
                 std::string(conn.status().message()).c_str(),
                 static_cast<long long>(pause.milliseconds()));
    time::sleep(pause);
  }
}

void Server::serve_conn(std::unique_ptr<net::Conn> conn) {
  std::lock_guard<sync::Mutex> l(mu_);
  if (shutting_down_) {
    conn->close().IgnoreError();
    return;
  }
  const EntryIt it = conns_.emplace(conns_.end());
  running_.add(1);
  it->coroutine = mco::go([this, it, c = std::move(conn)]() mutable {
    run_conn(it, std::move(c));
  });
}

void Server::run_conn(EntryIt entry, std::unique_ptr<net::Conn> conn) {
  if (options_.wrap_conn) {
    conn->set_deadline(time::Instant::now() + options_.idle_timeout);
    absl::StatusOr<std::unique_ptr<net::Conn>> wrapped =
        absl::UnknownError("not wrapped");
    try {
      wrapped = options_.wrap_conn(std::move(conn));
    } catch (const mco::Cancelled&) {
      wrapped = absl::CancelledError("cancelled");
    } catch (const std::exception& e) {
      wrapped = absl::InternalError(e.what());
    }
    conn = wrapped.ok() ? std::move(*wrapped) : nullptr;
    if (conn != nullptr) conn->set_deadline(time::Instant());
  }
  if (conn != nullptr) {
    {
      std::lock_guard<sync::Mutex> l(mu_);
      entry->conn = conn.get();
    }
    internal::ServerConn sc(this, entry, std::move(conn));
    try {
      sc.serve();
    } catch (const mco::Cancelled&) {
      // Shut down at the deadline.
    } catch (const std::exception& e) {
      std::fprintf(stderr, "http: connection ended: %s\n", e.what());
    }
    if (sc.hijacked()) return;  // the server forgot it already
    std::lock_guard<sync::Mutex> l(mu_);
    entry->conn = nullptr;  // before `sc` destroys the Conn
  }
  forget(entry);
}

void Server::forget(EntryIt entry) {
  {
    std::lock_guard<sync::Mutex> l(mu_);
    conns_.erase(entry);
  }
  running_.done();
}

bool Server::set_idle(internal::ConnEntry* entry, bool idle) {
  std::lock_guard<sync::Mutex> l(mu_);
  if (idle && shutting_down_) return false;
  entry->idle = idle;
  return true;
}

absl::Status Server::shutdown(time::Instant deadline) {
  {
    std::lock_guard<sync::Mutex> l(mu_);
    shutting_down_ = true;
    for (net::TcpListener* ln : listeners_) ln->close().IgnoreError();
    for (internal::ConnEntry& e : conns_) {
      if (e.idle && e.conn != nullptr) e.conn->close().IgnoreError();
    }
  }
  if (running_.wait_until(deadline.time_point())) return absl::OkStatus();
  size_t forced = 0;
  {
    std::lock_guard<sync::Mutex> l(mu_);
    for (internal::ConnEntry& e : conns_) {
      if (e.conn != nullptr) e.conn->close().IgnoreError();
      e.coroutine.cancel();
      ++forced;
    }
  }
  running_.wait();
  return absl::DeadlineExceededError("http: shutdown deadline passed; " +
                                     std::to_string(forced) +
                                     " connections closed");
}

size_t Server::connections() const {
  std::lock_guard<sync::Mutex> l(mu_);
  return conns_.size();
}

uint64_t Server::accepted() const {
  std::lock_guard<sync::Mutex> l(mu_);
  return accepted_;
}

}  // namespace mco::net::http
