// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: error.h
// -----------------------------------------------------------------------------
//
// Server errors as `absl::Status`. The low-level calls (`Connection::command`,
// `Client::command`, pipelines) return a server's error reply as a `Reply`
// of error type, because a pipeline has one per command and only the
// transport can fail as a whole. The typed helpers (`Client::get`, ...)
// return it as a status made by `server_error`, like Go's go-redis:
//
//   auto v = client.get("k");
//   if (!v.ok() && mco::redis::is_server_error(v.status())) ...  // WRONGTYPE
//
// The code depends on the error's first word: NOAUTH, WRONGPASS, NOPERM are
// PermissionDenied; LOADING, BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN are
// Unavailable; WRONGTYPE, EXECABORT, READONLY are FailedPrecondition;
// anything else (ERR, ...) is InvalidArgument. The message is
// "redis: " + the server's text. Transport errors (dial, reset, timeout,
// protocol errors) never carry the server-error mark.

#ifndef MCO_STDLIB_REDIS_ERROR_H_
#define MCO_STDLIB_REDIS_ERROR_H_

#include "absl/status/status.h"
#include "mco/redis/resp.h"

namespace mco::redis {

// server_error()
//
// The status for an error reply (see the file comment). OK if `reply` is no
// error.
absl::Status server_error(const Reply& reply);

// is_server_error()
//
// True if `status` came from `server_error` (the server answered with an
// error; the connection is fine).
[[nodiscard]] bool is_server_error(const absl::Status& status);

}  // namespace mco::redis

#endif  // MCO_STDLIB_REDIS_ERROR_H_
