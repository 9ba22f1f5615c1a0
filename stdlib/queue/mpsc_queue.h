// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: mpsc_queue.h
// -----------------------------------------------------------------------------
//
// `MpscQueue<T>`: an unbounded queue for any number of producers and one
// consumer, after Dmitry Vyukov's node-based MPSC design: a singly linked
// list with a stub node, where a push is one atomic exchange on the tail.
// This is the shape of a scheduler's inbox or an actor's mailbox: many
// senders, one owner draining it.
//
// It is a building block, not a channel: `try_pop` never waits. What the
// consumer does on empty (yield, park on a `Waker`) is its business.
//
// Contract:
//  - `push` may be called by any number of coroutines and threads at once.
//  - At most one caller of `try_pop` / `empty_approx` at a time (the
//    consumer role may change hands if the hand-over synchronises).
//  - Each push allocates one node (`new`); `push` throws what `new` or
//    `T`'s constructor throws, and the queue is then unchanged.
//  - Items of one producer leave in the order it pushed them. Items still
//    queued are destroyed with the queue.
//
// Progress: `push` is wait-free (one exchange and one store). `try_pop` is
// wait-free, but the queue is not linearizable in one corner: a producer
// pre-empted between its exchange and its store hides its own item and every
// item pushed after it until it resumes, and `try_pop` returns
// `std::nullopt` meanwhile although the queue is not empty. The window is two
// instructions long; a consumer that polls again (or parks and is woken by
// the producer after its push, as a mailbox does) sees the items.
//
// Example:
//
//   mco::queue::MpscQueue<Msg> inbox;
//   inbox.push(Msg{...});                         // any coroutine or thread
//   while (auto m = inbox.try_pop()) handle(*m);  // the owner only
//
// Memory ordering: `push` releases and the `try_pop` that returns the item
// acquires, so everything a producer wrote before pushing an item is visible
// to the consumer once it has popped it.

#ifndef MCO_STDLIB_QUEUE_MPSC_QUEUE_H_
#define MCO_STDLIB_QUEUE_MPSC_QUEUE_H_

#include <atomic>
#include <new>
#include <optional>
#include <utility>

namespace mco::queue {

// MpscQueue
//
// An unbounded multi-producer single-consumer FIFO. See the file comment.
template <typename T>
class MpscQueue {
 public:
  MpscQueue() : head_(new Node), tail_(head_) {}
  MpscQueue(const MpscQueue&) = delete;
  MpscQueue& operator=(const MpscQueue&) = delete;

  ~MpscQueue() {
    while (try_pop().has_value()) {
    }
    delete head_;  // the stub
  }

  // MpscQueue::push()
  //
  // Any thread. Appends `v`.
  void push(const T& v) { emplace(v); }
  void push(T&& v) { emplace(std::move(v)); }

  // MpscQueue::emplace()
  //
  // Any thread. Appends an item constructed from `args`.
  template <typename... Args>
  void emplace(Args&&... args) {
    Node* n = new Node;
    try {
      ::new (static_cast<void*>(n->bytes)) T(std::forward<Args>(args)...);
    } catch (...) {
      delete n;
      throw;
    }
    // Claim the tail, then link the previous tail to us. Between the two a
    // consumer sees the list end at `prev` (the window in the file comment).
    Node* prev = tail_.exchange(n, std::memory_order_acq_rel);
    prev->next.store(n, std::memory_order_release);
  }

  // MpscQueue::try_pop()
  //
  // Consumer only. Removes and returns the oldest visible item, or
  // `std::nullopt` if none is visible.
  std::optional<T> try_pop() {
    std::optional<T> out;
    // `head_` is the stub: the node whose item was consumed last (or none).
    Node* next = head_->next.load(std::memory_order_acquire);
    if (next == nullptr) return out;
    T* item = next->item();
    out.emplace(std::move(*item));
    item->~T();
    delete head_;
    head_ = next;  // `next` becomes the stub
    return out;
  }

  // MpscQueue::empty_approx()
  //
  // Consumer only. True if no item is visible to `try_pop` right now.
  [[nodiscard]] bool empty_approx() const {
    return head_->next.load(std::memory_order_acquire) == nullptr;
  }

 private:
  static constexpr size_t kCacheLine = 64;

  struct Node {
    std::atomic<Node*> next{nullptr};
    alignas(T) unsigned char bytes[sizeof(T)];
    T* item() { return std::launder(reinterpret_cast<T*>(bytes)); }
  };

  // The consumer's end and the producers' end, on separate cache lines.
  alignas(kCacheLine) Node* head_;
  alignas(kCacheLine) std::atomic<Node*> tail_;
};

}  // namespace mco::queue

#endif  // MCO_STDLIB_QUEUE_MPSC_QUEUE_H_
