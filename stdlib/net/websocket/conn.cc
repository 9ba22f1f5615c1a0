// Copyright 2026 The mco Authors.
//
// websocket::Conn (conn.h).
//
// Model. The reader owns the input side: a read buffer, the frame being read
// (`in_frame_`, `frame_`, `frame_done_`) and the message being assembled
// (`in_message_`, `message_`, `utf8_`). Every step consumes input only once
// it has been used, so a read that returns DeadlineExceeded or throws
// `Cancelled` leaves a consistent state the next `read()` continues from.
// A fatal read error is kept in `read_error_` and returned by every later
// read.
//
// Writers (the user's writer, and the reader sending pongs and close
// replies) write whole frames under `write_mu_`. A frame write that fails or
// is interrupted leaves `write_error_` set, as the stream may hold part of a
// frame.
//
// Closing: `close_sent_` and `close_received_` record the two halves of the
// close handshake; whoever completes it (the reader receiving the answer, or
// `close` reading it) closes the underlying connection. `conn_closed_` makes
// that close happen once.

#include "mco/net/websocket/conn.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "absl/strings/cord.h"
#include "stdlib/net/websocket/random_internal.h"
#include "stdlib/net/websocket/str_internal.h"

namespace mco::net::websocket {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr char kClosePayloadUrl[] = "mco.net.websocket/close";

// A scoped lock of a `sync::Mutex` that clang's -Wthread-safety
// understands (std::lock_guard is not annotated).
class ABSL_SCOPED_LOCKABLE Locked {
 public:
  explicit Locked(sync::Mutex& mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_.lock();
  }
  // Adopts a lock the caller holds.
  Locked(sync::Mutex& mu, std::adopt_lock_t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu)
      : mu_(mu) {}
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;
  ~Locked() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }

 private:
  sync::Mutex& mu_;
};

absl::Status close_status(const CloseInfo& c) {
  std::string_view name = close_code_name(c.code);
  absl::Status st = absl::OutOfRangeError(
      internal::cat("websocket: close ", c.code,
                    name.empty() ? "" : internal::cat(" (", name, ")"),
                    c.reason.empty() ? "" : ": ", c.reason));
  std::string raw;
  raw.push_back(static_cast<char>(c.code >> 8));
  raw.push_back(static_cast<char>(c.code & 0xFF));
  raw += c.reason;
  st.SetPayload(kClosePayloadUrl, absl::Cord(raw));
  return st;
}

}  // namespace

std::optional<CloseInfo> close_info(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kOutOfRange) return std::nullopt;
  auto raw = status.GetPayload(kClosePayloadUrl);  // absl::optional
  if (!raw || raw->size() < 2) return std::nullopt;
  const std::string s(*raw);
  CloseInfo c;
  c.code = static_cast<uint16_t>((static_cast<uint8_t>(s[0]) << 8) |
                                 static_cast<uint8_t>(s[1]));
  c.reason = s.substr(2);
  return c;
}

Conn::Conn(std::unique_ptr<net::Conn> conn, Role role, std::string buffered,
           ConnOptions options, std::string subprotocol)
    : conn_(std::move(conn)),
      role_(role),
      options_(std::move(options)),
      subprotocol_(std::move(subprotocol)) {
  rcap_ = std::max(kReadChunk, buffered.size());
  rbuf_ = std::make_unique<char[]>(rcap_);
  std::memcpy(rbuf_.get(), buffered.data(), buffered.size());
  rend_ = buffered.size();
}

Conn::~Conn() { close_connection(); }

void Conn::close_connection() {
  if (!conn_closed_.exchange(true)) (void)conn_->close();
}

void Conn::set_deadline(time::Instant t) { conn_->set_deadline(t); }
void Conn::set_read_deadline(time::Instant t) { conn_->set_read_deadline(t); }
void Conn::set_write_deadline(time::Instant t) { conn_->set_write_deadline(t); }

std::optional<CloseInfo> Conn::peer_close() const {
  Locked l(close_mu_);
  return peer_close_;
}

// ---------------------------------------------------------------------------
// Reading

absl::Status Conn::fill() {
  if (rbeg_ == rend_) {
    rbeg_ = rend_ = 0;
  } else if (rcap_ - rend_ < kReadChunk / 4 && rbeg_ > 0) {
    std::memmove(rbuf_.get(), rbuf_.get() + rbeg_, rend_ - rbeg_);
    rend_ -= rbeg_;
    rbeg_ = 0;
  }
  if (rend_ == rcap_) {  // a header split at the end of a full buffer
    auto bigger = std::make_unique<char[]>(rcap_ * 2);
    std::memcpy(bigger.get(), rbuf_.get(), rcap_);
    rbuf_ = std::move(bigger);
    rcap_ *= 2;
  }
  absl::StatusOr<size_t> n = conn_->read(rbuf_.get() + rend_, rcap_ - rend_);
  if (!n.ok()) return n.status();
  if (*n == 0) {
    return absl::UnavailableError(
        "websocket: connection closed without a close frame (1006 abnormal "
        "closure)");
  }
  rend_ += *n;
  return absl::OkStatus();
}

absl::Status Conn::read_failed(absl::Status error) {
  // A deadline leaves the state as it was: the read may be retried.
  if (absl::IsDeadlineExceeded(error)) return error;
  read_error_ = error;
  close_connection();
  return error;
}

absl::Status Conn::fail_read(absl::Status error, uint16_t close_code) {
  if (!close_sent_.exchange(true)) {
    // Best effort: tell the peer why, unless a writer holds the lock too long.
    std::string_view why =
        close_code == kCloseProtocolError    ? "protocol error"
        : close_code == kCloseInvalidPayload ? "invalid UTF-8"
        : close_code == kCloseMessageTooBig  ? "message too big"
                                             : "";
    if (write_mu_.try_lock_for(
            std::chrono::nanoseconds(options_.close_timeout))) {
      Locked l(write_mu_, std::adopt_lock);
      (void)write_frame_locked(Opcode::kClose, true,
                               make_close_payload(close_code, why).value());
    }
  }
  error.SetPayload("mco.net.websocket/sent-close",
                   absl::Cord(internal::cat(close_code)));
  return read_failed(std::move(error));
}

absl::Status Conn::handle_control(const FrameHeader& h, std::string payload) {
  switch (h.opcode) {
    case Opcode::kPing:
      if (!close_sent_.load()) {
        // A failed pong shows up as the next write's (or read's) error.
        (void)write_frame(Opcode::kPong, true, payload);
      }
      return absl::OkStatus();
    case Opcode::kPong:
      if (options_.on_pong) options_.on_pong(payload);
      return absl::OkStatus();
    case Opcode::kClose: {
      absl::StatusOr<ClosePayload> c = parse_close_payload(payload);
      if (!c.ok()) return fail_read(c.status(), kCloseProtocolError);
      CloseInfo info{c->code, std::move(c->reason)};
      {
        Locked l(close_mu_);
        peer_close_ = info;
      }
      close_received_.store(true);
      if (!close_sent_.exchange(true)) {
        // Echo the code (RFC 6455 5.5.1); 1005 means none was given.
        (void)send_close(info.code, "");
      }
      // Both halves done: close the TCP connection (the client MAY close
      // first, RFC 6455 7.1.1; it saves waiting for the server).
      close_connection();
      read_error_ = close_status(info);
      return read_error_;
    }
    default:
      return absl::InternalError("websocket: not a control frame");
  }
}

absl::StatusOr<Message> Conn::read() {
  Locked l(read_mu_);
  if (!read_error_.ok()) return read_error_;
  return read_message();
}

absl::StatusOr<Message> Conn::read_message() {
  const Sender peer =
      role_ == Role::kClient ? Sender::kServer : Sender::kClient;
  for (;;) {
    if (!in_frame_) {
      FrameHeader h;
      absl::StatusOr<size_t> n = parse_frame_header(
          std::string_view(rbuf_.get() + rbeg_, rend_ - rbeg_), peer, &h);
      if (!n.ok()) return fail_read(n.status(), kCloseProtocolError);
      if (*n == 0) {
        if (auto st = fill(); !st.ok()) return read_failed(st);
        continue;
      }
      if (h.payload_length > options_.max_frame_size) {
        return fail_read(
            absl::ResourceExhaustedError(internal::cat(
                "websocket: frame of ", h.payload_length,
                " bytes exceeds the limit of ", options_.max_frame_size)),
            kCloseMessageTooBig);
      }
      if (!is_control(h.opcode)) {
        if (h.opcode == Opcode::kContinuation) {
          if (!in_message_) {
            return fail_read(absl::InvalidArgumentError(
                                 "websocket: continuation frame without a "
                                 "message to continue"),
                             kCloseProtocolError);
          }
        } else {
          if (in_message_) {
            return fail_read(
                absl::InvalidArgumentError(
                    "websocket: new data frame inside a fragmented message"),
                kCloseProtocolError);
          }
          in_message_ = true;
          message_type_ = h.opcode == Opcode::kText ? MessageType::kText
                                                    : MessageType::kBinary;
          message_.clear();
          utf8_.reset();
        }
        if (message_.size() + h.payload_length > options_.max_message_size) {
          return fail_read(absl::ResourceExhaustedError(internal::cat(
                               "websocket: message of more than ",
                               options_.max_message_size, " bytes")),
                           kCloseMessageTooBig);
        }
        // Room for the frame, but a peer's claim reserves at most 1 MiB.
        message_.reserve(message_.size() +
                         std::min<uint64_t>(h.payload_length, 1 << 20));
      }
      rbeg_ += *n;
      frame_ = h;
      frame_done_ = 0;
      in_frame_ = true;
    }

    if (is_control(frame_.opcode)) {
      const size_t len = frame_.payload_length;  // <= 125
      if (rend_ - rbeg_ < len) {
        if (auto st = fill(); !st.ok()) return read_failed(st);
        continue;
      }
      std::string payload(rbuf_.get() + rbeg_, len);
      if (frame_.masked) apply_mask(payload.data(), len, frame_.mask_key, 0);
      rbeg_ += len;
      in_frame_ = false;
      if (auto st = handle_control(frame_, std::move(payload)); !st.ok()) {
        return st;
      }
      continue;
    }

    const uint64_t left = frame_.payload_length - frame_done_;
    if (left > 0) {
      if (rbeg_ == rend_) {
        if (auto st = fill(); !st.ok()) return read_failed(st);
        continue;
      }
      const size_t take =
          static_cast<size_t>(std::min<uint64_t>(left, rend_ - rbeg_));
      const size_t old = message_.size();
      message_.append(rbuf_.get() + rbeg_, take);
      if (frame_.masked) {
        apply_mask(&message_[old], take, frame_.mask_key, frame_done_);
      }
      rbeg_ += take;
      frame_done_ += take;
      if (message_type_ == MessageType::kText &&
          !utf8_.feed(std::string_view(message_).substr(old))) {
        return fail_read(absl::InvalidArgumentError(
                             "websocket: invalid UTF-8 in a text message"),
                         kCloseInvalidPayload);
      }
      if (frame_done_ < frame_.payload_length) continue;
    }
    in_frame_ = false;
    if (!frame_.fin) continue;
    if (message_type_ == MessageType::kText && !utf8_.complete()) {
      return fail_read(absl::InvalidArgumentError(
                           "websocket: text message ends inside a UTF-8 "
                           "character"),
                       kCloseInvalidPayload);
    }
    in_message_ = false;
    Message m{message_type_, std::move(message_)};
    message_ = std::string();
    return m;
  }
}

// ---------------------------------------------------------------------------
// Writing

void Conn::next_mask_key(uint8_t key[4]) {
  if (random_pos_ + 4 > sizeof random_) {
    internal::random_bytes(random_, sizeof random_);
    random_pos_ = 0;
  }
  std::memcpy(key, random_ + random_pos_, 4);
  random_pos_ += 4;
}

absl::Status Conn::write_frame_locked(Opcode op, bool fin,
                                      std::string_view payload) {
  if (!write_error_.ok()) return write_error_;
  FrameHeader h;
  h.fin = fin;
  h.opcode = op;
  h.payload_length = payload.size();
  h.masked = role_ == Role::kClient;
  if (h.masked) next_mask_key(h.mask_key);
  char header[kMaxFrameHeaderSize];
  const size_t hn = encode_frame_header(h, header);

  // Until the frame is out, an exception (Cancelled) leaves the stream
  // broken: part of the frame may have been written.
  struct Broken {
    absl::Status& error;
    bool armed = true;
    ~Broken() {
      if (armed) {
        error = absl::AbortedError(
            "websocket: a write was interrupted inside a frame");
      }
    }
  } broken{write_error_};
  absl::Status st;
  if (!h.masked) {
    st = conn_->write_vectored({std::string_view(header, hn), payload});
  } else {
    wbuf_.assign(header, hn);
    wbuf_.append(payload);
    apply_mask(&wbuf_[hn], payload.size(), h.mask_key, 0);
    st = conn_->write_all(wbuf_);
    if (wbuf_.capacity() > (4 << 20)) wbuf_ = std::string();
  }
  broken.armed = false;
  if (!st.ok()) write_error_ = st;
  return st;
}

absl::Status Conn::write_frame(Opcode op, bool fin, std::string_view payload) {
  Locked l(write_mu_);
  if (close_sent_.load()) {
    return absl::FailedPreconditionError("websocket: close sent");
  }
  return write_frame_locked(op, fin, payload);
}

absl::Status Conn::send_close(uint16_t code, std::string_view reason) {
  absl::StatusOr<std::string> payload = make_close_payload(code, reason);
  if (!payload.ok()) return payload.status();
  Locked l(write_mu_);
  return write_frame_locked(Opcode::kClose, true, *payload);
}

absl::Status Conn::write(MessageType type, std::string_view data) {
  if (type == MessageType::kText && !is_valid_utf8(data)) {
    return absl::InvalidArgumentError(
        "websocket: text message is not valid UTF-8");
  }
  return write_frame(
      type == MessageType::kText ? Opcode::kText : Opcode::kBinary, true, data);
}

absl::Status Conn::write_text(std::string_view data) {
  return write(MessageType::kText, data);
}

absl::Status Conn::write_binary(std::string_view data) {
  return write(MessageType::kBinary, data);
}

absl::Status Conn::write_fragmented(MessageType type,
                                    absl::Span<const std::string_view> pieces) {
  if (type == MessageType::kText) {
    Utf8Validator v;
    for (std::string_view p : pieces) v.feed(p);
    if (!v.complete()) {
      return absl::InvalidArgumentError(
          "websocket: text message is not valid UTF-8");
    }
  }
  const Opcode first =
      type == MessageType::kText ? Opcode::kText : Opcode::kBinary;
  if (pieces.empty()) return write_frame(first, true, {});
  for (size_t i = 0; i < pieces.size(); ++i) {
    // The lock is taken per frame: the reader's pongs may go in between.
    if (auto st = write_frame(i == 0 ? first : Opcode::kContinuation,
                              i + 1 == pieces.size(), pieces[i]);
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

absl::Status Conn::ping(std::string_view payload) {
  if (payload.size() > kMaxControlPayload) {
    return absl::InvalidArgumentError(
        "websocket: ping payload longer than 125 bytes");
  }
  return write_frame(Opcode::kPing, true, payload);
}

// ---------------------------------------------------------------------------
// Closing

absl::Status Conn::close(uint16_t code, std::string_view reason) {
  absl::StatusOr<std::string> payload = make_close_payload(code, reason);
  if (!payload.ok()) return payload.status();
  if (close_sent_.exchange(true)) {
    // The reader answered the peer's close already: the handshake is done.
    if (close_received_.load()) return absl::OkStatus();
    return absl::FailedPreconditionError("websocket: close already sent");
  }
  absl::Status st;
  {
    Locked l(write_mu_);
    st = write_frame_locked(Opcode::kClose, true, *payload);
  }
  if (!st.ok()) {
    close_connection();
    return st;
  }
  if (close_received_.load()) {
    close_connection();
    return absl::OkStatus();
  }
  conn_->set_read_deadline(time::Instant::now() + options_.close_timeout);
  // A reader active in `read` receives the answer and closes (its deadline
  // is the one just set).
  if (!read_mu_.try_lock()) return absl::OkStatus();
  Locked l(read_mu_, std::adopt_lock);
  // No reader: read the answer here, dropping data messages.
  while (read_error_.ok()) {
    absl::StatusOr<Message> m = read_message();
    if (!m.ok() && absl::IsDeadlineExceeded(m.status())) {
      read_error_ =
          absl::DeadlineExceededError("websocket: close handshake timed out");
    }
  }
  close_connection();
  if (close_info(read_error_)) return absl::OkStatus();
  return read_error_;
}

}  // namespace mco::net::websocket
