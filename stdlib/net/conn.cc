// Copyright 2026 The mco Authors.

#include "mco/net/conn.h"

#include <string>

namespace mco::net {

absl::Status Conn::write_all(const void* buf, size_t len) {
  const auto* p = static_cast<const char*>(buf);
  size_t done = 0;
  while (done < len) {
    absl::StatusOr<size_t> n = write(p + done, len - done);
    if (!n.ok()) return n.status();
    done += *n;
  }
  return absl::OkStatus();
}

absl::Status Conn::write_vectored(absl::Span<const std::string_view> pieces) {
  for (std::string_view s : pieces) {
    if (absl::Status st = write_all(s.data(), s.size()); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status Conn::read_exact(void* buf, size_t len) {
  auto* p = static_cast<char*>(buf);
  size_t done = 0;
  while (done < len) {
    absl::StatusOr<size_t> n = read(p + done, len - done);
    if (!n.ok()) return n.status();
    if (*n == 0) {
      return absl::OutOfRangeError("read: unexpected EOF after " +
                                   std::to_string(done) + " of " +
                                   std::to_string(len) + " bytes");
    }
    done += *n;
  }
  return absl::OkStatus();
}

}  // namespace mco::net
