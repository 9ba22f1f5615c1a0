// Copyright 2026 The mco Authors.

#include "mco/redis/error.h"

#include <string_view>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace mco::redis {
namespace {

constexpr char kServerErrorPayload[] = "mco.redis/server-error";

absl::StatusCode code_for(std::string_view message) {
  const std::string_view word = message.substr(0, message.find(' '));
  if (word == "NOAUTH" || word == "WRONGPASS" || word == "NOPERM") {
    return absl::StatusCode::kPermissionDenied;
  }
  if (word == "LOADING" || word == "BUSY" || word == "MASTERDOWN" ||
      word == "TRYAGAIN" || word == "CLUSTERDOWN") {
    return absl::StatusCode::kUnavailable;
  }
  if (word == "WRONGTYPE" || word == "EXECABORT" || word == "READONLY") {
    return absl::StatusCode::kFailedPrecondition;
  }
  return absl::StatusCode::kInvalidArgument;
}

}  // namespace

absl::Status server_error(const Reply& reply) {
  if (!reply.is_error()) return absl::OkStatus();
  absl::Status st(code_for(reply.str()), absl::StrCat("redis: ", reply.str()));
  st.SetPayload(kServerErrorPayload, absl::Cord("1"));
  return st;
}

bool is_server_error(const absl::Status& status) {
  return status.GetPayload(kServerErrorPayload).has_value();
}

}  // namespace mco::redis
