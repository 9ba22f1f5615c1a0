// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: chan.h
// -----------------------------------------------------------------------------
//
// Go's channels: typed queues through which coroutines (and plain threads)
// hand values to each other, with Go's semantics.
//
// A `Chan<T>` is a cheap, copyable handle to a channel, like a Go channel
// value: copies refer to the same channel, which lives as long as any handle
// does. A default-constructed `Chan<T>` is the *nil channel*.
//
//   mco::Chan<std::string> lines(16);           // buffered, capacity 16
//   auto producer = mco::go([lines]() mutable {
//     for (auto& l : read_lines()) lines.send(std::move(l));
//     lines.close();
//   });
//   for (std::string l : lines) consume(l);     // receives until closed
//
// Contract (Go's, see https://go.dev/ref/spec#Channel_types):
//  - `Chan<T>(0)` is unbuffered: `send` completes only when a receiver has
//    taken the value (a rendezvous). `Chan<T>(n)` buffers up to `n` values.
//  - `recv()` returns the next value, or `std::nullopt` once the channel is
//    closed *and* drained. Receiving never throws for a closed channel.
//  - `send` on a closed channel throws `ChanClosedError` ("send on closed
//    channel"), as does `close` of a closed channel ("close of closed
//    channel") and of the nil channel ("close of nil channel"). Closing wakes
//    every blocked receiver (they see "closed") and every blocked sender
//    (they throw).
//  - `send`/`recv` on the nil channel block forever (until a timeout or
//    cancellation); `try_*` on it never succeed.
//  - Any number of senders and receivers. Blocked senders and receivers are
//    served in FIFO order. A sender that finds a blocked receiver moves its
//    value straight into the receiver's result; a receiver that frees a slot
//    of a full buffer moves the first blocked sender's value into it.
//  - Element types need only be move-constructible (`std::unique_ptr` is
//    fine). Each transfer moves the value once per hop (sender -> receiver,
//    or sender -> buffer -> receiver) and never copies it. A move that
//    throws terminates the program (moves happen under the channel's lock).
//
// Blocking: every blocking call parks the calling coroutine (a plain thread
// blocks), is a cancellation point — it throws `mco::Cancelled` if the
// caller's cancellation is requested before or while it waits (see
// "mco/cancel.h") — and has timed variants.
//
// What happens to a value that is not sent: `send`, `try_send`, `send_for`
// and `send_until` take the value by reference and move from it only if it
// was sent. If they time out, return false, or throw (`Cancelled`,
// `ChanClosedError`), the value is still in the caller's object, unchanged:
// it was neither lost nor delivered.
//
// Memory ordering: everything a sender wrote before a send happens-before
// the receive that gets its value returns (and, unbuffered, the send's
// return happens-after that receive took the value). `close` happens-before
// a receive that reports the channel closed.
//
// See "mco/chan/select.h" to wait on several channels at once.

#ifndef MCO_STDLIB_CHAN_CHAN_H_
#define MCO_STDLIB_CHAN_CHAN_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "mco/cancel.h"  // IWYU pragma: export

namespace mco {

// ChanClosedError
//
// Thrown (like Go's panics) by a send on a closed channel, a close of a closed
// channel and a close of the nil channel. `what()` is Go's message.
class ChanClosedError : public std::logic_error {
 public:
  explicit ChanClosedError(const char* what);
  ~ChanClosedError() override;
};

// ChanStatus
//
// The outcome of a channel operation that can fail without throwing.
enum class ChanStatus : uint8_t {
  kOk = 0,       // a value was sent or received
  kClosed = 1,   // receive: the channel is closed and drained
  kTimeout = 2,  // the deadline passed first (`try_*`: nothing was ready)
};

// RecvResult
//
// What `try_recv`, `recv_for` and `recv_until` return: a value, or why there
// is none (closed, or timed out / not ready).
//
//   auto r = ch.recv_for(50ms);
//   if (r.ok()) use(*r.value);
//   else if (r.closed()) finish();
//   else retry_later();       // r.timed_out()
template <typename T>
struct RecvResult {
  ChanStatus status = ChanStatus::kTimeout;
  std::optional<T> value;  // engaged iff status == kOk

  [[nodiscard]] bool ok() const { return status == ChanStatus::kOk; }
  [[nodiscard]] bool closed() const { return status == ChanStatus::kClosed; }
  [[nodiscard]] bool timed_out() const {
    return status == ChanStatus::kTimeout;
  }
  explicit operator bool() const { return ok(); }
};

namespace detail {

// The channel's state (Go's `hchan`), element-type independent; chan.cc.
struct ChanCore;

// How the type-independent core moves elements of one type. `src` is always
// a live `T`, which the core moves from and leaves alive (moved-from);
// `opt` is a `std::optional<T>` (a receiver's result).
struct ElemOps {
  size_t size;
  size_t align;
  void (*construct)(void* raw, void* src) noexcept;  // new (raw) T(move(src))
  void (*assign)(void* dst, void* src) noexcept;     // dst = move(src)
  void (*destroy)(void* p) noexcept;
  void (*emplace)(void* opt, void* src) noexcept;  // opt.emplace(move(src))
  void (*take)(void* dst, void* opt) noexcept;     // dst = move(*opt); reset
};

template <typename T>
void assign_elem(T* dst, T* src) noexcept {
  if constexpr (std::is_move_assignable_v<T>) {
    *dst = std::move(*src);
  } else {
    dst->~T();
    ::new (static_cast<void*>(dst)) T(std::move(*src));
  }
}

template <typename T>
inline constexpr ElemOps kElemOps = {
    sizeof(T),
    alignof(T),
    [](void* raw, void* src) noexcept {
      ::new (raw) T(std::move(*static_cast<T*>(src)));
    },
    [](void* dst, void* src) noexcept {
      assign_elem(static_cast<T*>(dst), static_cast<T*>(src));
    },
    [](void* p) noexcept { static_cast<T*>(p)->~T(); },
    [](void* opt, void* src) noexcept {
      static_cast<std::optional<T>*>(opt)->emplace(
          std::move(*static_cast<T*>(src)));
    },
    [](void* dst, void* opt) noexcept {
      auto* o = static_cast<std::optional<T>*>(opt);
      assign_elem(static_cast<T*>(dst), &**o);
      o->reset();
    },
};

// The core operations (chan.cc). `block` false: do not wait (try_*).
// `deadline_ns`: steady clock, INT64_MAX for none. Sends throw
// ChanClosedError; blocking calls throw Cancelled.
ChanCore* chan_new(const ElemOps* ops, size_t capacity);
void chan_delete(ChanCore* c);
ChanStatus chan_send(ChanCore* c, void* src, bool block, int64_t deadline_ns);
ChanStatus chan_recv(ChanCore* c, void* opt, bool block, int64_t deadline_ns);
void chan_close(ChanCore* c);
size_t chan_len(const ChanCore* c);
size_t chan_cap(const ChanCore* c);
bool chan_is_closed(const ChanCore* c);

// Deadlines (steady-clock nanoseconds), saturating at INT64_MAX.
int64_t chan_now_ns();
template <typename Rep, typename Period>
int64_t chan_deadline_after(std::chrono::duration<Rep, Period> d) {
  const long double ns =
      std::chrono::duration<long double, std::nano>(d).count();
  if (ns <= 0) return 0;  // already expired
  const int64_t now = chan_now_ns();
  if (ns >= static_cast<long double>(INT64_MAX - now)) return INT64_MAX;
  return now + static_cast<int64_t>(ns);
}
template <typename Duration>
int64_t chan_deadline_at(
    std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
  const long double ns =
      std::chrono::duration<long double, std::nano>(t.time_since_epoch())
          .count();
  if (ns <= 0) return 0;
  if (ns >= 9.2e18L) return INT64_MAX;
  return static_cast<int64_t>(ns);
}

struct ChanAccess;

}  // namespace detail

// Chan
//
// A handle to a channel of `T` (see the file comment). Copyable; copies
// share the channel. Thread-safe: any number of coroutines and threads may
// use handles to one channel at once (one handle object itself is not to be
// assigned while others use it, like any value).
template <typename T>
class Chan {
  static_assert(!std::is_reference_v<T> && !std::is_const_v<T>,
                "Chan<T>: T must be a non-const object type");
  static_assert(std::is_move_constructible_v<T>,
                "Chan<T>: T must be move-constructible");

 public:
  using value_type = T;

  // The nil channel.
  Chan() = default;

  // Chan::Chan(capacity)
  //
  // A new channel buffering up to `capacity` values; 0 is unbuffered.
  explicit Chan(size_t capacity)
      : core_(detail::chan_new(&detail::kElemOps<T>, capacity),
              &detail::chan_delete) {}

  Chan(const Chan&) = default;
  Chan& operator=(const Chan&) = default;
  Chan(Chan&&) noexcept = default;
  Chan& operator=(Chan&&) noexcept = default;

  // Chan::send()
  //
  // Sends `v`, waiting until a receiver takes it (unbuffered) or there is
  // room in the buffer. Throws `ChanClosedError` if the channel is or gets
  // closed, `Cancelled` on cancellation; then `v` was not moved from.
  void send(T&& v) { detail::chan_send(core(), &v, true, INT64_MAX); }
  void send(const T& v) {
    T copy(v);
    send(std::move(copy));
  }

  // Chan::try_send()
  //
  // Sends `v` if that can be done without waiting; returns false (and leaves
  // `v` untouched) if not. Throws `ChanClosedError` on a closed channel.
  // A `const T&` is copied first, then the copy is offered.
  [[nodiscard]] bool try_send(T& v) {
    return detail::chan_send(core(), &v, false, 0) == ChanStatus::kOk;
  }
  [[nodiscard]] bool try_send(T&& v) { return try_send(v); }
  [[nodiscard]] bool try_send(const T& v) {
    T copy(v);
    return try_send(copy);
  }

  // Chan::send_for() / Chan::send_until()
  //
  // Like `send`, giving up after `d` / at `t`: returns false on timeout, and
  // `v` is then untouched.
  template <typename Rep, typename Period>
  [[nodiscard]] bool send_for(T& v, std::chrono::duration<Rep, Period> d) {
    return detail::chan_send(core(), &v, true,
                             detail::chan_deadline_after(d)) == ChanStatus::kOk;
  }
  template <typename Rep, typename Period>
  [[nodiscard]] bool send_for(T&& v, std::chrono::duration<Rep, Period> d) {
    return send_for(v, d);
  }
  template <typename Rep, typename Period>
  [[nodiscard]] bool send_for(const T& v,
                              std::chrono::duration<Rep, Period> d) {
    T copy(v);
    return send_for(copy, d);
  }
  template <typename Duration>
  [[nodiscard]] bool send_until(
      T& v, std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
    return detail::chan_send(core(), &v, true, detail::chan_deadline_at(t)) ==
           ChanStatus::kOk;
  }
  template <typename Duration>
  [[nodiscard]] bool send_until(
      T&& v, std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
    return send_until(v, t);
  }
  template <typename Duration>
  [[nodiscard]] bool send_until(
      const T& v,
      std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
    T copy(v);
    return send_until(copy, t);
  }

  // Chan::recv()
  //
  // Receives the next value, waiting for one; `std::nullopt` once the
  // channel is closed and drained. Throws `Cancelled` on cancellation.
  std::optional<T> recv() {
    std::optional<T> out;
    detail::chan_recv(core(), &out, true, INT64_MAX);
    return out;
  }

  // Chan::try_recv()
  //
  // Receives a value if one is ready now. `status` is `kTimeout` if none
  // was, `kClosed` if the channel is closed and drained.
  [[nodiscard]] RecvResult<T> try_recv() {
    RecvResult<T> r;
    r.status = detail::chan_recv(core(), &r.value, false, 0);
    return r;
  }

  // Chan::recv_for() / Chan::recv_until()
  //
  // Like `recv`, giving up after `d` / at `t` (`status` `kTimeout`).
  template <typename Rep, typename Period>
  [[nodiscard]] RecvResult<T> recv_for(std::chrono::duration<Rep, Period> d) {
    RecvResult<T> r;
    r.status = detail::chan_recv(core(), &r.value, true,
                                 detail::chan_deadline_after(d));
    return r;
  }
  template <typename Duration>
  [[nodiscard]] RecvResult<T> recv_until(
      std::chrono::time_point<std::chrono::steady_clock, Duration> t) {
    RecvResult<T> r;
    r.status =
        detail::chan_recv(core(), &r.value, true, detail::chan_deadline_at(t));
    return r;
  }

  // Chan::close()
  //
  // Closes the channel: no more sends; receivers drain the buffer, then see
  // "closed". Wakes every blocked receiver and sender (senders throw).
  // Throws `ChanClosedError` if already closed, or on the nil channel.
  void close() { detail::chan_close(core()); }

  // Chan::len() / Chan::cap() / Chan::is_closed()
  //
  // Values in the buffer now; the capacity; whether `close` was called.
  // Snapshots: other coroutines may change them at once. 0/0/false for the
  // nil channel.
  [[nodiscard]] size_t len() const { return detail::chan_len(core()); }
  [[nodiscard]] size_t cap() const { return detail::chan_cap(core()); }
  [[nodiscard]] bool is_closed() const {
    return detail::chan_is_closed(core());
  }

  // True unless this is the nil channel.
  explicit operator bool() const { return core_ != nullptr; }

  // Handles are equal if they refer to the same channel (or both are nil).
  friend bool operator==(const Chan& a, const Chan& b) {
    return a.core_ == b.core_;
  }
  friend bool operator!=(const Chan& a, const Chan& b) { return !(a == b); }

  // Range-for: `for (T v : ch)` receives until the channel is closed and
  // drained. Each element is handed out as an rvalue (`T&&`, like
  // `std::move_iterator`): write `for (T v : ch)` or `for (auto&& v : ch)`.
  class iterator {
   public:
    T&& operator*() { return std::move(*value_); }
    iterator& operator++() {
      value_.reset();
      detail::chan_recv(core_, &value_, true, INT64_MAX);
      return *this;
    }
    struct sentinel {};
    friend bool operator!=(const iterator& it, sentinel) {
      return it.value_.has_value();
    }
    friend bool operator==(const iterator& it, sentinel s) {
      return !(it != s);
    }

   private:
    friend class Chan;
    explicit iterator(detail::ChanCore* core) : core_(core) {}
    detail::ChanCore* core_;
    std::optional<T> value_;
  };
  iterator begin() {
    iterator it(core());
    ++it;
    return it;
  }
  typename iterator::sentinel end() { return {}; }

 private:
  friend struct detail::ChanAccess;
  detail::ChanCore* core() const { return core_.get(); }

  std::shared_ptr<detail::ChanCore> core_;
};

namespace detail {
struct ChanAccess {
  template <typename T>
  static ChanCore* core(const Chan<T>& ch) {
    return ch.core();
  }
};
}  // namespace detail

}  // namespace mco

#endif  // MCO_STDLIB_CHAN_CHAN_H_
