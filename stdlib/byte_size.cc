// Copyright 2026 The mco Authors.
//
// `parse_byte_size` (declared in mco/runtime.h), apart from runtime.cc so
// that it builds without the scheduler (tools/fuzz.sh links it alone with
// tools/fuzz/byte_size_fuzzer.cc).

#include <cctype>
#include <cstddef>
#include <limits>
#include <string>

#include "mco/runtime.h"

namespace mco {

bool parse_byte_size(const std::string& text, size_t* out) {
  size_t i = 0;
  unsigned long long value = 0;
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) {
    return false;
  }
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    unsigned d = static_cast<unsigned>(text[i] - '0');
    if (value > (std::numeric_limits<unsigned long long>::max() - d) / 10) {
      return false;
    }
    value = value * 10 + d;
    ++i;
  }
  std::string suffix;
  for (; i < text.size(); ++i) {
    suffix +=
        static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  int shift = 0;
  if (suffix.empty() || suffix == "b") {
    shift = 0;
  } else if (suffix == "k" || suffix == "kb" || suffix == "kib") {
    shift = 10;
  } else if (suffix == "m" || suffix == "mb" || suffix == "mib") {
    shift = 20;
  } else if (suffix == "g" || suffix == "gb" || suffix == "gib") {
    shift = 30;
  } else {
    return false;
  }
  if (shift > 0 && value > (std::numeric_limits<size_t>::max() >> shift)) {
    return false;
  }
  *out = static_cast<size_t>(value << shift);
  return true;
}

}  // namespace mco
