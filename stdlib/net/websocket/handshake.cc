// Copyright 2026 The mco Authors.
//
// The opening handshake (handshake.h). Runtime-free: Abseil and the standard
// library only, so tools/fuzz/websocket_handshake_fuzzer.cc compiles it
// alone.

#include "mco/net/websocket/handshake.h"

#include <algorithm>
#include <cstring>

#include "stdlib/net/websocket/str_internal.h"

namespace mco::net::websocket {

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool consume_prefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

absl::Status bad_head(std::string_view what) {
  return absl::InvalidArgumentError(
      internal::cat("websocket: malformed HTTP head: ", what));
}

absl::Status bad_handshake(std::string_view what) {
  return absl::FailedPreconditionError(
      internal::cat("websocket: bad handshake: ", what));
}

// RFC 7230 tchar.
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

std::optional<std::string> lookup(const HeaderList& headers,
                                  std::string_view name) {
  std::optional<std::string> out;
  for (const auto& [n, v] : headers) {
    if (!internal::iequals(n, name)) continue;
    if (out) {
      *out += internal::cat(", ", v);
    } else {
      out = v;
    }
  }
  return out;
}

// Splits `head` into its start line and its headers.
absl::Status split_head(std::string_view head, std::string_view* start_line,
                        HeaderList* headers) {
  std::vector<std::string_view> lines = internal::split(head, '\n');
  // The head ends with an empty line, which leaves one or two empty pieces.
  while (!lines.empty() && (lines.back().empty() || lines.back() == "\r")) {
    lines.pop_back();
  }
  if (lines.empty()) return bad_head("empty");
  for (auto& l : lines) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    for (char c : l) {
      if (c == '\r' || c == '\0') return bad_head("stray CR or NUL");
    }
  }
  *start_line = lines[0];
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    if (l.empty()) return bad_head("empty line inside the head");
    if (l[0] == ' ' || l[0] == '\t') return bad_head("obsolete line folding");
    const size_t colon = l.find(':');
    if (colon == std::string_view::npos) return bad_head("header without ':'");
    std::string_view name = l.substr(0, colon);
    if (!is_token(name)) return bad_head("bad header name");
    std::string_view value = internal::strip(l.substr(colon + 1));
    for (char c : value) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7F) {
        return bad_head("control character in a header value");
      }
    }
    headers->emplace_back(std::string(name), std::string(value));
  }
  return absl::OkStatus();
}

bool parse_http_version(std::string_view v) {
  // HTTP/1.1 or later 1.x; a WebSocket handshake needs at least 1.1.
  if (!consume_prefix(&v, "HTTP/1.")) return false;
  if (v.empty() || v.size() > 3) return false;
  int minor = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    minor = minor * 10 + (c - '0');
  }
  return minor >= 1;
}

uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

}  // namespace

namespace internal {

std::array<uint8_t, 20> sha1(std::string_view data) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  // The message, a 1 bit, zeros, and the 64-bit bit length: whole blocks.
  std::string m(data);
  const uint64_t bits = uint64_t{data.size()} * 8;
  m.push_back(static_cast<char>(0x80));
  while (m.size() % 64 != 56) m.push_back('\0');
  for (int i = 7; i >= 0; --i) m.push_back(static_cast<char>(bits >> (8 * i)));

  for (size_t block = 0; block < m.size(); block += 64) {
    uint32_t w[80];
    for (int t = 0; t < 16; ++t) {
      const auto* p =
          reinterpret_cast<const uint8_t*>(m.data() + block + 4 * t);
      w[t] = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
             (uint32_t{p[2]} << 8) | p[3];
    }
    for (int t = 16; t < 80; ++t) {
      w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; ++t) {
      uint32_t f, k;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      const uint32_t tmp = rotl(a, 5) + f + e + k + w[t];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  std::array<uint8_t, 20> out;
  for (int i = 0; i < 5; ++i) {
    out[4 * i] = static_cast<uint8_t>(h[i] >> 24);
    out[4 * i + 1] = static_cast<uint8_t>(h[i] >> 16);
    out[4 * i + 2] = static_cast<uint8_t>(h[i] >> 8);
    out[4 * i + 3] = static_cast<uint8_t>(h[i]);
  }
  return out;
}

}  // namespace internal

absl::StatusOr<WebSocketUrl> parse_websocket_url(std::string_view url) {
  auto bad_url = [&](std::string_view what) {
    return absl::InvalidArgumentError(
        internal::cat("websocket: bad URL \"", url, "\": ", what));
  };
  WebSocketUrl u;
  std::string_view rest = url;
  if (consume_prefix(&rest, "ws://")) {
    u.scheme = "ws";
    u.port = 80;
  } else if (consume_prefix(&rest, "wss://")) {
    u.scheme = "wss";
    u.port = 443;
  } else {
    return bad_url("scheme must be ws or wss");
  }
  for (char c : rest) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return bad_url("whitespace or control character");
    }
  }
  if (rest.find('#') != std::string_view::npos) {
    return bad_url("fragment not allowed");
  }
  const size_t path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  std::string_view resource =
      path_start == std::string_view::npos ? "" : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos) {
    return bad_url("user information not supported");
  }
  std::string_view host = authority;
  std::string_view port;
  bool explicit_port = false;
  if (consume_prefix(&host, "[")) {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return bad_url("unclosed '['");
    std::string_view after = host.substr(close + 1);
    host = host.substr(0, close);
    if (!after.empty()) {
      if (!consume_prefix(&after, ":")) return bad_url("junk after ']'");
      port = after;
      explicit_port = true;
    }
    if (host.find(':') == std::string_view::npos) {
      return bad_url("brackets around a host that is not IPv6");
    }
  } else {
    const size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
      explicit_port = true;
    }
  }
  if (host.empty()) return bad_url("empty host");
  for (char c : host) {
    if (c == '[' || c == ']' || (c == ':' && authority[0] != '[')) {
      return bad_url("bad host");
    }
  }
  if (explicit_port) {
    uint32_t p = 0;
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(),
                     [](char c) { return c >= '0' && c <= '9'; }) ||
        (p = std::stoul(std::string(port))) == 0 || p > 65535) {
      return bad_url("bad port");
    }
    u.port = static_cast<uint16_t>(p);
  }
  u.host = std::string(host);
  const bool v6 = host.find(':') != std::string_view::npos;
  const std::string bracketed = v6 ? internal::cat("[", host, "]") : u.host;
  u.host_port = internal::cat(bracketed, ":", u.port);
  u.host_header =
      explicit_port ? internal::cat(bracketed, ":", u.port) : bracketed;
  u.resource = std::string(resource);
  if (u.resource.empty() || u.resource[0] == '?') {
    u.resource.insert(0, "/");
  }
  return u;
}

size_t find_head_end(std::string_view data) {
  // An empty line: "\n\n" or "\n\r\n".
  for (size_t i = data.find('\n'); i != std::string_view::npos;
       i = data.find('\n', i + 1)) {
    if (i + 1 < data.size() && data[i + 1] == '\n') return i + 2;
    if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') {
      return i + 3;
    }
  }
  return 0;
}

std::optional<std::string> HandshakeRequest::header(
    std::string_view name) const {
  return lookup(headers, name);
}

std::optional<std::string> HandshakeResponse::header(
    std::string_view name) const {
  return lookup(headers, name);
}

absl::StatusOr<HandshakeRequest> parse_request_head(std::string_view head) {
  std::string_view start;
  HandshakeRequest req;
  if (auto st = split_head(head, &start, &req.headers); !st.ok()) return st;
  std::vector<std::string_view> parts = internal::split(start, ' ');
  if (parts.size() != 3) return bad_head("request line");
  if (!is_token(parts[0])) return bad_head("method");
  if (parts[1].empty()) return bad_head("empty target");
  if (!parse_http_version(parts[2])) return bad_head("HTTP version");
  req.method = std::string(parts[0]);
  req.target = std::string(parts[1]);
  return req;
}

absl::StatusOr<HandshakeResponse> parse_response_head(std::string_view head) {
  std::string_view start;
  HandshakeResponse resp;
  if (auto st = split_head(head, &start, &resp.headers); !st.ok()) return st;
  // "HTTP/1.1 101 Switching Protocols": the reason may hold spaces.
  std::vector<std::string_view> parts;
  const size_t sp1 = start.find(' ');
  if (sp1 != std::string_view::npos) {
    parts.push_back(start.substr(0, sp1));
    const size_t sp2 = start.find(' ', sp1 + 1);
    parts.push_back(start.substr(sp1 + 1, sp2 == std::string_view::npos
                                              ? std::string_view::npos
                                              : sp2 - sp1 - 1));
    if (sp2 != std::string_view::npos) parts.push_back(start.substr(sp2 + 1));
  }
  if (parts.size() < 2 || !parse_http_version(parts[0])) {
    return bad_head("status line");
  }
  if (parts[1].size() != 3 ||
      !std::all_of(parts[1].begin(), parts[1].end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return bad_head("status code");
  }
  resp.status = (parts[1][0] - '0') * 100 + (parts[1][1] - '0') * 10 +
                (parts[1][2] - '0');
  if (parts.size() == 3) resp.reason = std::string(parts[2]);
  return resp;
}

bool has_token(std::string_view list, std::string_view token) {
  for (std::string_view t : internal::split(list, ',')) {
    if (internal::iequals(internal::strip(t), token)) {
      return true;
    }
  }
  return false;
}

std::string compute_accept_key(std::string_view key) {
  const std::array<uint8_t, 20> digest =
      internal::sha1(internal::cat(key, kGuid));
  return internal::base64_encode(std::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
}

bool is_valid_client_key(std::string_view key) {
  std::string raw;
  return key.size() == 24 && internal::base64_decode(key, &raw) &&
         raw.size() == 16;
}

std::string build_client_request(const WebSocketUrl& url, std::string_view key,
                                 const std::vector<std::string>& subprotocols,
                                 const HeaderList& extra_headers) {
  std::string out = internal::cat(
      "GET ", url.resource, " HTTP/1.1\r\nHost: ", url.host_header,
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: ",
      key, "\r\nSec-WebSocket-Version: 13\r\n");
  if (!subprotocols.empty()) {
    out += "Sec-WebSocket-Protocol: ";
    for (size_t i = 0; i < subprotocols.size(); ++i) {
      out += internal::cat(i ? ", " : "", subprotocols[i]);
    }
    out += "\r\n";
  }
  for (const auto& [name, value] : extra_headers) {
    out += internal::cat(name, ": ", value, "\r\n");
  }
  out += "\r\n";
  return out;
}

absl::StatusOr<std::string> check_server_response(
    const HandshakeResponse& response, std::string_view key,
    const std::vector<std::string>& subprotocols) {
  if (response.status != 101) {
    return bad_handshake(internal::cat("status ", response.status, " ",
                                       response.reason, " (want 101)"));
  }
  if (!has_token(response.header("Upgrade").value_or(""), "websocket")) {
    return bad_handshake("no 'Upgrade: websocket'");
  }
  if (!has_token(response.header("Connection").value_or(""), "upgrade")) {
    return bad_handshake("no 'Connection: Upgrade'");
  }
  if (response.header("Sec-WebSocket-Accept").value_or("") !=
      compute_accept_key(key)) {
    return bad_handshake("wrong Sec-WebSocket-Accept");
  }
  if (response.header("Sec-WebSocket-Extensions")) {
    return bad_handshake("server chose an extension none was offered");
  }
  std::string chosen = response.header("Sec-WebSocket-Protocol").value_or("");
  if (!chosen.empty() && std::find(subprotocols.begin(), subprotocols.end(),
                                   chosen) == subprotocols.end()) {
    return bad_handshake(internal::cat("server chose subprotocol \"", chosen,
                                       "\", not offered"));
  }
  return chosen;
}

UpgradeDecision check_upgrade_request(
    const HandshakeRequest& req, const std::vector<std::string>& subprotocols) {
  UpgradeDecision d;
  auto refuse = [&](int status, std::string_view why) {
    d.http_status = status;
    d.error = bad_handshake(why);
    return d;
  };
  if (req.method != "GET") return refuse(405, "method is not GET");
  if (!req.header("Host")) return refuse(400, "no Host header");
  if (!has_token(req.header("Upgrade").value_or(""), "websocket")) {
    return refuse(400, "no 'Upgrade: websocket'");
  }
  if (!has_token(req.header("Connection").value_or(""), "upgrade")) {
    return refuse(400, "no 'Connection: Upgrade'");
  }
  if (req.header("Sec-WebSocket-Version").value_or("") != "13") {
    return refuse(426, "Sec-WebSocket-Version is not 13");
  }
  const std::string key = req.header("Sec-WebSocket-Key").value_or("");
  if (!is_valid_client_key(key)) {
    return refuse(400, "bad Sec-WebSocket-Key");
  }
  d.accept_key = compute_accept_key(key);
  if (auto offered = req.header("Sec-WebSocket-Protocol")) {
    for (const std::string& p : subprotocols) {
      if (has_token(*offered, p)) {
        d.subprotocol = p;
        break;
      }
    }
  }
  return d;
}

std::string accept_response(const UpgradeDecision& d,
                            const HeaderList& extra_headers) {
  std::string out = internal::cat(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Accept: ",
      d.accept_key, "\r\n");
  if (!d.subprotocol.empty()) {
    out += internal::cat("Sec-WebSocket-Protocol: ", d.subprotocol, "\r\n");
  }
  for (const auto& [name, value] : extra_headers) {
    out += internal::cat(name, ": ", value, "\r\n");
  }
  out += "\r\n";
  return out;
}

std::string reject_response(const UpgradeDecision& d) {
  std::string_view reason = "Bad Request";
  if (d.http_status == 403) reason = "Forbidden";
  if (d.http_status == 405) reason = "Method Not Allowed";
  if (d.http_status == 426) reason = "Upgrade Required";
  const std::string body = std::string(d.error.message()) + "\n";
  std::string out = internal::cat("HTTP/1.1 ", d.http_status, " ", reason,
                                  "\r\nConnection: close\r\n");
  if (d.http_status == 405) out += "Allow: GET\r\n";
  if (d.http_status == 426) out += "Sec-WebSocket-Version: 13\r\n";
  out += internal::cat(
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Length: ",
      body.size(), "\r\n\r\n", body);
  return out;
}

}  // namespace mco::net::websocket
