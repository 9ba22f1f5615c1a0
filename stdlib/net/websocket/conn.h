// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: conn.h
// -----------------------------------------------------------------------------
//
// `websocket::Conn`: one WebSocket connection (RFC 6455) over any
// `net::Conn` (TCP, Unix, TLS), after the opening handshake. `dial` and
// `client` (client.h) or `accept` and `accept_raw` (server.h) make one.
//
//   auto ws = mco::net::websocket::dial("ws://127.0.0.1:8080/echo");
//   if (!ws.ok()) return ws.status();
//   (*ws)->write_text("hello");
//   absl::StatusOr<Message> m = (*ws)->read();      // the next whole message
//   if (!m.ok()) {
//     if (auto c = close_info(m.status())) ...      // the peer closed: c->code
//   }
//   (*ws)->close(kCloseNormal, "bye");              // close handshake
//
// Reading. `read()` returns the next whole message, text or binary, with its
// fragments joined. On the way it answers pings with pongs, reports pongs to
// `ConnOptions::on_pong`, and checks the peer: a protocol error fails the
// read with InvalidArgument and closes with 1002; a text message that is not
// UTF-8 with InvalidArgument and 1007; a frame or message over the limits
// (`max_frame_size`, `max_message_size`) with ResourceExhausted and 1009.
// After such an error the TCP connection is closed and every later read
// returns the same error. When the peer sends a close frame, `read()`
// answers it (unless this side sent one first), closes the connection and
// returns OutOfRange ("websocket: close 1000 (normal closure): bye") carrying
// the peer's code and reason: `close_info(status)` and `peer_close()` give
// them. A connection that ends without a close frame fails with Unavailable
// ("... (1006 abnormal closure)").
//
// Writing. `write_text`, `write_binary` and `write_fragmented` send a
// message; `ping` and `close` send control frames. Frames are written whole,
// one at a time (a mutex serialises them), so the reader's pongs and close
// replies never split a writer's frame; between the frames of a fragmented
// message they may come in, as RFC 6455 allows. A write that fails (or is
// cancelled or times out) part way may have left part of a frame on the
// wire, so the connection is then broken: every later write returns that
// error.
//
// Closing. `close(code, reason)` sends a close frame and, unless another
// coroutine is reading, reads (discarding messages) until the peer answers
// or `ConnOptions::close_timeout` passes, then closes the TCP connection.
// If a reader is active, `close` only sends the frame and arms a read
// deadline of `close_timeout`: that reader's `read()` receives the answer
// (OutOfRange with the peer's close) and closes the connection.
//
// Deadlines, as on `net::Conn`: `set_read_deadline` and
// `set_write_deadline` are forwarded to the underlying connection. A read
// that times out returns DeadlineExceeded and may be retried: a message
// half-read stays buffered. Cancellation: a cancelled coroutine gets
// `mco::Cancelled` thrown from the blocking call, as in `net::Conn`; a
// cancelled read may be retried too, a cancelled write breaks the
// connection (see Writing). Everything works from plain threads as well.
//
// Concurrency: one reader (`read`, or `close` when it reads) and one writer
// (`write_*`, `ping`, `close`) may run at once; more readers, or more
// writers, must be serialised by the caller. `close_connection()` may be
// called from anywhere, any time.

#ifndef MCO_STDLIB_NET_WEBSOCKET_CONN_H_
#define MCO_STDLIB_NET_WEBSOCKET_CONN_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mco/net/conn.h"
#include "mco/net/websocket/frame.h"
#include "mco/sync/mutex.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"

namespace mco::net::websocket {

// MessageType
enum class MessageType { kText, kBinary };

// Message
//
// A whole data message.
struct Message {
  MessageType type = MessageType::kBinary;
  std::string data;

  [[nodiscard]] bool is_text() const { return type == MessageType::kText; }
};

// ConnOptions
//
// Limits and hooks of a connection; part of DialOptions and AcceptOptions.
struct ConnOptions {
  // A frame (any opcode) whose payload is longer fails the read with 1009.
  uint64_t max_frame_size = 16 << 20;
  // A message whose fragments add up to more fails the read with 1009.
  uint64_t max_message_size = 64 << 20;
  // How long `close` (and a reader answering a close) waits for the peer.
  time::Duration close_timeout = 5 * time::Second;
  // Called by the reader for every pong, with its payload.
  std::function<void(std::string_view)> on_pong;
};

// CloseInfo
//
// A close code and reason.
struct CloseInfo {
  uint16_t code = kCloseNoStatus;
  std::string reason;
};

// close_info()
//
// The peer's close code and reason if `status` is what `read()` returns
// after the peer closed (OutOfRange with a close payload); nothing for any
// other status.
[[nodiscard]] std::optional<CloseInfo> close_info(const absl::Status& status);

// Role
//
// Which end of the connection this side is.
enum class Role { kClient, kServer };

class Conn {
 public:
  // Conn::Conn()
  //
  // For client.h and server.h: a connection whose handshake is done, with
  // `buffered` bytes already read past the handshake.
  Conn(std::unique_ptr<net::Conn> conn, Role role, std::string buffered,
       ConnOptions options, std::string subprotocol);
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();

  // Conn::read()
  //
  // The next whole message (see the file comment for errors and closing).
  absl::StatusOr<Message> read();

  // Conn::write_text() / write_binary() / write()
  //
  // Sends one message in one frame. `write_text` checks that `data` is
  // UTF-8 (InvalidArgument, nothing sent, if not).
  absl::Status write_text(std::string_view data);
  absl::Status write_binary(std::string_view data);
  absl::Status write(MessageType type, std::string_view data);

  // Conn::write_fragmented()
  //
  // Sends one message as one frame per piece (an empty piece is an empty
  // frame; no pieces is one empty frame). For text, the pieces together
  // must be UTF-8; a character may be split between pieces.
  absl::Status write_fragmented(MessageType type,
                                absl::Span<const std::string_view> pieces);

  // Conn::ping()
  //
  // Sends a ping with `payload` (at most 125 bytes); the peer's pong goes to
  // `ConnOptions::on_pong` (as the reader reads it).
  absl::Status ping(std::string_view payload = {});

  // Conn::close()
  //
  // The close handshake (see the file comment): sends a close frame with
  // `code` (kCloseNoStatus: no code) and `reason`, waits for the peer's at
  // most `close_timeout`, closes the connection. OK if the peer answered;
  // DeadlineExceeded if it did not in time; FailedPrecondition if a close
  // was sent already; InvalidArgument for a code that may not be sent or a
  // bad reason (then nothing is sent).
  absl::Status close(uint16_t code = kCloseNormal,
                     std::string_view reason = {});

  // Conn::close_connection()
  //
  // Closes the underlying connection at once, without a close handshake
  // (as an abnormal closure); blocked reads and writes fail.
  void close_connection();

  // Conn::set_deadline() / set_read_deadline() / set_write_deadline()
  //
  // Forwarded to the underlying connection. `Instant()` clears.
  void set_deadline(time::Instant t);
  void set_read_deadline(time::Instant t);
  void set_write_deadline(time::Instant t);

  // Conn::peer_close()
  //
  // The close frame the peer sent, once `read` (or `close`) has received
  // one.
  [[nodiscard]] std::optional<CloseInfo> peer_close() const;

  // Conn::subprotocol()
  //
  // The negotiated subprotocol, "" for none.
  [[nodiscard]] const std::string& subprotocol() const { return subprotocol_; }
  [[nodiscard]] Role role() const { return role_; }

  // Conn::underlying()
  //
  // The connection below, e.g. for its addresses.
  [[nodiscard]] net::Conn& underlying() { return *conn_; }

 private:
  // Reading (only the reader touches these).
  absl::Status fill() ABSL_EXCLUSIVE_LOCKS_REQUIRED(read_mu_);
  absl::Status read_failed(absl::Status error)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(read_mu_);
  absl::Status fail_read(absl::Status error, uint16_t close_code)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(read_mu_);
  absl::Status handle_control(const FrameHeader& h, std::string payload)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(read_mu_);
  absl::StatusOr<Message> read_message()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(read_mu_);

  // Writing: one frame under `write_mu_`.
  absl::Status write_frame(Opcode op, bool fin, std::string_view payload);
  absl::Status write_frame_locked(Opcode op, bool fin, std::string_view payload)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::Status send_close(uint16_t code, std::string_view reason);
  void next_mask_key(uint8_t key[4]) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  std::unique_ptr<net::Conn> conn_;
  const Role role_;
  const ConnOptions options_;
  const std::string subprotocol_;

  // Reader state: buffered input and the frame and message in progress, so
  // a read interrupted by a deadline or cancellation can resume. Held by the
  // reader (`read`, or `close` reading the answer) under `read_mu_`.
  sync::Mutex read_mu_;
  std::unique_ptr<char[]> rbuf_ ABSL_GUARDED_BY(read_mu_);
  size_t rcap_ ABSL_GUARDED_BY(read_mu_) = 0;
  size_t rbeg_ ABSL_GUARDED_BY(read_mu_) = 0;  // unread: [rbeg_, rend_)
  size_t rend_ ABSL_GUARDED_BY(read_mu_) = 0;
  bool in_frame_ ABSL_GUARDED_BY(read_mu_) = false;
  FrameHeader frame_ ABSL_GUARDED_BY(read_mu_);
  uint64_t frame_done_ ABSL_GUARDED_BY(read_mu_) = 0;  // payload consumed
  bool in_message_ ABSL_GUARDED_BY(read_mu_) = false;
  MessageType message_type_ ABSL_GUARDED_BY(read_mu_) = MessageType::kBinary;
  std::string message_ ABSL_GUARDED_BY(read_mu_);
  Utf8Validator utf8_ ABSL_GUARDED_BY(read_mu_);
  absl::Status read_error_ ABSL_GUARDED_BY(read_mu_);  // sticky once set

  // Close state, shared by reader and writer.
  std::atomic<bool> close_sent_{false};
  std::atomic<bool> close_received_{false};
  std::atomic<bool> conn_closed_{false};
  mutable sync::Mutex close_mu_;
  std::optional<CloseInfo> peer_close_ ABSL_GUARDED_BY(close_mu_);

  // Writer state.
  sync::Mutex write_mu_;
  absl::Status write_error_ ABSL_GUARDED_BY(write_mu_);  // sticky once set
  std::string wbuf_ ABSL_GUARDED_BY(write_mu_);
  uint8_t random_[256] ABSL_GUARDED_BY(write_mu_);
  size_t random_pos_ ABSL_GUARDED_BY(write_mu_) = sizeof random_;
};

}  // namespace mco::net::websocket

#endif  // MCO_STDLIB_NET_WEBSOCKET_CONN_H_
