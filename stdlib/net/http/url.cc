// Copyright 2026 The mco Authors.

#include "mco/net/http/url.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mco::net::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
}

std::string escape(std::string_view s, bool space_as_plus) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (is_unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ' && space_as_plus) {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

absl::Status bad(std::string_view what, std::string_view text) {
  return absl::InvalidArgumentError("url: " + std::string(what) + " in \"" +
                                    std::string(text.substr(0, 200)) + "\"");
}

// No control characters, spaces or non-ASCII bytes in a URL.
bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= ' ' || c >= 0x7f) return false;
  }
  return true;
}

// Removes "." and ".." segments (RFC 3986, 5.2.4).
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> out;
  const bool trailing =
      path.size() >= 2 &&
      (path.substr(path.size() - 2) == "/." ||
       (path.size() >= 3 && path.substr(path.size() - 3) == "/.."));
  size_t start = 1;  // path starts with '/'
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view seg = path.substr(start, slash - start);
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
    } else if (seg != ".") {
      out.push_back(seg);
    }
    start = slash + 1;
  }
  std::string result;
  for (std::string_view seg : out) result.append("/").append(seg);
  if (trailing || result.empty()) result.push_back('/');
  return result;
}

// Fills path, raw_path and raw_query of `u` from "path?query#fragment".
absl::Status set_path_and_query(std::string_view rest, std::string_view text,
                                Url* u) {
  const size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  const size_t q = rest.find('?');
  std::string_view raw_path = rest.substr(0, q);
  u->raw_query = q == std::string_view::npos ? "" : rest.substr(q + 1);
  if (raw_path.empty()) raw_path = "/";
  if (raw_path.front() != '/') return bad("relative path", text);
  u->raw_path = std::string(raw_path);
  absl::StatusOr<std::string> path = percent_decode(raw_path);
  if (!path.ok()) return bad("bad escape in path", text);
  u->path = std::move(*path);
  return absl::OkStatus();
}

}  // namespace

uint16_t default_port(std::string_view scheme) {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return 0;
}

absl::StatusOr<std::string> percent_decode(std::string_view s,
                                           bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      const int hi = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError("url: invalid escape \"" +
                                          std::string(s.substr(i, 3)) + "\"");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string query_escape(std::string_view s) { return escape(s, true); }

std::string path_escape(std::string_view s) { return escape(s, false); }

std::vector<std::pair<std::string, std::string>> parse_query(
    std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!raw.empty()) {
    const size_t amp = raw.find('&');
    const std::string_view pair = raw.substr(0, amp);
    raw.remove_prefix(amp == std::string_view::npos ? raw.size() : amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    absl::StatusOr<std::string> name = percent_decode(pair.substr(0, eq), true);
    absl::StatusOr<std::string> value = percent_decode(
        eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!name.ok() || !value.ok()) continue;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

absl::StatusOr<Url> Url::parse(std::string_view text) {
  if (!printable(text)) return bad("invalid character", text);
  const size_t colon = text.find("://");
  if (colon == std::string_view::npos || colon == 0) {
    return bad("missing scheme", text);
  }
  Url u;
  for (char c : text.substr(0, colon)) {
    const char l = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (!((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '+' ||
          l == '-' || l == '.')) {
      return bad("bad scheme", text);
    }
    u.scheme.push_back(l);
  }
  std::string_view rest = text.substr(colon + 3);
  const size_t auth_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, auth_end);
  rest.remove_prefix(auth_end == std::string_view::npos ? rest.size()
                                                        : auth_end);
  if (authority.find('@') != std::string_view::npos) {
    return bad("user info not supported", text);
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("bad IPv6 host", text);
    u.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("bad port", text);
      port_text = after.substr(1);
      if (port_text.empty()) return bad("bad port", text);
    }
    if (u.host.empty()) return bad("missing host", text);
  } else {
    const size_t pc = authority.rfind(':');
    u.host = std::string(authority.substr(0, pc));
    if (pc != std::string_view::npos) {
      port_text = authority.substr(pc + 1);
      if (port_text.empty()) return bad("bad port", text);
    }
    if (u.host.empty()) return bad("missing host", text);
    for (char c : u.host) {
      if (c == ':' || c == '[' || c == ']') return bad("bad host", text);
    }
  }
  for (char& c : u.host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!port_text.empty()) {
    if (port_text.size() > 5) return bad("bad port", text);
    uint32_t port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return bad("bad port", text);
      port = port * 10 + static_cast<uint32_t>(c - '0');
    }
    if (port == 0 || port > 65535) return bad("bad port", text);
    u.port = static_cast<uint16_t>(port);
  } else {
    u.port = default_port(u.scheme);
    if (u.port == 0) return bad("missing port", text);
  }
  if (absl::Status st = set_path_and_query(rest, text, &u); !st.ok()) {
    return st;
  }
  return u;
}

absl::StatusOr<Url> Url::resolve(std::string_view ref) const {
  if (!printable(ref)) return bad("invalid character", ref);
  if (ref.find("://") != std::string_view::npos) {
    const size_t first = ref.find_first_of("/?#");
    if (first == std::string_view::npos || first > ref.find("://")) {
      return Url::parse(ref);
    }
  }
  if (ref.substr(0, 2) == "//")
    return Url::parse(scheme + ":" + std::string(ref));
  Url u = *this;
  const size_t hash = ref.find('#');
  if (hash != std::string_view::npos) ref = ref.substr(0, hash);
  if (ref.empty()) return u;
  std::string merged;
  if (ref.front() == '?') {
    merged = raw_path + std::string(ref);
  } else if (ref.front() == '/') {
    merged = std::string(ref);
  } else {
    merged = raw_path.substr(0, raw_path.rfind('/') + 1) + std::string(ref);
  }
  const size_t q = merged.find('?');
  std::string path = remove_dot_segments(merged.substr(0, q));
  if (q != std::string::npos) path += merged.substr(q);
  if (absl::Status st = set_path_and_query(path, ref, &u); !st.ok()) return st;
  return u;
}

std::string Url::host_port() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string Url::host_header() const {
  if (port == default_port(scheme)) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
  }
  return host_port();
}

std::string Url::request_target() const {
  return raw_query.empty() ? raw_path : raw_path + "?" + raw_query;
}

std::string Url::to_string() const {
  return scheme + "://" + host_header() + request_target();
}

}  // namespace mco::net::http
