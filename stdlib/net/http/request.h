// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: request.h
// -----------------------------------------------------------------------------
//
// `Request`: an HTTP request (Go's http.Request): what a server's handler
// gets, and what a client sends (`Client::send`).
//
//   void hello(mco::net::http::Request& req,
//              mco::net::http::ResponseWriter& w) {
//     std::string_view name = req.query("name");   // "/hello?name=Ada"
//     std::string_view id = req.param("id");        // router's "{id}"
//     std::string_view type = req.header("content-type");
//     w.reply(200, "text/plain", "hello " + std::string(name));
//   }
//
//   auto req = mco::net::http::Request::make("PUT", "http://h:8080/k", "v");
//   req.headers.set("Content-Type", "text/plain");
//   auto resp = client.send(req);
//
// On a server, every field is filled from the wire before the handler
// runs: the whole body is read first (bounded by `ServerOptions`), `path`
// is the %-decoded path of `target`, and `query_params` the decoded pairs
// of `raw_query`. For a client, `target` is an absolute URL
// ("http://host:port/path?query") and `method`, `headers` and `body` are
// what is sent; the other fields are ignored.

#ifndef MCO_STDLIB_NET_HTTP_REQUEST_H_
#define MCO_STDLIB_NET_HTTP_REQUEST_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mco/net/http/headers.h"

namespace mco::net::http {

struct Request {
  using Params = std::vector<std::pair<std::string, std::string>>;

  std::string method = "GET";
  std::string target;     // as on the request line; a client: the URL
  std::string path;       // %-decoded path of the target
  std::string raw_query;  // the target after '?'
  Params query_params;    // decoded, in order, names may repeat
  Headers headers;
  int minor = 1;  // HTTP/1.<minor>
  std::string body;
  std::string remote_address;  // "127.0.0.1:5000" (server)
  Params path_params;          // set by Router ("{name}" segments)

  // Request::make()
  //
  // A request for `Client::send`.
  static Request make(std::string method, std::string url,
                      std::string body = "");

  // Request::query()
  //
  // The first value of query parameter `name`, or "" if there is none.
  [[nodiscard]] std::string_view query(std::string_view name) const;

  // Request::query_values()
  //
  // Every value of query parameter `name`, in order.
  [[nodiscard]] std::vector<std::string_view> query_values(
      std::string_view name) const;

  // Request::has_query()
  [[nodiscard]] bool has_query(std::string_view name) const;

  // Request::param()
  //
  // The value of the router's path parameter `name` ("{name}" or
  // "{name...}"), or "" if there is none.
  [[nodiscard]] std::string_view param(std::string_view name) const;

  // Request::header()
  //
  // `headers.get(name)`: the first value, case-insensitively.
  [[nodiscard]] std::string_view header(std::string_view name) const {
    return headers.get(name);
  }
};

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_REQUEST_H_
