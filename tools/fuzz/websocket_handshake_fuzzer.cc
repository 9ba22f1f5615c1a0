// Copyright 2026 The mco Authors.
//
// Fuzzes the WebSocket opening handshake (stdlib/net/websocket/handshake.h)
// with arbitrary text: the head finder, the request and response head
// parsers, the URL parser and the server's upgrade check.
//
// Invariants checked beyond "no crash, no sanitizer report":
//  - `find_head_end` returns 0 or the end of the first empty line ("\n\n"
//    or "\n\r\n"), and no earlier empty line exists.
//  - An accepted request (or response) has a token method, a target without
//    spaces, header names that are tokens and values without CR, LF or
//    surrounding blanks; a canonical head rebuilt from its fields parses to
//    the same fields.
//  - An accepted URL rebuilt as scheme://host_header + resource parses to
//    the same fields; its resource starts with '/'.
//  - A request the server accepts yields a 101 that the client check
//    accepts for the same key, with the same subprotocol; a refused one has
//    a 4xx status and an error.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mco/net/websocket/handshake.h"
#include "tools/fuzz/fuzz_check.h"

namespace {

using namespace mco::net::websocket;  // NOLINT: a fuzz target

bool is_tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

void check_headers(const HeaderList& headers) {
  for (const auto& [name, value] : headers) {
    FUZZ_CHECK(!name.empty());
    for (char c : name) FUZZ_CHECK(is_tchar(c));
    FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);
    if (!value.empty()) {
      FUZZ_CHECK(value.front() != ' ' && value.front() != '\t');
      FUZZ_CHECK(value.back() != ' ' && value.back() != '\t');
    }
  }
}

std::string rebuild(std::string start, const HeaderList& headers) {
  start += "\r\n";
  for (const auto& [name, value] : headers) {
    start += name + ": " + value + "\r\n";
  }
  return start + "\r\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const size_t end = find_head_end(text);
  if (end != 0) {
    FUZZ_CHECK(end >= 2 && end <= text.size() && text[end - 1] == '\n');
    const std::string_view before = text.substr(0, end - 1);
    FUZZ_CHECK(before.back() == '\n' ||
               (before.back() == '\r' && before[before.size() - 2] == '\n'));
    FUZZ_CHECK(find_head_end(text.substr(0, end - 1)) == 0);
  }
  const std::string_view head = end != 0 ? text.substr(0, end) : text;

  const auto req = parse_request_head(head);
  if (req.ok()) {
    FUZZ_CHECK(!req->method.empty() && !req->target.empty());
    for (char c : req->method) FUZZ_CHECK(is_tchar(c));
    FUZZ_CHECK(req->target.find(' ') == std::string::npos);
    check_headers(req->headers);
    const auto again = parse_request_head(
        rebuild(req->method + " " + req->target + " HTTP/1.1", req->headers));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->method == req->method && again->target == req->target &&
               again->headers == req->headers);

    const UpgradeDecision d = check_upgrade_request(*req, {"chat", "v2"});
    if (d.error.ok()) {
      FUZZ_CHECK(d.http_status == 101);
      const auto resp = parse_response_head(accept_response(d, {}));
      FUZZ_CHECK(resp.ok());
      const std::string key = req->header("Sec-WebSocket-Key").value();
      const auto chosen = check_server_response(*resp, key, {"v2", "chat"});
      FUZZ_CHECK(chosen.ok() && *chosen == d.subprotocol);
    } else {
      FUZZ_CHECK(d.http_status >= 400 && d.http_status < 500);
      const std::string answer = reject_response(d);  // head and a body
      const size_t answer_head = find_head_end(answer);
      FUZZ_CHECK(answer_head > 0);
      const auto refused = parse_response_head(answer.substr(0, answer_head));
      FUZZ_CHECK(refused.ok() && refused->status == d.http_status);
    }
  }

  const auto resp = parse_response_head(head);
  if (resp.ok()) {
    FUZZ_CHECK(resp->status >= 0 && resp->status <= 999);
    check_headers(resp->headers);
    std::string code = std::to_string(resp->status);
    code.insert(0, 3 - code.size(), '0');
    // "HTTP/1.1 101" and "HTTP/1.1 101 " both have an empty reason.
    const std::string start = "HTTP/1.1 " + code + " " + resp->reason;
    const auto again = parse_response_head(rebuild(start, resp->headers));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->status == resp->status && again->reason == resp->reason &&
               again->headers == resp->headers);
  }

  const auto url = parse_websocket_url(text);
  if (url.ok()) {
    FUZZ_CHECK(url->scheme == "ws" || url->scheme == "wss");
    FUZZ_CHECK(!url->host.empty() && url->port != 0);
    FUZZ_CHECK(!url->resource.empty() && url->resource[0] == '/');
    const auto again = parse_websocket_url(url->scheme + "://" +
                                           url->host_header + url->resource);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->host == url->host && again->port == url->port &&
               again->host_port == url->host_port &&
               again->host_header == url->host_header &&
               again->resource == url->resource);
  }
  return 0;
}
