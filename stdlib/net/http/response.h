// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: response.h
// -----------------------------------------------------------------------------
//
// `Response`: what `Client` returns (Go's http.Response, with the body
// read in full).
//
//   absl::StatusOr<mco::net::http::Response> r = client.get(url);
//   if (r.ok() && r->status == 200) use(r->body);
//
// A response with a status other than 2xx is still a response (ok()), as
// in Go; only failures to get one (dial, I/O, timeouts, malformed
// responses, too many redirects) are errors.

#ifndef MCO_STDLIB_NET_HTTP_RESPONSE_H_
#define MCO_STDLIB_NET_HTTP_RESPONSE_H_

#include <string>
#include <string_view>

#include "mco/net/http/headers.h"

namespace mco::net::http {

struct Response {
  int status = 0;      // 200
  std::string reason;  // "OK"
  int minor = 1;       // HTTP/1.<minor>
  Headers headers;
  std::string body;
  std::string url;  // the URL that answered (after redirects)

  // Response::header()
  //
  // `headers.get(name)`: the first value, case-insensitively.
  [[nodiscard]] std::string_view header(std::string_view name) const {
    return headers.get(name);
  }
};

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_RESPONSE_H_
