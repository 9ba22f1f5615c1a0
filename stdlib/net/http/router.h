// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: router.h
// -----------------------------------------------------------------------------
//
// `Router`: routes requests by method and path (Go 1.22's ServeMux
// patterns, reduced).
//
//   mco::net::http::Router r;
//   r.get("/", home);                       // exactly "/"
//   r.get("/users/{id}", show_user);        // req.param("id")
//   r.post("/users/{id}/posts", add_post);
//   r.get("/static/{path...}", files);      // the rest, "a/b.css"
//   r.handle("", "/any/*", any_method);     // "" = every method
//   mco::net::http::Server server(r.handler());   // `r` must outlive it
//
// Patterns are paths of '/'-separated segments: a literal segment matches
// itself, `{name}` matches any one non-empty segment, and a last segment
// `{name...}` or `*` matches the rest of the path (also nothing; its value
// has no leading '/'; `*` is named "*"). A pattern ending in '/' matches
// only paths with that trailing '/'. Segments of the request's path are
// %-decoded before matching, so "/users/a%2Fb" has one segment "a/b".
//
// When several patterns match, the most specific wins, segment by segment
// from the left: literal before `{name}` before the rest-matcher. A GET
// route also serves HEAD. A path that no pattern matches gets 404
// ("404 page not found\n"); a path some pattern matches, but not with this
// method, gets 405 with an Allow header listing the methods that would.
//
// Registering a malformed or duplicate pattern throws std::invalid_argument
// (a program error, as Go panics). Routes are registered before serving;
// routing itself only reads, so concurrent requests are safe.

#ifndef MCO_STDLIB_NET_HTTP_ROUTER_H_
#define MCO_STDLIB_NET_HTTP_ROUTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "mco/net/http/request.h"
#include "mco/net/http/response_writer.h"

namespace mco::net::http {

class Router {
 public:
  Router() = default;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Router::handle()
  //
  // Routes `method` ("" for every method) and `pattern` to `h`.
  Router& handle(std::string_view method, std::string_view pattern, Handler h);
  Router& get(std::string_view pattern, Handler h) {
    return handle("GET", pattern, std::move(h));
  }
  Router& post(std::string_view pattern, Handler h) {
    return handle("POST", pattern, std::move(h));
  }
  Router& put(std::string_view pattern, Handler h) {
    return handle("PUT", pattern, std::move(h));
  }
  Router& del(std::string_view pattern, Handler h) {
    return handle("DELETE", pattern, std::move(h));
  }

  // Router::serve()
  //
  // Routes `req`: sets `req.path_params` and calls the handler, or answers
  // 404 / 405.
  void serve(Request& req, ResponseWriter& w) const;

  // Router::handler()
  //
  // A Handler that calls `serve` on this router (which must outlive it).
  [[nodiscard]] Handler handler() const {
    return [this](Request& req, ResponseWriter& w) { serve(req, w); };
  }

 private:
  enum class Kind { kLiteral, kParam, kRest };
  struct Segment {
    Kind kind;
    std::string text;  // the literal, or the parameter's name
  };
  struct Route {
    std::string method;  // "" = any
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  // True if `segments` (of a request path) match `route`; `*rank` says
  // how specifically, `*params` gets the parameters.
  static bool match(const Route& route, const std::vector<std::string>& path,
                    std::vector<int>* rank, Request::Params* params);

  std::vector<Route> routes_;
};

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_ROUTER_H_
