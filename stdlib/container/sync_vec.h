// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: sync_vec.h
// -----------------------------------------------------------------------------
//
// `SyncVec<T>`: an append-only vector safe for concurrent use: any number
// of coroutines and threads push, index, and iterate at once. Elements never
// move, so references stay valid for the vector's life.
//
//   mco::container::SyncVec<Event> log;
//   size_t i = log.push_back(ev);      // any coroutine or thread
//   const Event& e = log[i];
//   log.for_each([](size_t i, const Event& e) { ... });
//
// Contract:
//  - `push_back` appends and returns the new element's index. Appends are
//    serialised by a short internal lock (the element's construction and,
//    once per segment, an allocation); readers take no lock.
//  - `size()` counts the published elements; `get(i)` / `operator[]` for
//    `i < size()` return a reference valid until the vector is destroyed.
//    `at(i)` throws `std::out_of_range` past `size()`.
//  - Elements are never removed or reordered. Reading an element is safe
//    concurrently with pushes; mutating one through a reference is the
//    caller's to synchronise.
//  - `for_each(fn)` calls `fn(index, element)` for the elements published
//    when it starts, with no lock held.
//
// Memory ordering: `push_back` releases and `size()` acquires: once
// `size()` returns more than `i`, element `i` is fully constructed and
// visible.
//
// Design: segment `s` holds `kFirst << s` elements, so index `i` lives in
// segment `log2(i / kFirst + 1)` and 48 segments cover any index; segment
// pointers are atomics set once.

#ifndef MCO_STDLIB_CONTAINER_SYNC_VEC_H_
#define MCO_STDLIB_CONTAINER_SYNC_VEC_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

#include "absl/base/thread_annotations.h"

namespace mco::container {

// SyncVec
//
// An append-only concurrent vector. See the file comment.
template <typename T>
class SyncVec {
 public:
  SyncVec() = default;
  SyncVec(const SyncVec&) = delete;
  SyncVec& operator=(const SyncVec&) = delete;

  ~SyncVec() {
    const size_t n = size_.load(std::memory_order_relaxed);
    for (size_t i = 0; i < n; ++i) slot(i)->~T();
    for (auto& s : segments_) {
      Storage* p = s.load(std::memory_order_relaxed);
      if (p != nullptr) ::operator delete[](p, std::align_val_t(alignof(T)));
    }
  }

  // SyncVec::push_back() / emplace_back()
  //
  // Appends an element and returns its index.
  size_t push_back(const T& v) { return emplace_back(v); }
  size_t push_back(T&& v) { return emplace_back(std::move(v)); }
  template <typename... Args>
  size_t emplace_back(Args&&... args) {
    std::lock_guard<std::mutex> lock(mu_);
    const size_t i = size_.load(std::memory_order_relaxed);
    const auto [s, off] = locate(i);
    Storage* seg = segments_[s].load(std::memory_order_relaxed);
    if (seg == nullptr) {
      seg = static_cast<Storage*>(::operator new[](
          sizeof(Storage) * segment_size(s), std::align_val_t(alignof(T))));
      segments_[s].store(seg, std::memory_order_release);
    }
    ::new (static_cast<void*>(seg[off].bytes)) T(std::forward<Args>(args)...);
    size_.store(i + 1, std::memory_order_release);
    return i;
  }

  // SyncVec::size() / empty()
  [[nodiscard]] size_t size() const {
    return size_.load(std::memory_order_acquire);
  }
  [[nodiscard]] bool empty() const { return size() == 0; }

  // SyncVec::get() / operator[]
  //
  // Element `i`; requires `i < size()`.
  [[nodiscard]] const T& get(size_t i) const { return *slot(i); }
  [[nodiscard]] T& get(size_t i) { return *slot(i); }
  const T& operator[](size_t i) const { return *slot(i); }
  T& operator[](size_t i) { return *slot(i); }

  // SyncVec::at()
  //
  // Element `i`, or throws `std::out_of_range`.
  const T& at(size_t i) const {
    if (i >= size()) throw std::out_of_range("mco::SyncVec::at");
    return *slot(i);
  }

  // SyncVec::for_each()
  //
  // Calls `fn(size_t index, const T&)` for each element published when it
  // starts.
  template <typename F>
  void for_each(F&& fn) const {
    const size_t n = size();
    for (size_t i = 0; i < n; ++i) fn(i, *slot(i));
  }

 private:
  static constexpr size_t kFirst = 16;  // elements in segment 0
  static constexpr int kSegments = 48;

  struct Storage {
    alignas(T) unsigned char bytes[sizeof(T)];
  };

  static size_t segment_size(size_t s) { return kFirst << s; }

  // Segment and offset of index `i`.
  static std::pair<size_t, size_t> locate(size_t i) {
    const uint64_t j = i / kFirst + 1;  // segment s covers j in [2^s, 2^s+1)
    const size_t s = 63 - __builtin_clzll(j);
    const size_t first = kFirst * ((size_t{1} << s) - 1);
    return {s, i - first};
  }

  T* slot(size_t i) const {
    const auto [s, off] = locate(i);
    Storage* seg = segments_[s].load(std::memory_order_acquire);
    return std::launder(reinterpret_cast<T*>(seg[off].bytes));
  }

  // Serialises writers. A std::mutex (pthreads): ThreadSanitizer sees its
  // happens-before edges, which it cannot in Debian's uninstrumented Abseil
  // build, and writers hold it only to construct one element.
  std::mutex mu_;
  std::atomic<size_t> size_{0};
  std::atomic<Storage*> segments_[kSegments] = {};
};

}  // namespace mco::container

#endif  // MCO_STDLIB_CONTAINER_SYNC_VEC_H_
