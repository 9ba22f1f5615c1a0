// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: run_queue.h
// -----------------------------------------------------------------------------
//
// A worker's local run queue (after Go's per-P `runq` and `runnext`).
//
// A fixed ring of `kCapacity` runnable coroutines with a single producer,
// the owning worker, and many consumers: the owner takes from the head,
// other workers steal half of it. No lock: the owner publishes a slot by
// storing `tail` (release); every consumer claims slots by a CAS on `head`.
// A stealer copies the slots it wants before its CAS, and the owner cannot
// overwrite them until `head` has moved past them, so a CAS that succeeds
// took exactly what it copied.
//
// `next` is one extra slot for the coroutine the owner just woke (a channel
// partner, a mutex hand-off, a new coroutine): it runs next, before the ring,
// so a ping-pong pair stays on one worker and in cache. Two rules keep it
// fair: the owner takes `next` at most `kMaxNextStreak` times in a row while
// the ring has work, and a stealer may take `next` only when the owner has
// not scheduled anything for a while (its `ticks` did not move), so a
// coroutine that spins on a worker cannot strand the one it woke.
//
// The ring never blocks: when it is full, `put` hands half of it to the
// caller's overflow function (the global queue).

#ifndef MCO_RUNTIME_RUN_QUEUE_H_
#define MCO_RUNTIME_RUN_QUEUE_H_

#include <atomic>
#include <cstdint>

namespace mco::rt {

struct Coroutine;

class RunQueue {
 public:
  static constexpr uint32_t kCapacity = 256;
  static constexpr uint32_t kMaxNextStreak = 16;

  // RunQueue::put()
  //
  // Owner only. Appends `co` to the ring; if the ring is full, moves half of
  // it plus `co` to `overflow(Coroutine** batch, uint32_t n)`.
  template <typename Overflow>
  void put(Coroutine* co, Overflow&& overflow) {
    for (;;) {
      uint32_t h = head_.load(std::memory_order_acquire);
      const uint32_t t = tail_.load(std::memory_order_relaxed);
      if (t - h < kCapacity) {
        slots_[t % kCapacity].store(co, std::memory_order_relaxed);
        tail_.store(t + 1, std::memory_order_release);
        return;
      }
      Coroutine* batch[kCapacity / 2 + 1];
      const uint32_t n = (t - h) / 2;
      for (uint32_t i = 0; i < n; ++i) {
        batch[i] = slots_[(h + i) % kCapacity].load(std::memory_order_relaxed);
      }
      if (!head_.compare_exchange_strong(h, h + n, std::memory_order_acq_rel)) {
        continue;  // a stealer made room
      }
      batch[n] = co;
      overflow(batch, n + 1);
      return;
    }
  }

  // RunQueue::put_next()
  //
  // Owner only. Makes `co` the next to run; the coroutine it displaces goes
  // to the ring's tail.
  template <typename Overflow>
  void put_next(Coroutine* co, Overflow&& overflow) {
    Coroutine* old = next_.exchange(co, std::memory_order_acq_rel);
    if (old != nullptr) put(old, overflow);
  }

  // RunQueue::get()
  //
  // Owner only. Takes the coroutine to run next, or nullptr.
  Coroutine* get() {
    ticks_.store(ticks_.load(std::memory_order_relaxed) + 1,
                 std::memory_order_relaxed);
    if (streak_ < kMaxNextStreak || empty_ring()) {
      if (Coroutine* co = take_next()) {
        ++streak_;
        return co;
      }
    }
    streak_ = 0;
    for (;;) {
      uint32_t h = head_.load(std::memory_order_acquire);
      const uint32_t t = tail_.load(std::memory_order_relaxed);
      if (h == t) return take_next();
      Coroutine* co = slots_[h % kCapacity].load(std::memory_order_relaxed);
      if (head_.compare_exchange_strong(h, h + 1, std::memory_order_acq_rel)) {
        return co;
      }
    }
  }

  // RunQueue::steal_into()
  //
  // Called by another worker, the owner of `dst`. Moves about half of this
  // ring into `dst`'s ring and returns one coroutine to run, or nullptr. With
  // the ring empty it takes `next` if the owner's ticks did not move over a
  // short pause. `overflow` is `dst`'s (see put()); a thief steals only when
  // its own ring is empty, so it is not expected to run.
  template <typename Overflow>
  Coroutine* steal_into(RunQueue& dst, Overflow&& overflow) {
    Coroutine* batch[kCapacity / 2];
    for (;;) {
      uint32_t h = head_.load(std::memory_order_acquire);
      const uint32_t t = tail_.load(std::memory_order_acquire);
      uint32_t n = t - h;
      n -= n / 2;
      if (n == 0) return steal_next();
      if (n > kCapacity / 2) continue;  // head and tail read apart
      for (uint32_t i = 0; i < n; ++i) {
        batch[i] = slots_[(h + i) % kCapacity].load(std::memory_order_relaxed);
      }
      if (!head_.compare_exchange_strong(h, h + n, std::memory_order_acq_rel)) {
        continue;
      }
      for (uint32_t i = 1; i < n; ++i) dst.put(batch[i], overflow);
      return batch[0];
    }
  }

  // Approximate size, `next` included; any thread.
  [[nodiscard]] uint32_t size() const {
    const uint32_t h = head_.load(std::memory_order_seq_cst);
    const uint32_t t = tail_.load(std::memory_order_seq_cst);
    const uint32_t n = t - h;
    return (n > kCapacity ? 0 : n) +
           (next_.load(std::memory_order_seq_cst) != nullptr ? 1 : 0);
  }

 private:
  bool empty_ring() const {
    return head_.load(std::memory_order_acquire) ==
           tail_.load(std::memory_order_relaxed);
  }

  Coroutine* take_next() {
    if (next_.load(std::memory_order_relaxed) == nullptr) return nullptr;
    return next_.exchange(nullptr, std::memory_order_acq_rel);
  }

  Coroutine* steal_next() {
    Coroutine* co = next_.load(std::memory_order_acquire);
    if (co == nullptr) return nullptr;
    const uint64_t ticks = ticks_.load(std::memory_order_relaxed);
    // About 3 us (Go waits as long), without touching the owner's cache
    // lines: enough for a busy owner to switch to the coroutine it just
    // woke, which is then not ours to take.
    for (int i = 0; i < 100; ++i) {
#if defined(__x86_64__)
      __builtin_ia32_pause();
#elif defined(__aarch64__)
      asm volatile("yield");
#endif
    }
    if (ticks_.load(std::memory_order_relaxed) != ticks) return nullptr;
    if (next_.compare_exchange_strong(co, nullptr, std::memory_order_acq_rel)) {
      return co;
    }
    return nullptr;
  }

  alignas(64) std::atomic<uint32_t> head_{0};
  alignas(64) std::atomic<uint32_t> tail_{0};
  std::atomic<Coroutine*> next_{nullptr};
  std::atomic<uint64_t> ticks_{0};  // schedules by the owner
  uint32_t streak_ = 0;             // owner only
  std::atomic<Coroutine*> slots_[kCapacity] = {};
};

}  // namespace mco::rt

#endif  // MCO_RUNTIME_RUN_QUEUE_H_
