// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: pipeline.h
// -----------------------------------------------------------------------------
//
// `Pipeline`: commands sent together in one write, their replies read back
// in order (`Connection::exec`, `Client::exec`). Saves a round trip per
// command; not a transaction (wrap in MULTI/EXEC for that).
//
//   mco::redis::Pipeline p;
//   p.add({"SET", "a", "1"});
//   p.add({"INCR", "a"});
//   auto replies = client.exec(p);   // StatusOr<std::vector<Reply>>, 2 of them
//
// A server error for one command is that command's reply (of error type);
// the others still run. `exec` fails as a whole only if the transport does.

#ifndef MCO_STDLIB_REDIS_PIPELINE_H_
#define MCO_STDLIB_REDIS_PIPELINE_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "mco/redis/resp.h"

namespace mco::redis {

class Pipeline {
 public:
  Pipeline() = default;

  // Pipeline::add()
  //
  // Appends one command (its words, e.g. {"SET", "k", "v"}).
  void add(absl::Span<const std::string_view> args) {
    append_command(args, &wire_);
    ++size_;
  }
  void add(std::initializer_list<std::string_view> args) {
    add(absl::MakeConstSpan(args.begin(), args.size()));
  }

  // Pipeline::clear()
  void clear() {
    wire_.clear();
    size_ = 0;
  }

  // The number of commands, and all of them encoded.
  [[nodiscard]] size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] const std::string& wire() const { return wire_; }

 private:
  std::string wire_;
  size_t size_ = 0;
};

}  // namespace mco::redis

#endif  // MCO_STDLIB_REDIS_PIPELINE_H_
