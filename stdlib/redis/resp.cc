// Copyright 2026 The mco Authors.
//
// RESP parsing and encoding (resp.h). Only Abseil and the standard library:
// tools/fuzz/resp_fuzzer.cc builds this file alone.
//
// The parser works element by element. A scalar (a simple string, a number,
// a bulk string with its payload) is taken only when all of its bytes are in
// the input, so it is never split; an aggregate's header is taken at once and
// pushes a frame that collects its elements. `*consumed` counts the bytes of
// everything taken, so the caller can drop them and the parser resumes where
// it stopped. Invariants: every frame on the stack still wants at least one
// element; `stack_.size()` is the current nesting depth.

#include "mco/redis/resp.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mco::redis {
namespace {

// Debian's Abseil has its own string_view (not std's): convert at calls.
absl::string_view av(std::string_view s) { return {s.data(), s.size()}; }

// The longest line (simple string, error, number, header) accepted.
constexpr size_t kMaxLineLength = 1 << 20;

absl::Status protocol_error(std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("redis: protocol error: ", av(what)));
}

std::string quote(std::string_view s, size_t limit = 32) {
  if (s.size() > limit) {
    return absl::StrCat("\"", absl::CHexEscape(av(s.substr(0, limit))),
                        "\"...");
  }
  return absl::StrCat("\"", absl::CHexEscape(av(s)), "\"");
}

// A decimal int64 with an optional sign; false if malformed or out of range.
bool parse_int64(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  const uint64_t limit =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) +
      (neg ? 1 : 0);
  if (v > limit) return false;
  *out = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

// A length: digits only, or "-1" when `null_ok` (then *out = -1).
bool parse_length(std::string_view s, bool null_ok, int64_t* out) {
  if (null_ok && s == "-1") {
    *out = -1;
    return true;
  }
  if (s.empty() || s[0] == '-' || s[0] == '+') return false;
  return parse_int64(s, out);
}

bool parse_double(std::string_view s, double* out) {
  if (s == "inf" || s == "+inf") {
    *out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == "-inf") {
    *out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == "nan" || s == "-nan") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() ||
      !(s[0] == '-' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) {
    return false;  // from_chars would take "inf", "infinity", "nan(...)"
  }
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, *out);
  return ec == std::errc() && p == end && std::isfinite(*out);
}

bool is_big_number(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void append_double(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("nan");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "inf" : "-inf");
  } else {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out->append(buf, p);
  }
}

}  // namespace

const char* reply_type_name(ReplyType t) {
  switch (t) {
    case ReplyType::kSimpleString:
      return "simple string";
    case ReplyType::kError:
      return "error";
    case ReplyType::kInteger:
      return "integer";
    case ReplyType::kBulkString:
      return "bulk string";
    case ReplyType::kNull:
      return "null";
    case ReplyType::kArray:
      return "array";
    case ReplyType::kMap:
      return "map";
    case ReplyType::kSet:
      return "set";
    case ReplyType::kDouble:
      return "double";
    case ReplyType::kBoolean:
      return "boolean";
    case ReplyType::kBigNumber:
      return "big number";
    case ReplyType::kVerbatim:
      return "verbatim string";
    case ReplyType::kBlobError:
      return "blob error";
    case ReplyType::kPush:
      return "push";
    case ReplyType::kAttribute:
      return "attribute";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------
// Reply

Reply Reply::simple_string(std::string s) {
  Reply r;
  r.type_ = ReplyType::kSimpleString;
  r.str_ = std::move(s);
  return r;
}

Reply Reply::error(std::string message) {
  Reply r;
  r.type_ = ReplyType::kError;
  r.str_ = std::move(message);
  return r;
}

Reply Reply::integer(int64_t v) {
  Reply r;
  r.type_ = ReplyType::kInteger;
  r.int_ = v;
  return r;
}

Reply Reply::bulk_string(std::string s) {
  Reply r;
  r.type_ = ReplyType::kBulkString;
  r.str_ = std::move(s);
  return r;
}

Reply Reply::null() { return Reply(); }

Reply Reply::dbl(double v) {
  Reply r;
  r.type_ = ReplyType::kDouble;
  r.dbl_ = v;
  return r;
}

Reply Reply::boolean(bool v) {
  Reply r;
  r.type_ = ReplyType::kBoolean;
  r.int_ = v ? 1 : 0;
  return r;
}

Reply Reply::big_number(std::string digits) {
  Reply r;
  r.type_ = ReplyType::kBigNumber;
  r.str_ = std::move(digits);
  return r;
}

Reply Reply::verbatim(std::string format, std::string text) {
  Reply r;
  r.type_ = ReplyType::kVerbatim;
  r.format_ = std::move(format);
  r.str_ = std::move(text);
  return r;
}

Reply Reply::blob_error(std::string message) {
  Reply r;
  r.type_ = ReplyType::kBlobError;
  r.str_ = std::move(message);
  return r;
}

Reply Reply::aggregate(ReplyType type, std::vector<Reply> elements) {
  Reply r;
  r.type_ = type;
  r.elements_ = std::move(elements);
  return r;
}

bool Reply::is_aggregate() const {
  switch (type_) {
    case ReplyType::kArray:
    case ReplyType::kMap:
    case ReplyType::kSet:
    case ReplyType::kPush:
    case ReplyType::kAttribute:
      return true;
    default:
      return false;
  }
}

bool Reply::is_string() const {
  switch (type_) {
    case ReplyType::kSimpleString:
    case ReplyType::kBulkString:
    case ReplyType::kVerbatim:
    case ReplyType::kBigNumber:
    case ReplyType::kError:
    case ReplyType::kBlobError:
      return true;
    default:
      return false;
  }
}

void Reply::set_attributes(Reply attributes) {
  attributes_ = std::make_shared<const Reply>(std::move(attributes));
}

bool operator==(const Reply& a, const Reply& b) {
  if (a.type_ != b.type_ || a.int_ != b.int_ || a.str_ != b.str_ ||
      a.format_ != b.format_ || a.elements_ != b.elements_) {
    return false;
  }
  if (!(a.dbl_ == b.dbl_ || (std::isnan(a.dbl_) && std::isnan(b.dbl_)))) {
    return false;
  }
  if ((a.attributes_ == nullptr) != (b.attributes_ == nullptr)) return false;
  return a.attributes_ == nullptr || *a.attributes_ == *b.attributes_;
}

std::string Reply::to_string() const {
  std::string out;
  if (attributes_ != nullptr) {
    absl::StrAppend(&out, "|", attributes_->to_string(), "| ");
  }
  auto join = [&](const char* open, const char* close, bool pairs) {
    out.append(open);
    for (size_t i = 0; i < elements_.size(); ++i) {
      if (i > 0) out.append(pairs && i % 2 == 1 ? ": " : ", ");
      out.append(elements_[i].to_string());
    }
    out.append(close);
  };
  switch (type_) {
    case ReplyType::kSimpleString:
      out.append(absl::CHexEscape(str_));
      break;
    case ReplyType::kError:
    case ReplyType::kBlobError:
      absl::StrAppend(&out, "(error) ", absl::CHexEscape(str_));
      break;
    case ReplyType::kInteger:
      absl::StrAppend(&out, int_);
      break;
    case ReplyType::kBulkString:
      absl::StrAppend(&out, "\"", absl::CHexEscape(str_), "\"");
      break;
    case ReplyType::kNull:
      out.append("nil");
      break;
    case ReplyType::kDouble:
      out.append("(double) ");
      append_double(dbl_, &out);
      break;
    case ReplyType::kBoolean:
      out.append(int_ ? "true" : "false");
      break;
    case ReplyType::kBigNumber:
      absl::StrAppend(&out, "(big) ", str_);
      break;
    case ReplyType::kVerbatim:
      absl::StrAppend(&out, absl::CHexEscape(format_), ":\"",
                      absl::CHexEscape(str_), "\"");
      break;
    case ReplyType::kArray:
      join("[", "]", false);
      break;
    case ReplyType::kSet:
      join("~{", "}", false);
      break;
    case ReplyType::kPush:
      join(">[", "]", false);
      break;
    case ReplyType::kMap:
    case ReplyType::kAttribute:
      join("{", "}", true);
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Parser

absl::StatusOr<std::optional<Reply>> Parser::parse(std::string_view input,
                                                   size_t* consumed) {
  size_t pos = 0;
  *consumed = 0;
  for (;;) {
    if (pos >= input.size()) {
      *consumed = pos;
      return std::nullopt;
    }
    const char type = input[pos];
    if (type == '\0' || std::strchr("+-:$=!_,#(*%~>|", type) == nullptr) {
      *consumed = pos;
      return protocol_error(
          absl::StrCat("bad type byte ", quote(std::string_view(&type, 1))));
    }
    const size_t eol = input.find("\r\n", pos + 1);
    if (eol == std::string_view::npos) {
      *consumed = pos;
      if (input.size() - pos > kMaxLineLength) {
        return protocol_error("line too long");
      }
      return std::nullopt;
    }
    if (eol - pos - 1 > kMaxLineLength) {
      *consumed = pos;
      return protocol_error("line too long");
    }
    const std::string_view line = input.substr(pos + 1, eol - pos - 1);
    size_t next = eol + 2;
    Reply value;
    bool opened = false;  // an aggregate frame was pushed, no value yet
    switch (type) {
      case '+':
        value = Reply::simple_string(std::string(line));
        break;
      case '-':
        value = Reply::error(std::string(line));
        break;
      case ':': {
        int64_t v;
        if (!parse_int64(line, &v)) {
          *consumed = pos;
          return protocol_error(absl::StrCat("bad integer ", quote(line)));
        }
        value = Reply::integer(v);
        break;
      }
      case '$':
      case '=':
      case '!': {
        int64_t len;
        if (!parse_length(line, type == '$', &len)) {
          *consumed = pos;
          return protocol_error(absl::StrCat("bad length ", quote(line)));
        }
        if (len > options_.max_bulk_length) {
          *consumed = pos;
          return protocol_error(absl::StrCat("bulk length ", len,
                                             " over the limit of ",
                                             options_.max_bulk_length));
        }
        if (len < 0) {
          value = Reply::null();
          break;
        }
        const size_t n = static_cast<size_t>(len);
        if (input.size() - next < n + 2) {  // payload not complete yet
          *consumed = pos;
          return std::nullopt;
        }
        if (input[next + n] != '\r' || input[next + n + 1] != '\n') {
          *consumed = pos;
          return protocol_error("bulk string not followed by CRLF");
        }
        std::string payload(input.substr(next, n));
        next += n + 2;
        if (type == '$') {
          value = Reply::bulk_string(std::move(payload));
        } else if (type == '!') {
          value = Reply::blob_error(std::move(payload));
        } else {
          if (n < 4 || payload[3] != ':') {
            *consumed = pos;
            return protocol_error("verbatim string without a format");
          }
          value = Reply::verbatim(payload.substr(0, 3), payload.substr(4));
        }
        break;
      }
      case '_':
        if (!line.empty()) {
          *consumed = pos;
          return protocol_error(absl::StrCat("bad null ", quote(line)));
        }
        break;
      case ',': {
        double d;
        if (!parse_double(line, &d)) {
          *consumed = pos;
          return protocol_error(absl::StrCat("bad double ", quote(line)));
        }
        value = Reply::dbl(d);
        break;
      }
      case '#':
        if (line != "t" && line != "f") {
          *consumed = pos;
          return protocol_error(absl::StrCat("bad boolean ", quote(line)));
        }
        value = Reply::boolean(line == "t");
        break;
      case '(':
        if (!is_big_number(line)) {
          *consumed = pos;
          return protocol_error(absl::StrCat("bad big number ", quote(line)));
        }
        value = Reply::big_number(std::string(line));
        break;
      case '*':
      case '%':
      case '~':
      case '>':
      case '|': {
        int64_t len;
        if (!parse_length(line, type == '*', &len)) {
          *consumed = pos;
          return protocol_error(absl::StrCat("bad length ", quote(line)));
        }
        if (len > options_.max_aggregate_length) {
          *consumed = pos;
          return protocol_error(absl::StrCat("aggregate length ", len,
                                             " over the limit of ",
                                             options_.max_aggregate_length));
        }
        if (len < 0) {
          value = Reply::null();
          break;
        }
        const ReplyType t = type == '*'   ? ReplyType::kArray
                            : type == '%' ? ReplyType::kMap
                            : type == '~' ? ReplyType::kSet
                            : type == '>' ? ReplyType::kPush
                                          : ReplyType::kAttribute;
        const bool pairs = t == ReplyType::kMap || t == ReplyType::kAttribute;
        if (len == 0) {
          value = Reply::aggregate(t, {});
          break;
        }
        if (stack_.size() >= static_cast<size_t>(options_.max_depth)) {
          *consumed = pos;
          return protocol_error(
              absl::StrCat("nesting deeper than ", options_.max_depth));
        }
        Frame f{t, pairs ? 2 * len : len, {}, std::move(pending_attributes_)};
        pending_attributes_.reset();
        // Reserve only what could already be in the input (each element
        // takes at least 3 bytes), never what a hostile length claims.
        f.elements.reserve(static_cast<size_t>(
            std::min<int64_t>(f.want, (input.size() - next) / 3 + 1)));
        stack_.push_back(std::move(f));
        opened = true;
        break;
      }
      default:
        *consumed = pos;
        return protocol_error(
            absl::StrCat("bad type byte ", quote(std::string_view(&type, 1))));
    }
    pos = next;
    if (opened) continue;

    // Hand the value up through the frames it completes.
    for (;;) {
      if (value.type() == ReplyType::kAttribute) {
        // Describes the next value: keep (or drop) it, it is no element.
        if (options_.keep_attributes) {
          pending_attributes_ = std::make_shared<Reply>(std::move(value));
        }
        break;
      }
      if (pending_attributes_ != nullptr) {
        value.set_attributes(std::move(*pending_attributes_));
        pending_attributes_.reset();
      }
      if (stack_.empty()) {
        *consumed = pos;
        return std::optional<Reply>(std::move(value));
      }
      Frame& top = stack_.back();
      top.elements.push_back(std::move(value));
      if (--top.want > 0) break;
      value = Reply::aggregate(top.type, std::move(top.elements));
      std::shared_ptr<Reply> own = std::move(top.attributes);
      stack_.pop_back();
      if (own != nullptr) value.set_attributes(std::move(*own));
    }
  }
}

// ---------------------------------------------------------------------------
// Encoding

void append_command(absl::Span<const std::string_view> args, std::string* out) {
  size_t size = 16;
  for (std::string_view a : args) size += a.size() + 16;
  out->reserve(out->size() + size);
  absl::StrAppend(out, "*", args.size(), "\r\n");
  for (std::string_view a : args) {
    absl::StrAppend(out, "$", a.size(), "\r\n");
    out->append(a.data(), a.size());
    out->append("\r\n");
  }
}

std::string encode_command(absl::Span<const std::string_view> args) {
  std::string out;
  append_command(args, &out);
  return out;
}

std::string encode_command(std::initializer_list<std::string_view> args) {
  return encode_command(absl::MakeConstSpan(args.begin(), args.size()));
}

void append_reply(const Reply& r, std::string* out) {
  if (r.attributes() != nullptr) append_reply(*r.attributes(), out);
  auto blob = [&](char t, std::string_view s) {
    absl::StrAppend(out, av(std::string_view(&t, 1)), s.size(), "\r\n", av(s),
                    "\r\n");
  };
  switch (r.type()) {
    case ReplyType::kSimpleString:
      absl::StrAppend(out, "+", r.str(), "\r\n");
      return;
    case ReplyType::kError:
      absl::StrAppend(out, "-", r.str(), "\r\n");
      return;
    case ReplyType::kInteger:
      absl::StrAppend(out, ":", r.integer(), "\r\n");
      return;
    case ReplyType::kBulkString:
      blob('$', r.str());
      return;
    case ReplyType::kNull:
      out->append("_\r\n");
      return;
    case ReplyType::kDouble:
      out->append(",");
      append_double(r.dbl(), out);
      out->append("\r\n");
      return;
    case ReplyType::kBoolean:
      out->append(r.boolean() ? "#t\r\n" : "#f\r\n");
      return;
    case ReplyType::kBigNumber:
      absl::StrAppend(out, "(", r.str(), "\r\n");
      return;
    case ReplyType::kVerbatim:
      blob('=', absl::StrCat(r.format(), ":", r.str()));
      return;
    case ReplyType::kBlobError:
      blob('!', r.str());
      return;
    case ReplyType::kArray:
    case ReplyType::kSet:
    case ReplyType::kPush:
    case ReplyType::kMap:
    case ReplyType::kAttribute: {
      const ReplyType t = r.type();
      const char c = t == ReplyType::kArray  ? '*'
                     : t == ReplyType::kSet  ? '~'
                     : t == ReplyType::kPush ? '>'
                     : t == ReplyType::kMap  ? '%'
                                             : '|';
      const bool pairs = t == ReplyType::kMap || t == ReplyType::kAttribute;
      const size_t n = r.elements().size();
      absl::StrAppend(out, av(std::string_view(&c, 1)), pairs ? n / 2 : n,
                      "\r\n");
      for (const Reply& e : r.elements()) append_reply(e, out);
      return;
    }
  }
}

std::string encode_reply(const Reply& reply) {
  std::string out;
  append_reply(reply, &out);
  return out;
}

}  // namespace mco::redis
