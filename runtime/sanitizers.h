// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: sanitizers.h
// -----------------------------------------------------------------------------
//
// Tells AddressSanitizer and ThreadSanitizer about every stack switch, so
// they follow coroutines instead of reporting noise (ASan's "stack-buffer-
// overflow" on exceptions, TSan's confusion of two stacks as one thread).
// Compiled to nothing in builds without a sanitizer.
//
// Protocol (ASan's fiber API): the side that switches calls
// `before_switch(save, to_bottom, to_size)` with the destination stack; the
// side that resumes calls `after_switch(saved)` first thing. A context that
// will never run again passes `save = nullptr` so ASan frees its fake stack.
// TSan: each coroutine is a TSan fiber; `tsan_switch(fiber)` precedes the
// switch into it.

#ifndef MCO_RUNTIME_SANITIZERS_H_
#define MCO_RUNTIME_SANITIZERS_H_

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define MCO_HAVE_ASAN 1
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(__SANITIZE_THREAD__)
#define MCO_HAVE_TSAN 1
#include <sanitizer/tsan_interface.h>
#endif

namespace mco::rt::sanitizers {

inline void before_switch(void** save, const void* to_bottom, size_t to_size) {
#ifdef MCO_HAVE_ASAN
  __sanitizer_start_switch_fiber(save, to_bottom, to_size);
#else
  (void)save, (void)to_bottom, (void)to_size;
#endif
}

// Returns (through the out-parameters) the stack we came from.
inline void after_switch(void* saved, const void** from_bottom,
                         size_t* from_size) {
#ifdef MCO_HAVE_ASAN
  __sanitizer_finish_switch_fiber(saved, from_bottom, from_size);
#else
  (void)saved, (void)from_bottom, (void)from_size;
#endif
}

inline void* tsan_create() {
#ifdef MCO_HAVE_TSAN
  return __tsan_create_fiber(0);
#else
  return nullptr;
#endif
}

inline void* tsan_current() {
#ifdef MCO_HAVE_TSAN
  return __tsan_get_current_fiber();
#else
  return nullptr;
#endif
}

inline void tsan_switch(void* fiber) {
#ifdef MCO_HAVE_TSAN
  __tsan_switch_to_fiber(fiber, 0);
#else
  (void)fiber;
#endif
}

inline void tsan_destroy(void* fiber) {
#ifdef MCO_HAVE_TSAN
  if (fiber != nullptr) __tsan_destroy_fiber(fiber);
#else
  (void)fiber;
#endif
}

}  // namespace mco::rt::sanitizers

#endif  // MCO_RUNTIME_SANITIZERS_H_
