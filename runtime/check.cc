// Copyright 2026 The mco Authors.

#include "runtime/check.h"

#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace mco::rt {
namespace {

void vwrite_line(const char* prefix, const char* format, va_list args) {
  char buf[1024];
  int n = snprintf(buf, sizeof(buf), "%s", prefix);
  int m = vsnprintf(buf + n, sizeof(buf) - n - 1, format, args);
  if (m < 0) m = 0;
  size_t len = static_cast<size_t>(n) + static_cast<size_t>(m);
  if (len > sizeof(buf) - 2) len = sizeof(buf) - 2;
  buf[len++] = '\n';
  ssize_t ignored = write(STDERR_FILENO, buf, len);
  (void)ignored;
}

}  // namespace

void fatal(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vwrite_line("mco: fatal: ", format, args);
  va_end(args);
  abort();
}

void report(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vwrite_line("mco: ", format, args);
  va_end(args);
}

}  // namespace mco::rt
