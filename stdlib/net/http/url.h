// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: url.h
// -----------------------------------------------------------------------------
//
// URLs as an HTTP client needs them (Go's net/url, reduced): parse
// "scheme://host[:port]/path?query", resolve a redirect's Location against
// the URL it came from, and %-encode or decode parts.
//
//   auto u = mco::net::http::Url::parse("http://example.com:8080/a%20b?x=1");
//   u->scheme;            // "http"
//   u->host;              // "example.com"
//   u->port;              // 8080 (80 for "http" without one, 443 "https")
//   u->path;              // "/a b" (decoded)
//   u->raw_path;          // "/a%20b" (as written)
//   u->raw_query;         // "x=1"
//   u->request_target();  // "/a%20b?x=1"
//   u->host_port();       // "example.com:8080"
//
//   mco::net::http::parse_query("a=1&b=x%20y&a=2");  // {a,1} {b,"x y"} {a,2}
//   mco::net::http::query_escape("a b&c");           // "a+b%26c"
//
// Limits: only absolute URLs with an authority (no "mailto:"); user info
// ("user:pw@") is rejected; hosts are names, IPv4 or bracketed IPv6
// literals, kept as written (IPv6 without the brackets); the fragment is
// dropped. Errors are InvalidArgument ("url: ...").
//
// No runtime: this file builds alone.

#ifndef MCO_STDLIB_NET_HTTP_URL_H_
#define MCO_STDLIB_NET_HTTP_URL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace mco::net::http {

struct Url {
  std::string scheme;     // lower case: "http", "https"
  std::string host;       // "example.com", "127.0.0.1", "::1"
  uint16_t port = 0;      // explicit, or the scheme's default
  std::string raw_path;   // as written, "/" if empty
  std::string path;       // %-decoded
  std::string raw_query;  // without the '?'

  // Url::parse()
  //
  // Parses an absolute URL (see the file comment).
  static absl::StatusOr<Url> parse(std::string_view text);

  // Url::resolve()
  //
  // The URL a reference (a redirect's Location) names relative to this one:
  // absolute, "//host/path", "/path", "path" or "?query" (RFC 3986, 5.2,
  // with "." and ".." segments removed).
  [[nodiscard]] absl::StatusOr<Url> resolve(std::string_view ref) const;

  // "host:port" for dialing ("[::1]:80" for IPv6).
  [[nodiscard]] std::string host_port() const;
  // The Host header: host_port() without the scheme's default port.
  [[nodiscard]] std::string host_header() const;
  // raw_path, plus "?" raw_query if there is one.
  [[nodiscard]] std::string request_target() const;
  // The whole URL, "scheme://host[:port]/path[?query]".
  [[nodiscard]] std::string to_string() const;
};

// default_port()
//
// 80 for "http", 443 for "https", 0 otherwise.
[[nodiscard]] uint16_t default_port(std::string_view scheme);

// percent_decode()
//
// Decodes "%XX" escapes (and '+' as a space if `plus_as_space`, for query
// parts). InvalidArgument for a '%' not followed by two hex digits.
absl::StatusOr<std::string> percent_decode(std::string_view s,
                                           bool plus_as_space = false);

// query_escape()
//
// Escapes `s` to stand in a query part: unreserved characters stay, a space
// becomes '+', everything else "%XX" (Go's url.QueryEscape).
[[nodiscard]] std::string query_escape(std::string_view s);

// path_escape()
//
// Escapes `s` to stand in one path segment: like query_escape, but a space
// becomes "%20" (Go's url.PathEscape).
[[nodiscard]] std::string path_escape(std::string_view s);

// parse_query()
//
// Splits "a=1&b=2" into decoded (name, value) pairs, in order. A pair
// without '=' has an empty value; a pair with a bad escape is skipped
// (as Go's ParseQuery skips it, reporting an error we drop).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_query(
    std::string_view raw_query);

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_URL_H_
