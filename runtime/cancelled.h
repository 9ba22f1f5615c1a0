// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: cancelled.h
// -----------------------------------------------------------------------------
//
// The exception a cancelled coroutine's blocking call throws. Defined here so
// the runtime and the stdlib share one type; users include "mco/cancel.h".

#ifndef MCO_RUNTIME_CANCELLED_H_
#define MCO_RUNTIME_CANCELLED_H_

#include <exception>

namespace mco {

// Cancelled
//
// Thrown by a blocking call of a coroutine whose cancellation was requested.
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "coroutine cancelled"; }
};

}  // namespace mco

#endif  // MCO_RUNTIME_CANCELLED_H_
