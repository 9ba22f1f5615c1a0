// Copyright 2026 The mco Authors.

#include "mco/net/http/headers.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace mco::net::http {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(std::string(name), std::string(value));
}

void Headers::set(std::string_view name, std::string_view value) {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    if (equal_fold(it->first, name)) {
      it->second.assign(value.data(), value.size());
      fields_.erase(std::remove_if(it + 1, fields_.end(),
                                   [name](const Field& f) {
                                     return equal_fold(f.first, name);
                                   }),
                    fields_.end());
      return;
    }
  }
  add(name, value);
}

void Headers::del(std::string_view name) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [name](const Field& f) {
                                 return equal_fold(f.first, name);
                               }),
                fields_.end());
}

std::string_view Headers::get(std::string_view name) const {
  for (const Field& f : fields_) {
    if (equal_fold(f.first, name)) return f.second;
  }
  return {};
}

bool Headers::has(std::string_view name) const {
  for (const Field& f : fields_) {
    if (equal_fold(f.first, name)) return true;
  }
  return false;
}

std::vector<std::string_view> Headers::values(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const Field& f : fields_) {
    if (equal_fold(f.first, name)) out.push_back(f.second);
  }
  return out;
}

bool Headers::has_token(std::string_view name, std::string_view token) const {
  for (const Field& f : fields_) {
    if (!equal_fold(f.first, name)) continue;
    std::string_view v = f.second;
    while (!v.empty()) {
      const size_t comma = v.find(',');
      if (equal_fold(trim(v.substr(0, comma)), token)) return true;
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  return false;
}

void Headers::write_to(std::string* out) const {
  for (const Field& f : fields_) {
    out->append(f.first).append(": ").append(f.second).append("\r\n");
  }
}

std::string_view status_text(int code) {
  switch (code) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 426:
      return "Upgrade Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "";
  }
}

}  // namespace mco::net::http
