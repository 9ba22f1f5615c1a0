// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: headers.h
// -----------------------------------------------------------------------------
//
// `Headers`: the header fields of an HTTP message (Go's http.Header): names
// compare case-insensitively, a name may have several values, and the order
// in which fields were added is kept (it is the order they are sent in).
//
//   mco::net::http::Headers h;
//   h.add("Set-Cookie", "a=1");
//   h.add("set-cookie", "b=2");
//   h.set("Content-Type", "text/plain");
//   h.get("content-type");           // "text/plain"
//   h.values("Set-Cookie");          // {"a=1", "b=2"}
//   h.del("SET-COOKIE");             // both gone
//
// Also `status_text(code)`, the reason phrase of a status code.
//
// No runtime: this file builds alone (the parsers and fuzz targets use it).
// Not safe for concurrent mutation.

#ifndef MCO_STDLIB_NET_HTTP_HEADERS_H_
#define MCO_STDLIB_NET_HTTP_HEADERS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mco::net::http {

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;

  // Headers::add()
  //
  // Appends a field; earlier values of `name` stay.
  void add(std::string_view name, std::string_view value);

  // Headers::set()
  //
  // Replaces every value of `name` with `value`.
  void set(std::string_view name, std::string_view value);

  // Headers::del()
  //
  // Removes every value of `name`.
  void del(std::string_view name);

  // Headers::get()
  //
  // The first value of `name`, or "" if there is none. The view is valid
  // until the headers are changed.
  [[nodiscard]] std::string_view get(std::string_view name) const;

  // Headers::has()
  [[nodiscard]] bool has(std::string_view name) const;

  // Headers::values()
  //
  // Every value of `name`, in order.
  [[nodiscard]] std::vector<std::string_view> values(
      std::string_view name) const;

  // Headers::has_token()
  //
  // True if a value of `name`, read as a comma-separated list, holds
  // `token` (case-insensitively): has_token("Connection", "close").
  [[nodiscard]] bool has_token(std::string_view name,
                               std::string_view token) const;

  // Every field in order, with names as they were added.
  [[nodiscard]] const std::vector<Field>& fields() const { return fields_; }
  [[nodiscard]] size_t size() const { return fields_.size(); }
  [[nodiscard]] bool empty() const { return fields_.empty(); }
  void clear() { fields_.clear(); }

  // Appends "Name: value\r\n" for every field to `*out`.
  void write_to(std::string* out) const;

 private:
  std::vector<Field> fields_;
};

// equal_fold()
//
// ASCII case-insensitive equality (header names, tokens).
[[nodiscard]] bool equal_fold(std::string_view a, std::string_view b);

// status_text()
//
// The reason phrase of `code` ("Not Found" for 404), or "" if unknown.
[[nodiscard]] std::string_view status_text(int code);

}  // namespace mco::net::http

#endif  // MCO_STDLIB_NET_HTTP_HEADERS_H_
