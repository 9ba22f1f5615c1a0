// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: response_writer.h
// -----------------------------------------------------------------------------
//
// `ResponseWriter`: how a server's handler answers (Go's
// http.ResponseWriter), and `Handler`, the type of a handler.
//
//   server.handle([](Request& req, ResponseWriter& w) {
//     w.headers().set("Content-Type", "text/plain");
//     w.write_header(201);               // optional: 200 by default
//     w.write("made ");                  // buffered...
//     w.write(req.path);
//   });                                  // ...sent with Content-Length
//
//   w.json(R"({"ok":true})");            // 200, application/json
//   w.reply(404, "text/plain", "no\n");  // status, type and body at once
//
// Framing: what a handler writes is buffered; if the handler returns with
// less than 32 KiB written, the response goes out with a Content-Length.
// Once more is written, or the handler calls `flush()`, the head is sent
// and the body streams: with the handler's own Content-Length header if it
// set one (writing more then fails), else chunked (HTTP/1.1), else until
// the connection closes (HTTP/1.0). A response to HEAD sends the head
// (with the Content-Length of what the handler wrote) and no body; 1xx,
// 204 and 304 have no body (`write` fails). The status and headers cannot
// change once the head is sent (`committed()`).
//
// Hijacking (for protocols that take the connection over, like
// WebSocket): `hijack()` hands the connection out, with the bytes the
// server had read past this request; the server then forgets it (it is
// neither answered, nor closed, nor counted by `Server::shutdown`).
//
// A ResponseWriter belongs to the handler call it is given to; it must not
// be used after the handler returns or from another coroutine meanwhile.

#ifndef MCO_STDLIB_NET_HTTP_RESPONSE_WRITER_H_
#define MCO_STDLIB_NET_HTTP_RESPONSE_WRITER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mco/net/conn.h"
#include "mco/net/http/headers.h"
#include "mco/net/http/request.h"

namespace mco::net::http {

namespace internal {
class ServerConn;
}  // namespace internal

// What `ResponseWriter::hijack()` returns.
struct Hijacked {
  std::unique_ptr<net::Conn> conn;
  std::string buffered;  // bytes read from `conn` past the request
};

class ResponseWriter {
 public:
  ResponseWriter(const ResponseWriter&) = delete;
  ResponseWriter& operator=(const ResponseWriter&) = delete;

  // ResponseWriter::headers()
  //
  // The response's headers, to change before the head is sent.
  Headers& headers() { return headers_; }

  // ResponseWriter::write_header()
  //
  // Sets the status code (100..999; 200 if never called). No effect once
  // the head is sent.
  void write_header(int status);

  // ResponseWriter::write()
  //
  // Appends to the body (see the file comment). Fails if the body is not
  // allowed (1xx/204/304), goes beyond a declared Content-Length, after a
  // hijack, or if the client is gone.
  absl::Status write(std::string_view data);

  // ResponseWriter::flush()
  //
  // Sends the head, if not sent yet (the body then streams), and whatever
  // is buffered, now.
  absl::Status flush();

  // ResponseWriter::reply()
  //
  // Sets the status and Content-Type and writes `body`.
  void reply(int status, std::string_view content_type, std::string_view body);

  // ResponseWriter::json()
  //
  // `reply(status, "application/json", body)`: `body` is JSON text.
  void json(std::string_view body, int status = 200) {
    reply(status, "application/json", body);
  }

  // ResponseWriter::hijack()
  //
  // Takes the connection over (see the file comment). Whatever responses
  // to earlier pipelined requests were pending are written first; this
  // response is not sent. FailedPrecondition if the head was already sent
  // or the connection was hijacked already.
  absl::StatusOr<Hijacked> hijack();

  [[nodiscard]] int status() const { return status_; }
  [[nodiscard]] bool committed() const { return committed_; }
  [[nodiscard]] bool hijacked() const { return hijacked_; }
  // Body bytes written by the handler so far.
  [[nodiscard]] uint64_t bytes_written() const { return written_; }

 private:
  friend class internal::ServerConn;
  enum class Mode { kBuffered, kLength, kChunked, kUntilClose, kNone };

  ResponseWriter(internal::ServerConn* conn, bool head_request, int minor,
                 bool keep_alive)
      : conn_(conn),
        head_request_(head_request),
        minor_(minor),
        keep_alive_(keep_alive) {}

  // Sends the head: `final` if the handler is done (Content-Length of the
  // buffered body), else the body streams.
  absl::Status commit(bool final);
  absl::Status send_body(std::string_view data);
  // After the handler: completes the response. False if the connection
  // cannot carry another one.
  bool finish();
  [[nodiscard]] bool body_allowed() const;

  internal::ServerConn* conn_;
  const bool head_request_;
  const int minor_;
  bool keep_alive_;
  int status_ = 200;
  Headers headers_;
  std::string body_;  // buffered until committed
  bool committed_ = false;
  bool hijacked_ = false;
  Mode mode_ = Mode::kBuffered;
  uint64_t declared_ = 0;  // Content-Length the handler set (kLength)
  uint64_t written_ = 0;
  uint64_t sent_ = 0;  // body bytes sent since commit
};

// Handler
//
// What serves a request. An exception it throws (but `mco::Cancelled`) is
// answered with 500 if nothing was sent yet, else the connection is closed;
// the server goes on either way.
using Handler = std::function<void(Request&, ResponseWriter&)>;

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_RESPONSE_WRITER_H_
