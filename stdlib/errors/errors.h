// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: errors.h
// -----------------------------------------------------------------------------
//
// Go's `errors` vocabulary on mco's one error type, `absl::Status`.
//
// A recoverable failure in mco is an `absl::Status` (`mco::Error`), or an
// `absl::StatusOr<T>` (`mco::Result<T>`) when there is a value on success.
// This header adds what Go programmers reach for:
//
//   errors::New("disk full")                  // Go: errors.New
//   errors::Errorf("bad port %d", port)       // Go: fmt.Errorf
//   errors::Wrap(err, "open config")          // Go: fmt.Errorf("...: %w", err)
//   errors::Is(err, kErrNotExist)             // Go: errors.Is
//   errors::Is(err, absl::StatusCode::kNotFound)
//   errors::Unwrap(err)                       // Go: errors.Unwrap
//   MCO_TRY(f());                             // if err != nil { return err }
//   MCO_ASSIGN_OR_RETURN(auto cfg, parse(s)); // v, err := ...; if err ...
//
// Contract:
//  - `New` and `Errorf` without a code make `absl::StatusCode::kUnknown`
//    errors (Go's errors have no code); the overloads taking a code make
//    errors of that code. An OK code is turned into `kUnknown`: an error is
//    never OK.
//  - `Wrap(err, context)` returns an error with `err`'s code and the message
//    "context: <err's message>", and remembers `err` (its code, message and
//    payloads, including its own wrapped error) as its cause. Wrapping an OK
//    status returns OK, so `return errors::Wrap(f(), "f");` is fine.
//    `WrapWithCode` does the same with another code (e.g. translating
//    `kNotFound` into `kInternal` at an API boundary).
//  - The chain of an error is the error itself, then its cause, then its
//    cause's cause, and so on. `Is(err, code)` is true if any error in the
//    chain has that code; `Is(err, target)` if any has `target`'s code and
//    message (payloads are not compared, so a sentinel made with `New`
//    matches the errors wrapped around it). `Is(ok, OkStatus())` is true,
//    like Go's `errors.Is(nil, nil)`.
//  - The cause is kept in a payload of the status under `kCausePayloadUrl`,
//    so it survives copies and any code that preserves payloads. The wrapped
//    error's other payloads are also copied onto the wrapper, so
//    `GetPayload` on the outermost error finds them.
//
// Example:
//
//   const mco::Error kErrNoConfig = mco::errors::New("no config");
//
//   mco::Result<Config> load(const std::string& path) {
//     MCO_ASSIGN_OR_RETURN(std::string text, read_file(path));
//     if (text.empty()) return mco::errors::Wrap(kErrNoConfig, path);
//     return parse(text);
//   }
//
//   absl::Status start() {
//     auto cfg = load("/etc/app.conf");
//     if (mco::errors::Is(cfg.status(), kErrNoConfig)) cfg = Config{};
//     MCO_TRY(cfg.status());
//     ...
//   }

#ifndef MCO_STDLIB_ERRORS_ERRORS_H_
#define MCO_STDLIB_ERRORS_ERRORS_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace mco {

// Error / Result<T>
//
// mco's error type: OK means "no error", like Go's nil.
using Error = absl::Status;
template <typename T>
using Result = absl::StatusOr<T>;

namespace errors {

// The payload type URL under which `Wrap` keeps the cause.
inline constexpr absl::string_view kCausePayloadUrl =
    "type.mco.dev/mco.errors.Cause";

// errors::New()
//
// An error with `message` (and `code`, kUnknown by default).
Error New(absl::string_view message);
Error New(absl::StatusCode code, absl::string_view message);

// errors::Errorf()
//
// An error whose message is `absl::StrFormat(format, args...)` (and `code`,
// kUnknown by default). The format is checked at compile time.
template <typename... Args>
Error Errorf(const absl::FormatSpec<Args...>& format, const Args&... args) {
  return New(absl::StrFormat(format, args...));
}
template <typename... Args>
Error Errorf(absl::StatusCode code, const absl::FormatSpec<Args...>& format,
             const Args&... args) {
  return New(code, absl::StrFormat(format, args...));
}

// errors::Wrap()
//
// `err` with `context` prepended ("context: message"), the same code, and
// `err` kept as its cause. OK stays OK.
Error Wrap(const Error& err, absl::string_view context);

// errors::Wrapf()
//
// `Wrap` with the context given by `absl::StrFormat(format, args...)`.
template <typename... Args>
Error Wrapf(const Error& err, const absl::FormatSpec<Args...>& format,
            const Args&... args) {
  if (err.ok()) return err;
  return Wrap(err, absl::StrFormat(format, args...));
}

// errors::WrapWithCode()
//
// Like `Wrap`, with the wrapper's code set to `code` (kUnknown if `code` is
// OK); `Is(result, err's code)` still finds the cause's code.
Error WrapWithCode(const Error& err, absl::StatusCode code,
                   absl::string_view context);

// errors::Unwrap()
//
// The cause `err` wraps, or OK if it wraps none (Go returns nil).
[[nodiscard]] Error Unwrap(const Error& err);

// errors::Is()
//
// Whether any error in `err`'s chain has code `code` / matches `target` (same
// code and message). See the file comment.
[[nodiscard]] bool Is(const Error& err, absl::StatusCode code);
[[nodiscard]] bool Is(const Error& err, const Error& target);

namespace internal {
inline const absl::Status& AsStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& AsStatus(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace internal

}  // namespace errors
}  // namespace mco

#define MCO_ERRORS_CONCAT_INNER_(a, b) a##b
#define MCO_ERRORS_CONCAT_(a, b) MCO_ERRORS_CONCAT_INNER_(a, b)

// MCO_TRY()
//
// Evaluates `expr` (an `absl::Status` or `absl::StatusOr<T>`); if it is not
// OK, returns its status from the enclosing function (which must return
// `absl::Status` or an `absl::StatusOr<U>`). Go's `if err != nil { return
// err }`.
//
//   MCO_TRY(conn.write(buf));
#define MCO_TRY(expr)                                            \
  do {                                                           \
    const auto& mco_try_result_ = (expr);                        \
    if (!mco_try_result_.ok()) {                                 \
      return ::mco::errors::internal::AsStatus(mco_try_result_); \
    }                                                            \
  } while (0)

// MCO_ASSIGN_OR_RETURN()
//
// Evaluates `expr` (an `absl::StatusOr<T>`); if it is not OK, returns its
// status from the enclosing function; otherwise moves its value into `lhs`,
// which may declare a variable. Expands to several statements: do not use it
// as the body of an unbraced `if`.
//
//   MCO_ASSIGN_OR_RETURN(auto n, parse_int(s));
//   MCO_ASSIGN_OR_RETURN(cfg.port, parse_int(p));
#define MCO_ASSIGN_OR_RETURN(lhs, expr) \
  MCO_ASSIGN_OR_RETURN_IMPL_(           \
      MCO_ERRORS_CONCAT_(mco_assign_or_return_, __COUNTER__), lhs, expr)

#define MCO_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return std::move(tmp).status();   \
  lhs = std::move(tmp).value()

#endif  // MCO_STDLIB_ERRORS_ERRORS_H_
