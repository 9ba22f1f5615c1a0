// Copyright 2026 The mco Authors.

#include "samples/http_server/request_parser.h"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace mco_samples::http {
namespace {

// RFC 9110 token characters (methods, header names).
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

// ASCII case-insensitive equality with a lower-case `lower`.
bool equals_lower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// "METHOD SP TARGET SP HTTP/1.x", nothing more.
bool parse_request_line(std::string_view line, Request* req) {
  const size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return false;
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return false;
  req->method = line.substr(0, sp1);
  req->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(req->method) || req->target.empty()) return false;
  // As unsigned bytes: `char` is signed on x86-64 but unsigned on AArch64.
  for (unsigned char c : req->target) {
    // No controls, no spaces, ASCII only.
    if (c <= ' ' || c >= 0x7f) return false;
  }
  if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." ||
      version[7] < '0' || version[7] > '9') {
    return false;
  }
  req->minor = version[7] - '0';
  return true;
}

// A Content-Length value: digits only, and the same if repeated.
bool parse_content_length(std::string_view value, Request* req) {
  uint64_t n = 0;
  if (value.empty() || value.size() > 18) return false;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (req->has_length && req->length != n) return false;
  req->has_length = true;
  req->length = n;
  return true;
}

// The Connection header: a comma-separated list of options.
void parse_connection(std::string_view value, Request* req) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    const std::string_view option = trim_ows(value.substr(0, comma));
    if (equals_lower(option, "close")) req->close = true;
    if (equals_lower(option, "keep-alive")) req->keep_alive = true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

// "Name: value", with a token for a name and no control characters (but
// tabs) in the value.
bool parse_header(std::string_view line, Request* req) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (!is_token(name)) return false;  // also: a folded line, "Name : v"
  // As unsigned bytes: `char` is signed on x86-64 but unsigned on AArch64.
  // Controls but tab, and DEL, are refused; bytes 0x80 and up (obs-text) are
  // allowed.
  for (unsigned char c : value) {
    if ((c < ' ' && c != '\t') || c == 0x7f) return false;
  }
  if (equals_lower(name, "host")) {
    ++req->hosts;
  } else if (equals_lower(name, "content-length")) {
    return parse_content_length(value, req);
  } else if (equals_lower(name, "transfer-encoding")) {
    req->transfer_encoding = true;
  } else if (equals_lower(name, "connection")) {
    parse_connection(value, req);
  } else if (equals_lower(name, "expect")) {
    req->expect_continue = equals_lower(value, "100-continue");
  }
  return true;
}

}  // namespace

size_t find_head_end(std::string_view data, size_t from) {
  for (size_t i = data.find('\n', from); i != std::string_view::npos;
       i = data.find('\n', i + 1)) {
    if (i + 1 < data.size() && data[i + 1] == '\n') return i + 2;
    if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') {
      return i + 3;
    }
  }
  return 0;
}

bool parse_head(std::string_view head, Request* req) {
  bool first = true;
  for (;;) {
    const size_t nl = head.find('\n');
    if (nl == std::string_view::npos) return false;  // no blank line ends it
    std::string_view line = head.substr(0, nl);
    head.remove_prefix(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the blank line ends the head
    if (first ? !parse_request_line(line, req) : !parse_header(line, req)) {
      return false;
    }
    first = false;
  }
  if (first) return false;  // no request line
  if (req->minor >= 1 && req->hosts != 1) return false;
  if (req->minor == 0 && req->hosts > 1) return false;
  return !(req->transfer_encoding && req->has_length);
}

}  // namespace mco_samples::http
