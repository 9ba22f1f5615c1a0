// Copyright 2026 The mco Authors.

#include "mco/net/http/parser.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "mco/net/http/headers.h"

namespace mco::net::http {
namespace {

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
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

absl::Status bad(std::string_view what) {
  return absl::InvalidArgumentError("http: " + std::string(what));
}

// "HTTP/1.D": the minor version, or -1.
int parse_version(std::string_view v) {
  if (v.size() != 8 || v.substr(0, 7) != "HTTP/1." || v[7] < '0' ||
      v[7] > '9') {
    return -1;
  }
  return v[7] - '0';
}

absl::Status parse_request_line(std::string_view line, RequestHead* out) {
  const size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return bad("malformed request line");
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return bad("malformed request line");
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (!is_token(method)) return bad("malformed method");
  if (target.empty()) return bad("empty request target");
  // As unsigned bytes: `char` is signed on x86-64, unsigned on AArch64.
  for (unsigned char c : target) {
    if (c <= ' ' || c >= 0x7f) return bad("malformed request target");
  }
  const int minor = parse_version(line.substr(sp2 + 1));
  if (minor < 0) return bad("malformed HTTP version");
  if (out != nullptr) {
    out->method = std::string(method);
    out->target = std::string(target);
    out->minor = minor;
  }
  return absl::OkStatus();
}

// "Name: value" into `headers`.
absl::Status parse_header_line(std::string_view line, Headers* headers) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bad("header line without colon");
  const std::string_view name = line.substr(0, colon);
  if (!is_token(name)) return bad("malformed header name");  // also obs-fold
  const std::string_view value = trim_ows(line.substr(colon + 1));
  // Controls but tab, and DEL, are refused; obs-text (0x80 up) is allowed.
  for (unsigned char c : value) {
    if ((c < ' ' && c != '\t') || c == 0x7f) {
      return bad("control character in header value");
    }
  }
  headers->add(name, value);
  return absl::OkStatus();
}

// Splits a head into its start line and header fields.
absl::Status parse_lines(std::string_view head, std::string_view* start_line,
                         Headers* headers) {
  bool first = true;
  for (;;) {
    const size_t nl = head.find('\n');
    if (nl == std::string_view::npos) return bad("incomplete head");
    std::string_view line = head.substr(0, nl);
    head.remove_prefix(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (first) {
      *start_line = line;
      first = false;
    } else if (absl::Status st = parse_header_line(line, headers); !st.ok()) {
      return st;
    }
  }
  if (first) return bad("empty head");
  return absl::OkStatus();
}

// The Content-Length fields: digits only, the same if repeated. Sets
// `*has` and `*n`.
absl::Status content_length(const Headers& headers, bool* has, uint64_t* n) {
  *has = false;
  for (std::string_view v : headers.values("Content-Length")) {
    if (v.empty() || v.size() > 18) return bad("bad Content-Length");
    uint64_t value = 0;
    for (char c : v) {
      if (c < '0' || c > '9') return bad("bad Content-Length");
      value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (*has && value != *n) return bad("conflicting Content-Length");
    *has = true;
    *n = value;
  }
  return absl::OkStatus();
}

// True if the codings listed in Transfer-Encoding end with "chunked".
// `*only_chunked` says whether "chunked" is the only one.
bool ends_chunked(const Headers& headers, bool* only_chunked) {
  std::string_view last;
  int codings = 0;
  for (std::string_view v : headers.values("Transfer-Encoding")) {
    while (!v.empty()) {
      const size_t comma = v.find(',');
      const std::string_view c = trim_ows(v.substr(0, comma));
      if (!c.empty()) {
        last = c;
        ++codings;
      }
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  const bool chunked = equal_fold(last, "chunked");
  *only_chunked = chunked && codings == 1;
  return chunked;
}

}  // namespace

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

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

absl::Status check_request_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return parse_request_line(line, nullptr);
}

absl::Status parse_request_head(std::string_view head, RequestHead* out) {
  std::string_view line;
  if (absl::Status st = parse_lines(head, &line, &out->headers); !st.ok()) {
    return st;
  }
  if (absl::Status st = parse_request_line(line, out); !st.ok()) return st;
  const size_t hosts = out->headers.values("Host").size();
  if (out->minor >= 1 && hosts != 1) return bad("missing or repeated Host");
  if (out->minor == 0 && hosts > 1) return bad("repeated Host");
  bool has_length = false;
  if (absl::Status st =
          content_length(out->headers, &has_length, &out->content_length);
      !st.ok()) {
    return st;
  }
  if (out->headers.has("Transfer-Encoding")) {
    if (has_length) return bad("both Content-Length and Transfer-Encoding");
    if (out->minor == 0) return bad("Transfer-Encoding in HTTP/1.0");
    bool only_chunked = false;
    if (!ends_chunked(out->headers, &only_chunked) || !only_chunked) {
      return absl::UnimplementedError("http: unsupported transfer encoding");
    }
    out->body = BodyKind::kChunked;
  } else if (has_length && out->content_length > 0) {
    out->body = BodyKind::kLength;
  }
  const bool close = out->headers.has_token("Connection", "close");
  out->keep_alive =
      out->minor >= 1
          ? !close
          : out->headers.has_token("Connection", "keep-alive") && !close;
  out->expect_continue =
      out->minor >= 1 && equal_fold(out->headers.get("Expect"), "100-continue");
  return absl::OkStatus();
}

absl::Status parse_response_head(std::string_view head,
                                 std::string_view request_method,
                                 ResponseHead* out) {
  std::string_view line;
  if (absl::Status st = parse_lines(head, &line, &out->headers); !st.ok()) {
    return st;
  }
  // "HTTP/1.D SP DDD [SP reason]"
  out->minor = parse_version(line.substr(0, 8));
  if (out->minor < 0 || line.size() < 12 || line[8] != ' ') {
    return bad("malformed status line");
  }
  int status = 0;
  for (char c : line.substr(9, 3)) {
    if (c < '0' || c > '9') return bad("malformed status code");
    status = status * 10 + (c - '0');
  }
  if (status < 100) return bad("malformed status code");
  if (line.size() > 12) {
    if (line[12] != ' ') return bad("malformed status line");
    for (unsigned char c : line.substr(13)) {
      if ((c < ' ' && c != '\t') || c == 0x7f) return bad("malformed reason");
    }
    out->reason = std::string(line.substr(13));
  }
  out->status = status;
  const bool close = out->headers.has_token("Connection", "close");
  out->keep_alive =
      out->minor >= 1
          ? !close
          : out->headers.has_token("Connection", "keep-alive") && !close;
  if (request_method == "HEAD" || status < 200 || status == 204 ||
      status == 304) {
    out->body = BodyKind::kNone;
    return absl::OkStatus();
  }
  bool has_length = false;
  if (out->headers.has("Transfer-Encoding")) {
    bool only_chunked = false;
    if (ends_chunked(out->headers, &only_chunked)) {
      out->body = BodyKind::kChunked;
      if (!only_chunked) out->keep_alive = false;  // other codings: opaque
    } else {
      out->body = BodyKind::kUntilClose;
      out->keep_alive = false;
    }
    // Transfer-Encoding wins; a Content-Length beside it may be a smuggling
    // attempt: the connection is not reused.
    if (out->headers.has("Content-Length")) out->keep_alive = false;
    return absl::OkStatus();
  }
  if (absl::Status st =
          content_length(out->headers, &has_length, &out->content_length);
      !st.ok()) {
    return st;
  }
  if (has_length) {
    out->body = out->content_length > 0 ? BodyKind::kLength : BodyKind::kNone;
  } else {
    out->body = BodyKind::kUntilClose;
    out->keep_alive = false;
  }
  return absl::OkStatus();
}

}  // namespace mco::net::http
