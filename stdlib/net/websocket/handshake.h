// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: handshake.h
// -----------------------------------------------------------------------------
//
// The opening handshake (RFC 6455 section 4) as pure functions over text:
// WebSocket URLs, a small HTTP/1.1 head parser, the `Sec-WebSocket-Accept`
// computation (SHA-1 and base64, written here), and the checks and messages
// of both sides. No dependency on the runtime (Abseil and the standard
// library only), so a fuzzer compiles this file alone; client.h and server.h
// do the I/O.
//
//   HandshakeRequest req = ...;                 // from parse_request_head
//   UpgradeDecision d = check_upgrade_request(req, {"chat"});
//   if (!d.error.ok()) write(reject_response(d));   // 400 or 426
//   else write(accept_response(d, {}));             // 101
//
// The head parser accepts what a WebSocket handshake needs and no more: a
// start line, then `Name: value` lines, each ending in CRLF (a bare LF is
// accepted too), up to an empty line. Obsolete line folding, header names
// with characters outside RFC 7230's token set and control characters in
// values are rejected. Header names compare case-insensitively; repeated
// headers are kept in order, and `header()` joins them with ", " (RFC 7230
// 3.2.2).

#ifndef MCO_STDLIB_NET_WEBSOCKET_HANDSHAKE_H_
#define MCO_STDLIB_NET_WEBSOCKET_HANDSHAKE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mco::net::websocket {

// The longest request or response head either side reads.
inline constexpr size_t kMaxHandshakeHead = 16 * 1024;

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// WebSocketUrl
//
// A parsed "ws://host[:port][/path][?query]" or "wss://...".
struct WebSocketUrl {
  std::string scheme;       // "ws" or "wss"
  std::string host;         // without brackets for IPv6
  uint16_t port = 0;        // 80 or 443 when not given
  std::string host_port;    // "host:port" to dial ("[::1]:80" for IPv6)
  std::string host_header;  // Host: as given (port only if it was explicit)
  std::string resource;     // "/path?query", "/" when empty
};

// parse_websocket_url()
//
// InvalidArgument for another scheme, an empty host, a bad port, a fragment
// ("#..." is not allowed in a WebSocket URI) or whitespace.
absl::StatusOr<WebSocketUrl> parse_websocket_url(std::string_view url);

// find_head_end()
//
// The size of the HTTP head at the start of `data` (through the empty line
// that ends it), or 0 if it has not ended yet.
[[nodiscard]] size_t find_head_end(std::string_view data);

// HandshakeRequest
//
// What the server side needs of an HTTP request: method, target, headers.
// Filled by `parse_request_head` or by an HTTP library.
struct HandshakeRequest {
  std::string method;
  std::string target;
  HeaderList headers;

  // HandshakeRequest::header()
  //
  // The value of header `name` (case-insensitive), repeated ones joined
  // with ", "; nothing if absent.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

// parse_request_head()
//
// Parses a request head (what `find_head_end` measured): "METHOD target
// HTTP/1.x" and headers. InvalidArgument if malformed or not HTTP/1.1+.
absl::StatusOr<HandshakeRequest> parse_request_head(std::string_view head);

// HandshakeResponse
//
// A parsed response head.
struct HandshakeResponse {
  int status = 0;
  std::string reason;
  HeaderList headers;

  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

// parse_response_head()
//
// Parses "HTTP/1.1 101 Switching Protocols" and headers.
absl::StatusOr<HandshakeResponse> parse_response_head(std::string_view head);

// has_token()
//
// True if the comma-separated `list` (a header value such as Connection's)
// holds `token`, case-insensitively.
[[nodiscard]] bool has_token(std::string_view list, std::string_view token);

// compute_accept_key()
//
// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
[[nodiscard]] std::string compute_accept_key(std::string_view key);

// is_valid_client_key()
//
// True if `key` is base64 of 16 bytes (24 characters ending in "==").
[[nodiscard]] bool is_valid_client_key(std::string_view key);

// build_client_request()
//
// The client's upgrade request head for `url` with `key` (base64 of 16
// random bytes), offering `subprotocols` (none: no header) and adding
// `extra_headers` verbatim.
std::string build_client_request(const WebSocketUrl& url, std::string_view key,
                                 const std::vector<std::string>& subprotocols,
                                 const HeaderList& extra_headers);

// check_server_response()
//
// Checks the server's answer to a request with `key` offering
// `subprotocols`: status 101, `Upgrade: websocket`, `Connection: upgrade`,
// the right `Sec-WebSocket-Accept`, no extension, and a subprotocol that was
// offered (if any). Returns the chosen subprotocol ("" for none), or
// FailedPrecondition ("websocket: bad handshake: ...").
absl::StatusOr<std::string> check_server_response(
    const HandshakeResponse& response, std::string_view key,
    const std::vector<std::string>& subprotocols);

// UpgradeDecision
//
// The server's verdict on an upgrade request.
struct UpgradeDecision {
  absl::Status error;       // OK: accept; else why not
  int http_status = 101;    // 101, or 400 / 403 / 405 / 426 with `error`
  std::string accept_key;   // Sec-WebSocket-Accept when accepted
  std::string subprotocol;  // chosen, "" for none
};

// check_upgrade_request()
//
// Checks a request against RFC 6455 4.2.1: GET (else 405), a Host header,
// `Upgrade: websocket`, `Connection` holding "upgrade",
// `Sec-WebSocket-Version: 13` (else 426), a valid `Sec-WebSocket-Key` (else
// 400). Chooses the first of the server's `subprotocols` the client offered.
[[nodiscard]] UpgradeDecision check_upgrade_request(
    const HandshakeRequest& req, const std::vector<std::string>& subprotocols);

// accept_response() / reject_response()
//
// The 101 answer for an accepted request (plus `extra_headers`), and the
// error answer for a refused one (with `Sec-WebSocket-Version: 13` for 426
// and the error message as a text body).
std::string accept_response(const UpgradeDecision& d,
                            const HeaderList& extra_headers);
std::string reject_response(const UpgradeDecision& d);

namespace internal {

// SHA-1 (FIPS 180-4) of `data`, exposed for the tests.
std::array<uint8_t, 20> sha1(std::string_view data);

}  // namespace internal

}  // namespace mco::net::websocket

#endif  // MCO_STDLIB_NET_WEBSOCKET_HANDSHAKE_H_
