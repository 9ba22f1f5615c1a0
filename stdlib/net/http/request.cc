// Copyright 2026 The mco Authors.

#include "mco/net/http/request.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mco::net::http {

Request Request::make(std::string method, std::string url, std::string body) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(url);
  r.body = std::move(body);
  return r;
}

std::string_view Request::query(std::string_view name) const {
  for (const auto& [k, v] : query_params) {
    if (k == name) return v;
  }
  return {};
}

std::vector<std::string_view> Request::query_values(
    std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : query_params) {
    if (k == name) out.push_back(v);
  }
  return out;
}

bool Request::has_query(std::string_view name) const {
  for (const auto& kv : query_params) {
    if (kv.first == name) return true;
  }
  return false;
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace mco::net::http
