// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: waker.h
// -----------------------------------------------------------------------------
//
// Parking a coroutine (or thread) until another one wakes it, through a
// handle — the building block for custom synchronisation.
//
// Every coroutine and every thread has one *permit*, initially absent.
// `mco::park()` consumes the permit, waiting until there is one;
// `Waker::unpark()` makes it available (once: permits do not accumulate) and
// wakes the owner if it is parked. An `unpark` that comes before the `park`
// is therefore not lost.
//
//   mco::Waker w = mco::current_waker();
//   std::atomic<bool> ready{false};
//   mco::go([&] { ready = true; w.unpark(); });
//   while (!ready) mco::park();        // re-check: park may return early
//
// `park` returns when the permit is given, or (the timed variants) when the
// time is up, or (in a coroutine) throws `mco::Cancelled` on cancellation.
// Callers should re-check their condition in a loop.
//
// Memory ordering: everything the unparking side wrote before `unpark()`
// is visible to the parked side after `park()` returns because of it.

#ifndef MCO_STDLIB_WAKER_H_
#define MCO_STDLIB_WAKER_H_

#include <chrono>
#include <cstdint>
#include <memory>

namespace mco {
namespace rt {
struct Coroutine;
}  // namespace rt

namespace detail {
struct ThreadPermit;
}  // namespace detail

// Waker
//
// A copyable handle that wakes one coroutine or thread. Valid for as long as
// it exists, even after its owner ended (then `unpark` does nothing).
class Waker {
 public:
  Waker() = default;
  Waker(const Waker& other);
  Waker& operator=(const Waker& other);
  Waker(Waker&& other) noexcept;
  Waker& operator=(Waker&& other) noexcept;
  ~Waker();

  // Waker::unpark()
  //
  // Gives the owner its permit and wakes it if parked. Safe from any thread.
  void unpark() const;

  // True if the handle refers to something.
  explicit operator bool() const {
    return co_ != nullptr || thread_ != nullptr;
  }

 private:
  friend Waker current_waker();
  rt::Coroutine* co_ = nullptr;
  std::shared_ptr<detail::ThreadPermit> thread_;
};

// current_waker()
//
// A waker for the calling coroutine, or the calling thread.
Waker current_waker();

// park()
//
// Waits for the caller's permit and consumes it.
void park();

// park_until_ns() / park_for() / park_until()
//
// Like `park()` but gives up at the deadline; true if the permit was taken.
bool park_until_ns(int64_t deadline_ns);

template <typename Rep, typename Period>
bool park_for(std::chrono::duration<Rep, Period> d) {
  auto t = std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
  return park_until_ns(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch())
          .count());
}

template <typename Duration>
bool park_until(
    std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
  return park_until_ns(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch())
          .count());
}

}  // namespace mco

#endif  // MCO_STDLIB_WAKER_H_
