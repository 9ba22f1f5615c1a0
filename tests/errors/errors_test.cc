// Copyright 2026 The mco Authors.
//
// Tests of mco/errors/errors.h: New/Errorf, Wrap and its chain, Is by code
// and by target, Unwrap, payload preservation, MCO_TRY and
// MCO_ASSIGN_OR_RETURN.

#include "mco/errors/errors.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "gtest/gtest.h"

namespace {

namespace errors = mco::errors;
using absl::StatusCode;

TEST(Errors, NewAndErrorf) {
  mco::Error e = errors::New("disk full");
  EXPECT_EQ(e.code(), StatusCode::kUnknown);
  EXPECT_EQ(e.message(), "disk full");
  EXPECT_EQ(errors::New(StatusCode::kNotFound, "x").code(),
            StatusCode::kNotFound);
  EXPECT_EQ(errors::New(StatusCode::kOk, "x").code(), StatusCode::kUnknown);
  mco::Error f = errors::Errorf("bad port %d on %s", 70000, "eth0");
  EXPECT_EQ(f.code(), StatusCode::kUnknown);
  EXPECT_EQ(f.message(), "bad port 70000 on eth0");
  mco::Error g =
      errors::Errorf(StatusCode::kInvalidArgument, "%s=%.1f", "x", 1.5);
  EXPECT_EQ(g.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(g.message(), "x=1.5");
}

TEST(Errors, WrapKeepsCodeAndPrefixesMessage) {
  mco::Error inner = absl::NotFoundError("no such file");
  mco::Error outer = errors::Wrap(inner, "open /etc/x");
  EXPECT_EQ(outer.code(), StatusCode::kNotFound);
  EXPECT_EQ(outer.message(), "open /etc/x: no such file");
  mco::Error outer2 = errors::Wrapf(outer, "load config #%d", 2);
  EXPECT_EQ(outer2.message(), "load config #2: open /etc/x: no such file");
  EXPECT_TRUE(errors::Wrap(absl::OkStatus(), "ctx").ok());
  EXPECT_TRUE(errors::Wrapf(absl::OkStatus(), "ctx %d", 1).ok());
}

TEST(Errors, UnwrapWalksTheChain) {
  mco::Error a = absl::NotFoundError("a");
  mco::Error b = errors::Wrap(a, "b");
  mco::Error c = errors::Wrap(b, "c");
  mco::Error u = errors::Unwrap(c);
  EXPECT_EQ(u.code(), StatusCode::kNotFound);
  EXPECT_EQ(u.message(), "b: a");
  mco::Error uu = errors::Unwrap(u);
  EXPECT_EQ(uu, a);  // the root comes back exactly (no payloads added)
  EXPECT_TRUE(errors::Unwrap(uu).ok());
  EXPECT_TRUE(errors::Unwrap(absl::OkStatus()).ok());
  EXPECT_TRUE(errors::Unwrap(errors::New("plain")).ok());
}

TEST(Errors, IsByCode) {
  mco::Error root = absl::NotFoundError("gone");
  mco::Error wrapped =
      errors::WrapWithCode(root, StatusCode::kInternal, "lookup");
  EXPECT_EQ(wrapped.code(), StatusCode::kInternal);
  EXPECT_EQ(wrapped.message(), "lookup: gone");
  EXPECT_TRUE(errors::Is(wrapped, StatusCode::kInternal));
  EXPECT_TRUE(errors::Is(wrapped, StatusCode::kNotFound));
  EXPECT_FALSE(errors::Is(wrapped, StatusCode::kAborted));
  EXPECT_FALSE(errors::Is(wrapped, StatusCode::kOk));
  EXPECT_TRUE(errors::Is(absl::OkStatus(), StatusCode::kOk));
  EXPECT_FALSE(errors::Is(absl::OkStatus(), StatusCode::kNotFound));
  mco::Error deeper = errors::Wrap(errors::Wrap(wrapped, "x"), "y");
  EXPECT_TRUE(errors::Is(deeper, StatusCode::kNotFound));
}

TEST(Errors, IsByTargetSentinel) {
  const mco::Error kErrNotExist = errors::New("file does not exist");
  const mco::Error kErrPermission = errors::New("permission denied");
  mco::Error e = errors::Wrap(errors::Wrap(kErrNotExist, "open a"), "init");
  EXPECT_TRUE(errors::Is(e, kErrNotExist));
  EXPECT_FALSE(errors::Is(e, kErrPermission));
  EXPECT_TRUE(errors::Is(kErrNotExist, kErrNotExist));
  // Same message, other code: not the same error.
  EXPECT_FALSE(
      errors::Is(e, errors::New(StatusCode::kNotFound, "file does not exist")));
  // An intermediate link matches too.
  EXPECT_TRUE(errors::Is(e, errors::Wrap(kErrNotExist, "open a")));
  // Go: Is(nil, nil) is true, Is(err, nil) false.
  EXPECT_TRUE(errors::Is(absl::OkStatus(), absl::OkStatus()));
  EXPECT_FALSE(errors::Is(e, absl::OkStatus()));
  EXPECT_FALSE(errors::Is(absl::OkStatus(), kErrNotExist));
}

TEST(Errors, PayloadsSurviveWrapping) {
  mco::Error root = absl::UnavailableError("down");
  root.SetPayload("type.example/retry", absl::Cord("after=5s"));
  mco::Error w = errors::Wrap(errors::Wrap(root, "dial"), "fetch");
  ASSERT_TRUE(w.GetPayload("type.example/retry").has_value());
  EXPECT_EQ(std::string(*w.GetPayload("type.example/retry")), "after=5s");
  mco::Error back = errors::Unwrap(errors::Unwrap(w));
  EXPECT_EQ(back, root);
  // The chain survives copies.
  mco::Error copy = w;
  EXPECT_TRUE(errors::Is(copy, root));
}

// MCO_TRY / MCO_ASSIGN_OR_RETURN

absl::StatusOr<int> parse_digit(char c) {
  if (c < '0' || c > '9') return absl::InvalidArgumentError("not a digit");
  return c - '0';
}

absl::Status check(bool ok) {
  return ok ? absl::OkStatus() : absl::FailedPreconditionError("check");
}

absl::StatusOr<int> sum_digits(const std::string& s, int* steps) {
  int sum = 0;
  for (char c : s) {
    MCO_ASSIGN_OR_RETURN(int d, parse_digit(c));
    ++*steps;
    sum += d;
  }
  return sum;
}

absl::Status try_chain(bool first, bool second, int* reached) {
  MCO_TRY(check(first));
  *reached = 1;
  MCO_TRY(parse_digit(second ? '1' : 'x'));  // a StatusOr works too
  *reached = 2;
  return absl::OkStatus();
}

TEST(Errors, TryReturnsTheFirstError) {
  int reached = 0;
  EXPECT_TRUE(try_chain(true, true, &reached).ok());
  EXPECT_EQ(reached, 2);
  reached = 0;
  EXPECT_EQ(try_chain(false, true, &reached).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(reached, 0);
  EXPECT_EQ(try_chain(true, false, &reached).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(reached, 1);
}

TEST(Errors, AssignOrReturn) {
  int steps = 0;
  EXPECT_EQ(sum_digits("123", &steps).value(), 6);
  EXPECT_EQ(steps, 3);
  steps = 0;
  absl::StatusOr<int> r = sum_digits("12x4", &steps);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(steps, 2);
}

absl::StatusOr<std::unique_ptr<int>> make_box(bool ok) {
  if (!ok) return absl::ResourceExhaustedError("no memory");
  return std::make_unique<int>(42);
}

absl::Status use_boxes(int* out) {
  std::unique_ptr<int> a;
  MCO_ASSIGN_OR_RETURN(a, make_box(true));  // assigns to an existing variable
  MCO_ASSIGN_OR_RETURN(auto b, make_box(true));  // move-only values
  *out = *a + *b;
  MCO_ASSIGN_OR_RETURN(auto c, make_box(false));
  *out = -*c;  // not reached
  return absl::OkStatus();
}

TEST(Errors, AssignOrReturnMoveOnlyAndExistingVariable) {
  int out = 0;
  absl::Status s = use_boxes(&out);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(out, 84);
}

}  // namespace
