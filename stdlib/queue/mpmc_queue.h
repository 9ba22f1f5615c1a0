// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: mpmc_queue.h
// -----------------------------------------------------------------------------
//
// `MpmcQueue<T>`: a bounded queue for any number of producers and consumers,
// after Dmitry Vyukov's bounded MPMC design: a ring of slots, each with a
// sequence number that says whose turn the slot is.
//
// It is a building block, not a channel: `try_push` refuses when full and
// `try_pop` when empty; neither waits. Blocking belongs to `mco/chan`.
//
// Contract:
//  - Any number of coroutines and threads may push and pop at once.
//  - The capacity is rounded up to a power of two (at least 2) and
//    `capacity()` reports it; exactly that many items fit.
//  - Items leave in the order their pushes claimed a position (so one
//    producer's items leave in its order). Items still queued are destroyed
//    with the queue.
//
// Progress: each operation claims a position with one compare-and-swap and
// retries only when another operation of the same kind claimed it first, so
// the system as a whole always progresses among claimers. Strictly it is not
// lock-free: a producer pre-empted after claiming a slot and before
// publishing it makes `try_pop` report that slot empty (and a consumer
// pre-empted mid-pop makes `try_push` report it full) until it resumes. No
// call ever waits for it; they return false instead.
//
// Example:
//
//   mco::queue::MpmcQueue<Task> q(4096);
//   if (!q.try_push(std::move(t))) { /* full */ }
//   if (auto t = q.try_pop()) t->run();
//
// Memory ordering: a successful `try_push` releases and the `try_pop` that
// takes the same item acquires, so everything a producer wrote before pushing
// an item is visible to the consumer that pops it.
//
// Design: slot `i` of the ring carries `seq`. Position `pos` (a 64-bit
// counter that never wraps in practice) maps to slot `pos & mask`. The slot
// is free for the push at `pos` when `seq == pos`, holds the item for the
// pop at `pos` when `seq == pos + 1`, and the pop hands it to the push at
// `pos + capacity` by setting `seq = pos + capacity`. Anything else means
// another operation is ahead (reload the position) or the ring is full/empty
// at this position (give up).

#ifndef MCO_STDLIB_QUEUE_MPMC_QUEUE_H_
#define MCO_STDLIB_QUEUE_MPMC_QUEUE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace mco::queue {

// MpmcQueue
//
// A bounded multi-producer multi-consumer FIFO. See the file comment.
template <typename T>
class MpmcQueue {
 public:
  // Makes a queue holding at least `min_capacity` items (rounded up to a
  // power of two, at least 2).
  explicit MpmcQueue(size_t min_capacity)
      : capacity_(round_up(min_capacity)),
        mask_(capacity_ - 1),
        slots_(std::make_unique<Slot[]>(capacity_)) {
    for (size_t i = 0; i < capacity_; ++i) {
      slots_[i].seq.store(i, std::memory_order_relaxed);
    }
  }

  MpmcQueue(const MpmcQueue&) = delete;
  MpmcQueue& operator=(const MpmcQueue&) = delete;

  ~MpmcQueue() {
    while (try_pop().has_value()) {
    }
  }

  // MpmcQueue::try_push()
  //
  // Appends `v` and returns true, or returns false if the queue is full
  // (then `v` is left untouched).
  bool try_push(const T& v) { return try_emplace(v); }
  bool try_push(T&& v) { return try_emplace(std::move(v)); }

  // MpmcQueue::try_emplace()
  //
  // Constructs an item from `args` in place; false if full. If `T`'s
  // constructor throws, the exception propagates and the claimed slot is
  // published as a hole that consumers skip.
  template <typename... Args>
  bool try_emplace(Args&&... args) {
    uint64_t pos = enqueue_pos_.load(std::memory_order_relaxed);
    Slot* s;
    for (;;) {
      s = &slots_[pos & mask_];
      const uint64_t seq = s->seq.load(std::memory_order_acquire);
      const int64_t diff = static_cast<int64_t>(seq - pos);
      if (diff == 0) {
        if (enqueue_pos_.compare_exchange_weak(pos, pos + 1,
                                               std::memory_order_relaxed)) {
          break;
        }
        // `pos` was reloaded by the failed CAS.
      } else if (diff < 0) {
        return false;  // the slot still holds the item from a lap ago: full
      } else {
        pos = enqueue_pos_.load(std::memory_order_relaxed);
      }
    }
    if constexpr (std::is_nothrow_constructible_v<T, Args&&...>) {
      ::new (static_cast<void*>(s->bytes)) T(std::forward<Args>(args)...);
    } else {
      try {
        ::new (static_cast<void*>(s->bytes)) T(std::forward<Args>(args)...);
      } catch (...) {
        s->hole = true;
        s->seq.store(pos + 1, std::memory_order_release);
        throw;
      }
    }
    s->seq.store(pos + 1, std::memory_order_release);
    return true;
  }

  // MpmcQueue::try_pop()
  //
  // Removes and returns the oldest item, or `std::nullopt` if the queue is
  // empty.
  std::optional<T> try_pop() {
    std::optional<T> out;
    for (;;) {
      if (!pop_one(out)) return out;  // empty
      if (out.has_value()) return out;
      // A hole left by a throwing constructor: take the next position.
    }
  }

  // MpmcQueue::size_approx()
  //
  // A snapshot that may be stale when returned; exact when idle.
  [[nodiscard]] size_t size_approx() const {
    const uint64_t deq = dequeue_pos_.load(std::memory_order_acquire);
    const uint64_t enq = enqueue_pos_.load(std::memory_order_acquire);
    return enq > deq ? static_cast<size_t>(enq - deq) : 0;
  }

  // MpmcQueue::capacity()
  [[nodiscard]] size_t capacity() const { return capacity_; }

 private:
  static constexpr size_t kCacheLine = 64;

  struct alignas(kCacheLine) Slot {
    std::atomic<uint64_t> seq{0};
    bool hole = false;  // claimed by a push whose constructor threw
    alignas(T) unsigned char bytes[sizeof(T)];
  };

  // Claims the next position; false if the queue is empty. Fills `out`
  // unless the slot is a hole.
  bool pop_one(std::optional<T>& out) {
    uint64_t pos = dequeue_pos_.load(std::memory_order_relaxed);
    Slot* s;
    for (;;) {
      s = &slots_[pos & mask_];
      const uint64_t seq = s->seq.load(std::memory_order_acquire);
      const int64_t diff = static_cast<int64_t>(seq - (pos + 1));
      if (diff == 0) {
        if (dequeue_pos_.compare_exchange_weak(pos, pos + 1,
                                               std::memory_order_relaxed)) {
          break;
        }
      } else if (diff < 0) {
        return false;  // not yet written for this lap: empty
      } else {
        pos = dequeue_pos_.load(std::memory_order_relaxed);
      }
    }
    if (s->hole) {
      s->hole = false;
    } else {
      T* item = std::launder(reinterpret_cast<T*>(s->bytes));
      out.emplace(std::move(*item));
      item->~T();
    }
    s->seq.store(pos + capacity_, std::memory_order_release);
    return true;
  }

  static size_t round_up(size_t n) {
    size_t c = 2;
    while (c < n) c <<= 1;
    return c;
  }

  const size_t capacity_;
  const size_t mask_;
  const std::unique_ptr<Slot[]> slots_;
  alignas(kCacheLine) std::atomic<uint64_t> enqueue_pos_{0};
  alignas(kCacheLine) std::atomic<uint64_t> dequeue_pos_{0};
};

}  // namespace mco::queue

#endif  // MCO_STDLIB_QUEUE_MPMC_QUEUE_H_
