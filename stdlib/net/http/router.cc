// Copyright 2026 The mco Authors.

#include "mco/net/http/router.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "mco/net/http/url.h"

namespace mco::net::http {
namespace {

// The %-decoded segments of the path of `target` ("/a/b?x" -> {"a", "b"}).
// False if an escape is malformed.
bool split_path(std::string_view target, std::vector<std::string>* out) {
  std::string origin;  // of an absolute-form target ("http://h/p")
  if (!target.empty() && target.front() != '/') {
    absl::StatusOr<Url> url = Url::parse(target);
    if (!url.ok()) return false;
    origin = url->raw_path;
    target = origin;
  }
  std::string_view path = target.substr(0, target.find('?'));
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (;;) {
    const size_t slash = path.find('/');
    absl::StatusOr<std::string> seg = percent_decode(path.substr(0, slash));
    if (!seg.ok()) return false;
    out->push_back(std::move(*seg));
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

bool allows(std::string_view route_method, std::string_view method) {
  return route_method.empty() || route_method == method ||
         (route_method == "GET" && method == "HEAD");
}

}  // namespace

Router& Router::handle(std::string_view method, std::string_view pattern,
                       Handler h) {
  const auto invalid = [&](const char* why) {
    return std::invalid_argument("http: bad route pattern \"" +
                                 std::string(pattern) + "\": " + why);
  };
  if (pattern.empty() || pattern.front() != '/') throw invalid("no leading /");
  if (h == nullptr) throw invalid("null handler");
  Route route{std::string(method), std::string(pattern), {}, std::move(h)};
  std::string_view rest = pattern.substr(1);
  std::set<std::string> names;
  for (;;) {
    const size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    if (seg == "*" || (seg.size() > 5 && seg.front() == '{' &&
                       seg.substr(seg.size() - 4) == "...}")) {
      if (!last) throw invalid("a rest segment must be the last");
      const std::string name =
          seg == "*" ? "*" : std::string(seg.substr(1, seg.size() - 5));
      if (!names.insert(name).second) throw invalid("repeated name");
      route.segments.push_back({Kind::kRest, name});
    } else if (!seg.empty() && seg.front() == '{') {
      if (seg.size() < 3 || seg.back() != '}') throw invalid("bad {name}");
      const std::string name(seg.substr(1, seg.size() - 2));
      if (name.find_first_of("{}/") != std::string::npos) {
        throw invalid("bad {name}");
      }
      if (!names.insert(name).second) throw invalid("repeated name");
      route.segments.push_back({Kind::kParam, name});
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos) {
        throw invalid("braces in a literal segment");
      }
      absl::StatusOr<std::string> decoded = percent_decode(seg);
      if (!decoded.ok()) throw invalid("bad escape");
      route.segments.push_back({Kind::kLiteral, std::move(*decoded)});
    }
    if (last) break;
    rest.remove_prefix(slash + 1);
  }
  for (const Route& r : routes_) {
    if (r.method == route.method &&
        r.segments.size() == route.segments.size() &&
        std::equal(r.segments.begin(), r.segments.end(), route.segments.begin(),
                   [](const Segment& a, const Segment& b) {
                     return a.kind == b.kind &&
                            (a.kind != Kind::kLiteral || a.text == b.text);
                   })) {
      throw invalid(("conflicts with \"" + r.pattern + "\"").c_str());
    }
  }
  routes_.push_back(std::move(route));
  return *this;
}

bool Router::match(const Route& route, const std::vector<std::string>& path,
                   std::vector<int>* rank, Request::Params* params) {
  rank->clear();
  params->clear();
  size_t i = 0;
  for (const Segment& seg : route.segments) {
    if (seg.kind == Kind::kRest) {
      std::string rest;
      for (size_t j = i; j < path.size(); ++j) {
        if (j > i) rest.push_back('/');
        rest.append(path[j]);
      }
      params->emplace_back(seg.text, std::move(rest));
      rank->push_back(0);
      return true;
    }
    if (i >= path.size()) return false;
    if (seg.kind == Kind::kLiteral) {
      if (path[i] != seg.text) return false;
      rank->push_back(2);
    } else {
      if (path[i].empty()) return false;
      params->emplace_back(seg.text, path[i]);
      rank->push_back(1);
    }
    ++i;
  }
  return i == path.size();
}

void Router::serve(Request& req, ResponseWriter& w) const {
  std::vector<std::string> path;
  if (!split_path(req.target, &path)) {
    w.reply(400, "text/plain; charset=utf-8", "400 bad request path\n");
    return;
  }
  const Route* best = nullptr;
  std::vector<int> best_rank;
  Request::Params best_params;
  std::set<std::string> allowed;
  bool any_path = false;
  std::vector<int> rank;
  Request::Params params;
  for (const Route& r : routes_) {
    if (!match(r, path, &rank, &params)) continue;
    any_path = true;
    if (!allows(r.method, req.method)) {
      allowed.insert(r.method);
      if (r.method == "GET") allowed.insert("HEAD");
      continue;
    }
    // More specific: greater rank, segment by segment; on a tie, a route
    // for this very method before one for every method.
    if (best == nullptr || rank > best_rank ||
        (rank == best_rank && best->method.empty() && !r.method.empty())) {
      best = &r;
      best_rank = rank;
      best_params = params;
    }
  }
  if (best != nullptr) {
    req.path_params = std::move(best_params);
    best->handler(req, w);
    return;
  }
  if (!any_path) {
    w.reply(404, "text/plain; charset=utf-8", "404 page not found\n");
    return;
  }
  std::string allow;
  for (const std::string& m : allowed) {
    if (!allow.empty()) allow.append(", ");
    allow.append(m);
  }
  w.headers().set("Allow", allow);
  w.reply(405, "text/plain; charset=utf-8", "405 method not allowed\n");
}

}  // namespace mco::net::http
