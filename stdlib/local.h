// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: local.h
// -----------------------------------------------------------------------------
//
// Coroutine-local storage: `thread_local`, but per coroutine.
//
//   static mco::CoroutineLocal<std::string> request_id;
//   request_id.get() = "abc";          // this coroutine's own copy
//   mco::sleep(1ms);                   // may resume on another worker...
//   assert(request_id.get() == "abc"); // ...and still sees its value
//
// Each `CoroutineLocal<T>` is a key. `get()` returns the calling coroutine's
// value, default-constructing it on first use; values are destroyed when
// their coroutine ends (on its stack, so destructors may block). On a plain
// thread the key gives a per-thread value, destroyed at thread exit.
//
// The thread-local caveat: a coroutine may move to another worker thread at
// any blocking call, so a C++ `thread_local` (and `errno`) read after a
// blocking call may be another thread's, and a pointer or reference to a
// `thread_local` kept across a blocking call may point at the old thread's
// copy. Worse, the compiler may cache a thread-local's address across a call
// it cannot see into. Use `CoroutineLocal` for per-coroutine state; read
// thread-locals only between blocking calls, never holding their address
// across one. mco's own runtime reads its thread-local state only through
// an out-of-line accessor that the compiler cannot cache, for that reason.
//
// Keys should be long-lived (static or global). A key's value type must be
// default-constructible for `get()`.

#ifndef MCO_STDLIB_LOCAL_H_
#define MCO_STDLIB_LOCAL_H_

#include <cstdint>
#include <utility>

namespace mco {
namespace detail {
// Allocates a process-wide key index.
uint32_t new_local_key();
// The caller's slot for `key`: the value pointer (nullptr if unset).
void*& local_slot(uint32_t key, void (*destroy)(void*));
}  // namespace detail

template <typename T>
class CoroutineLocal {
 public:
  CoroutineLocal() : key_(detail::new_local_key()) {}
  CoroutineLocal(const CoroutineLocal&) = delete;
  CoroutineLocal& operator=(const CoroutineLocal&) = delete;

  // CoroutineLocal::get()
  //
  // The caller's value, default-constructed on first use.
  T& get() {
    if (void* v = detail::local_slot(key_, &destroy); v != nullptr) {
      return *static_cast<T*>(v);
    }
    // T's constructor may use other locals (and grow the slot table), so
    // look the slot up again after constructing.
    T* v = new T();
    detail::local_slot(key_, &destroy) = v;
    return *v;
  }

  // CoroutineLocal::get_if()
  //
  // The caller's value, or nullptr if it has none.
  T* get_if() { return static_cast<T*>(detail::local_slot(key_, &destroy)); }

  // CoroutineLocal::set()
  //
  // Replaces the caller's value.
  void set(T value) {
    if (void* v = detail::local_slot(key_, &destroy); v != nullptr) {
      *static_cast<T*>(v) = std::move(value);
      return;
    }
    T* v = new T(std::move(value));
    detail::local_slot(key_, &destroy) = v;
  }

  // CoroutineLocal::reset()
  //
  // Destroys the caller's value, if any.
  void reset() {
    void*& slot = detail::local_slot(key_, &destroy);
    T* old = static_cast<T*>(slot);
    slot = nullptr;
    delete old;
  }

 private:
  static void destroy(void* p) { delete static_cast<T*>(p); }
  const uint32_t key_;
};

}  // namespace mco

#endif  // MCO_STDLIB_LOCAL_H_
