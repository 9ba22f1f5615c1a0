// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: spsc_queue.h
// -----------------------------------------------------------------------------
//
// `SpscQueue<T>`: a bounded, lock-free ring buffer for exactly one producer
// and one consumer (a coroutine or a thread each; they may be the same one).
//
// It is a building block, not a channel: `try_push` and `try_pop` never wait.
// A full queue refuses the push, an empty one the pop; what the caller does
// then (yield, park on a `Waker`, drop the item) is its business. Blocking,
// closing and select belong to `mco/chan`.
//
// Contract:
//  - At most one caller of the producer side (`try_push`, `try_emplace`) and
//    at most one caller of the consumer side (`try_pop`, `front`) at a time.
//    The roles may change hands if the hand-over itself synchronises (e.g.
//    a join). Anything else is a data race.
//  - The capacity is rounded up to a power of two (at least 2) and
//    `capacity()` reports it; exactly that many items fit.
//  - Items leave in the order they entered. Items still queued are
//    destroyed with the queue.
//
// Progress: wait-free. Each operation is a bounded number of loads and one
// store, whatever the other side does.
//
// Example:
//
//   mco::queue::SpscQueue<Job> q(1024);
//   // producer                       // consumer
//   if (!q.try_push(std::move(j))) {   while (auto j = q.try_pop()) run(*j);
//     /* full: retry later */
//   }
//
// Memory ordering: a successful `try_push` releases and the `try_pop` that
// takes the same item acquires, so everything the producer wrote before
// pushing an item is visible to the consumer once it has popped it. The
// consumer's pop likewise releases the slot back to the producer.
//
// Design: two monotonically increasing 64-bit indices, `head_` (next pop,
// written only by the consumer) and `tail_` (next push, written only by the
// producer), on separate cache lines. Each side keeps a private copy of the
// other's index and re-reads the shared one only when that copy says
// full/empty, so in steady state each side touches the other's cache line
// once per ring's worth of items, not once per item.

#ifndef MCO_STDLIB_QUEUE_SPSC_QUEUE_H_
#define MCO_STDLIB_QUEUE_SPSC_QUEUE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace mco::queue {

// SpscQueue
//
// A bounded single-producer single-consumer FIFO. See the file comment.
template <typename T>
class SpscQueue {
 public:
  // Makes a queue holding at least `min_capacity` items (rounded up to a
  // power of two, at least 2).
  explicit SpscQueue(size_t min_capacity)
      : capacity_(round_up(min_capacity)),
        mask_(capacity_ - 1),
        slots_(std::make_unique<Slot[]>(capacity_)) {}

  SpscQueue(const SpscQueue&) = delete;
  SpscQueue& operator=(const SpscQueue&) = delete;

  ~SpscQueue() {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    for (uint64_t i = head_.load(std::memory_order_relaxed); i != tail; ++i) {
      slot(i)->~T();
    }
  }

  // SpscQueue::try_push()
  //
  // Producer only. Appends `v` and returns true, or returns false if the
  // queue is full (then `v` is left untouched: a move-only item is not
  // consumed by a failed push).
  bool try_push(const T& v) { return try_emplace(v); }
  bool try_push(T&& v) { return try_emplace(std::move(v)); }

  // SpscQueue::try_emplace()
  //
  // Producer only. Constructs an item from `args` in place; false if full.
  template <typename... Args>
  bool try_emplace(Args&&... args) {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_cache_ == capacity_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (tail - head_cache_ == capacity_) return false;
    }
    ::new (static_cast<void*>(slots_[tail & mask_].bytes))
        T(std::forward<Args>(args)...);
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  // SpscQueue::try_pop()
  //
  // Consumer only. Removes and returns the oldest item, or `std::nullopt` if
  // the queue is empty.
  std::optional<T> try_pop() {
    std::optional<T> out;
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head == tail_cache_) return out;
    }
    T* p = slot(head);
    out.emplace(std::move(*p));
    p->~T();
    head_.store(head + 1, std::memory_order_release);
    return out;
  }

  // SpscQueue::front()
  //
  // Consumer only. The oldest item, left in the queue, or nullptr if empty.
  // Valid until the consumer's next `try_pop`.
  [[nodiscard]] T* front() {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head == tail_cache_) return nullptr;
    }
    return slot(head);
  }

  // SpscQueue::size_approx() / empty_approx()
  //
  // A snapshot that may be stale by the time it is returned; exact only
  // when neither side is running.
  [[nodiscard]] size_t size_approx() const {
    const uint64_t head = head_.load(std::memory_order_acquire);
    const uint64_t tail = tail_.load(std::memory_order_acquire);
    return tail >= head ? static_cast<size_t>(tail - head) : 0;
  }
  [[nodiscard]] bool empty_approx() const { return size_approx() == 0; }

  // SpscQueue::capacity()
  [[nodiscard]] size_t capacity() const { return capacity_; }

 private:
  static constexpr size_t kCacheLine = 64;

  struct Slot {
    alignas(T) unsigned char bytes[sizeof(T)];
  };

  static size_t round_up(size_t n) {
    size_t c = 2;
    while (c < n) c <<= 1;
    return c;
  }

  T* slot(uint64_t i) {
    return std::launder(reinterpret_cast<T*>(slots_[i & mask_].bytes));
  }

  const size_t capacity_;
  const size_t mask_;
  const std::unique_ptr<Slot[]> slots_;

  // Consumer's line: its index and its copy of the producer's.
  alignas(kCacheLine) std::atomic<uint64_t> head_{0};
  uint64_t tail_cache_ = 0;
  // Producer's line.
  alignas(kCacheLine) std::atomic<uint64_t> tail_{0};
  uint64_t head_cache_ = 0;
};

}  // namespace mco::queue

#endif  // MCO_STDLIB_QUEUE_SPSC_QUEUE_H_
