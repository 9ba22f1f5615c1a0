// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: resp.h
// -----------------------------------------------------------------------------
//
// RESP, the Redis serialization protocol (RESP2 and RESP3): `Reply`, the
// value a server sends; `Parser`, an incremental parser of replies; and the
// encoders (`encode_command`, `encode_reply`). This file and resp.cc need
// only Abseil and the standard library (no runtime), so a fuzzer can build
// them alone.
//
//   mco::redis::Parser parser;
//   std::string buf = "*2\r\n$3\r\nfoo\r\n:42\r\n";
//   size_t used = 0;
//   absl::StatusOr<std::optional<Reply>> r = parser.parse(buf, &used);
//   buf.erase(0, used);              // always drop what the parser consumed
//   if (!r.ok()) ...                 // malformed: the stream is unusable
//   else if (!r->has_value()) ...    // need more bytes: read, append, retry
//   else use(**r);                   // (*r)->elements()[1].integer() == 42
//
//   std::string wire = mco::redis::encode_command({"SET", "k", "v"});
//
// Types. Every RESP2 and RESP3 type is a `ReplyType`. Both RESP2 nulls
// (`$-1`, `*-1`) and RESP3's `_` are `kNull`. A map (`%`) and an attribute
// (`|`) hold their keys and values flattened, k0 v0 k1 v1 ...; so does the
// RESP2 reply of HGETALL (an array), which keeps helpers uniform. A verbatim
// string (`=`) keeps its three-letter format apart (`format()`). Streamed
// RESP3 aggregates (`$?`, `*?`) are not supported (Redis does not send them).
//
// Attributes (`|`) precede the reply they describe. By default they are
// skipped; with `ParserOptions::keep_attributes` they are attached to that
// reply (`attributes()`).
//
// Parser::parse()
//
// Parses the next reply from the front of `input`, and reports in `*consumed`
// how many bytes it used up: the caller must drop them from its buffer before
// the next call, whatever the result. A reply that is not complete yet is kept
// in the parser piece by piece (what arrived of an array stays parsed), so a
// large reply arriving in many reads costs linear time. Results:
//   - a `Reply`: one complete reply;
//   - `std::nullopt`: need more bytes;
//   - an error (InvalidArgument, "redis: protocol error: ..."): a bad type
//     byte, a bad length or number, a bulk string longer than
//     `max_bulk_length`, an aggregate longer than `max_aggregate_length`, or
//     aggregates nested deeper than `max_depth`. After an error the stream
//     is out of sync: close the connection (`reset()` makes the parser usable
//     for a fresh stream).
//
// Lengths are checked before anything is allocated, so a hostile length costs
// no memory until its bytes arrive.

#ifndef MCO_STDLIB_REDIS_RESP_H_
#define MCO_STDLIB_REDIS_RESP_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace mco::redis {

enum class ReplyType : uint8_t {
  kSimpleString,  // +OK
  kError,         // -ERR message
  kInteger,       // :42
  kBulkString,    // $3 foo
  kNull,          // $-1, *-1, _
  kArray,         // *n
  kMap,           // %n (2n elements: k0 v0 k1 v1 ...)
  kSet,           // ~n
  kDouble,        // ,3.14 (also inf, -inf, nan)
  kBoolean,       // #t / #f
  kBigNumber,     // (3492890328409238509324850943850943825024385
  kVerbatim,      // =15 txt:Some string
  kBlobError,     // !21 SYNTAX invalid syntax
  kPush,          // >n (out-of-band: pub/sub messages, invalidations)
  kAttribute,     // |n: only as `Reply::attributes()`
};

// The name of a type ("array", "bulk string", ...).
const char* reply_type_name(ReplyType t);

// Reply
//
// One RESP value. A regular value type (copyable, movable, comparable).
class Reply {
 public:
  // A null reply.
  Reply() = default;

  // Constructors of each kind.
  static Reply simple_string(std::string s);
  static Reply error(std::string message);
  static Reply integer(int64_t v);
  static Reply bulk_string(std::string s);
  static Reply null();
  static Reply dbl(double v);
  static Reply boolean(bool v);
  static Reply big_number(std::string digits);
  static Reply verbatim(std::string format, std::string text);
  static Reply blob_error(std::string message);
  // kArray, kSet, kPush, or kMap/kAttribute (flattened pairs, even count).
  static Reply aggregate(ReplyType type, std::vector<Reply> elements);

  [[nodiscard]] ReplyType type() const { return type_; }

  // Reply::is_null() / is_error()
  //
  // `is_error` is true for both error kinds (kError, kBlobError).
  [[nodiscard]] bool is_null() const { return type_ == ReplyType::kNull; }
  [[nodiscard]] bool is_error() const {
    return type_ == ReplyType::kError || type_ == ReplyType::kBlobError;
  }
  // kArray, kMap, kSet, kPush, kAttribute.
  [[nodiscard]] bool is_aggregate() const;
  // A string-like kind: simple, bulk, verbatim, big number, either error.
  [[nodiscard]] bool is_string() const;

  // Reply::str()
  //
  // The text of a string-like reply (an error's message, a verbatim
  // string's text without its format, a big number's digits); empty for
  // other kinds.
  [[nodiscard]] const std::string& str() const { return str_; }
  std::string& mutable_str() { return str_; }

  // Reply::format()
  //
  // A verbatim string's format ("txt", "mkd"); empty otherwise.
  [[nodiscard]] const std::string& format() const { return format_; }

  // Reply::integer() / dbl() / boolean()
  //
  // The number of a kInteger / kDouble, the value of a kBoolean; 0 / false
  // for other kinds.
  [[nodiscard]] int64_t integer() const { return int_; }
  [[nodiscard]] double dbl() const { return dbl_; }
  [[nodiscard]] bool boolean() const { return int_ != 0; }

  // Reply::elements()
  //
  // An aggregate's elements (a map's flattened: k0 v0 k1 v1 ...); empty for
  // other kinds.
  [[nodiscard]] const std::vector<Reply>& elements() const { return elements_; }
  std::vector<Reply>& mutable_elements() { return elements_; }

  // Reply::attributes()
  //
  // The attribute (a kAttribute reply) that preceded this one, if the parser
  // kept it; null otherwise.
  [[nodiscard]] const Reply* attributes() const { return attributes_.get(); }
  void set_attributes(Reply attributes);

  // Reply::to_string()
  //
  // A one-line description for debugging and test messages, e.g.
  // `["foo", 42, nil, (error) ERR x]`.
  [[nodiscard]] std::string to_string() const;

  // Equality: same type and contents (NaN equals NaN), attributes included.
  friend bool operator==(const Reply& a, const Reply& b);
  friend bool operator!=(const Reply& a, const Reply& b) { return !(a == b); }

 private:
  ReplyType type_ = ReplyType::kNull;
  int64_t int_ = 0;
  double dbl_ = 0;
  std::string str_;
  std::string format_;
  std::vector<Reply> elements_;
  std::shared_ptr<const Reply> attributes_;  // immutable once set
};

// ParserOptions
//
// Limits against hostile or broken servers, and what to do with attributes.
struct ParserOptions {
  int64_t max_bulk_length = 512 << 20;  // bytes of one bulk/verbatim/blob
  int64_t max_aggregate_length = int64_t{1} << 32;  // elements of one aggregate
  int max_depth = 64;                               // nesting of aggregates
  bool keep_attributes = false;  // attach `|` to the next reply
};

// Parser
//
// An incremental RESP2/RESP3 reply parser (see the file comment).
class Parser {
 public:
  explicit Parser(ParserOptions options = {}) : options_(options) {}

  // Parser::parse()
  //
  // See the file comment.
  absl::StatusOr<std::optional<Reply>> parse(std::string_view input,
                                             size_t* consumed);

  // Parser::reset()
  //
  // Forgets a partly parsed reply (for a new stream).
  void reset() { stack_.clear(); }

  // Parser::in_progress()
  //
  // True while part of a reply has been consumed but not all of it.
  [[nodiscard]] bool in_progress() const { return !stack_.empty(); }

  [[nodiscard]] const ParserOptions& options() const { return options_; }

 private:
  struct Frame {
    ReplyType type;
    int64_t want;  // elements still expected
    std::vector<Reply> elements;
    std::shared_ptr<Reply> attributes;  // kept for the aggregate itself
  };

  ParserOptions options_;
  std::vector<Frame> stack_;
  std::shared_ptr<Reply> pending_attributes_;  // for the next value
};

// encode_command()
//
// A command as RESP sends it: an array of bulk strings.
std::string encode_command(absl::Span<const std::string_view> args);
std::string encode_command(std::initializer_list<std::string_view> args);
void append_command(absl::Span<const std::string_view> args, std::string* out);

// encode_reply()
//
// `reply` in RESP3 (a null as `_`; attributes before the value they are
// attached to), as a server would send it. Parsing the result gives `reply`
// back.
std::string encode_reply(const Reply& reply);
void append_reply(const Reply& reply, std::string* out);

}  // namespace mco::redis

#endif  // MCO_STDLIB_REDIS_RESP_H_
