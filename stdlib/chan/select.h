// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: select.h
// -----------------------------------------------------------------------------
//
// Go's `select`: wait until one of several channel operations can proceed,
// and do exactly that one.
//
//   size_t chosen = mco::select(
//       mco::recv(jobs, [&](std::optional<Job> j) {     // nullopt: closed
//         if (j) run(*j); else done = true;
//       }),
//       mco::send(results, result, [&] { ++sent; }),    // moves `result`
//                                                       // only if chosen
//       mco::timeout(50ms, [&] { log("idle"); }));      // or mco::deadline(t,
//       f)
//
//   // Non-blocking: a default case runs when no other case is ready now.
//   mco::select(mco::recv(ch, [&](std::optional<int> v) { use(v); }),
//               mco::default_case([] {}));
//
// Each case object is built by `recv`, `send`, `timeout`, `deadline` or
// `default_case`; the function attached to a case runs (on the caller,
// after every channel lock has been released) only if that case is chosen.
// `select` returns the position of the chosen case in its argument list.
// `select_from(cases)` is the same for a runtime-sized `std::vector` of
// cases of one type (e.g. receives on N channels of one element type).
//
// Contract (Go's, https://go.dev/ref/spec#Select_statements):
//  - If one or more cases are ready, one of them is chosen uniformly at
//    random (the cases are polled in a random order).
//  - A receive case is ready when a value is available or the channel is
//    closed (its function then gets `std::nullopt`). A send case is ready
//    when a receiver waits or the buffer has room; a send case on a closed
//    channel makes `select` throw `ChanClosedError`, like `Chan::send`.
//  - Cases on the nil channel (a default-constructed `Chan`) are never
//    ready, so a nil channel disables its case.
//  - With no ready case: a `default_case` is chosen at once if present;
//    otherwise the caller waits, with one park for all cases, until a case
//    becomes ready or the earliest `timeout`/`deadline` case expires (that
//    case is then chosen). With both a default and a timeout case the
//    timeout is never chosen. `select()` with no ready-able case and no
//    timeout waits forever, like Go's `select {}`.
//  - A send case's value: pass an lvalue and it is moved from only if the
//    case is chosen; pass an rvalue and the case owns it (dropped if the
//    case is not chosen).
//  - Blocking `select` is a cancellation point: on cancellation of the
//    caller it throws `mco::Cancelled` having withdrawn from every channel;
//    then no case was performed (no value sent or received).
//  - Works the same on coroutines (parks) and plain threads (blocks).
//
// Timers that are channels (`after(d)`) are simply receive cases.
//
// Memory ordering: as for the chosen operation alone (see "mco/chan/chan.h").

#ifndef MCO_STDLIB_CHAN_SELECT_H_
#define MCO_STDLIB_CHAN_SELECT_H_

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "mco/chan/chan.h"  // IWYU pragma: export

namespace mco {
namespace detail {

// One channel case, type-erased, as the core sees it.
struct SelectCase {
  ChanCore* chan = nullptr;  // nullptr: the nil channel
  void* elem = nullptr;      // send: the live T; recv: its std::optional<T>
  bool is_send = false;
};

// Which channel case was chosen (`index` into the array, -1: none, i.e. the
// deadline passed or, if `block` was false, nothing was ready), and for a
// receive whether it got a value (kOk) or found the channel closed.
struct SelectOutcome {
  int index;
  ChanStatus status;
};

// The core (select.cc). Throws ChanClosedError, Cancelled.
SelectOutcome chan_select(SelectCase* cases, size_t n, bool block,
                          int64_t deadline_ns);

enum class CaseKind { kChan, kTimeout, kDefault };

struct Noop {
  void operator()() const {}
};

}  // namespace detail

// RecvCase
//
// A receive case; built by `mco::recv`. `F` is called with the received
// `std::optional<T>` (nullopt: closed), or with nothing if it takes none.
template <typename T, typename F>
class RecvCase {
 public:
  static constexpr detail::CaseKind kKind = detail::CaseKind::kChan;

  RecvCase(Chan<T> ch, F fn) : ch_(std::move(ch)), fn_(std::move(fn)) {}

  detail::SelectCase prepare() {
    value_.reset();
    return {detail::ChanAccess::core(ch_), &value_, false};
  }
  void fire(ChanStatus) {
    if constexpr (std::is_invocable_v<F&, std::optional<T>>) {
      fn_(std::move(value_));
    } else {
      fn_();
    }
  }

 private:
  Chan<T> ch_;
  F fn_;
  std::optional<T> value_;
};

// SendCase
//
// A send case; built by `mco::send`. `Holder` is `T*` (the caller's value,
// moved from only if chosen) or `T` (a value the case owns).
template <typename T, typename Holder, typename F>
class SendCase {
 public:
  static constexpr detail::CaseKind kKind = detail::CaseKind::kChan;

  template <typename V>
  SendCase(Chan<T> ch, V&& v, F fn)
      : ch_(std::move(ch)), value_(std::forward<V>(v)), fn_(std::move(fn)) {}

  detail::SelectCase prepare() {
    T* p;
    if constexpr (std::is_pointer_v<Holder>) {
      p = value_;
    } else {
      p = &value_;
    }
    return {detail::ChanAccess::core(ch_), p, true};
  }
  void fire(ChanStatus) { fn_(); }

 private:
  Chan<T> ch_;
  Holder value_;
  F fn_;
};

// TimeoutCase
//
// Chosen when its deadline passes first; built by `mco::timeout` or
// `mco::deadline`.
template <typename F>
class TimeoutCase {
 public:
  static constexpr detail::CaseKind kKind = detail::CaseKind::kTimeout;
  TimeoutCase(int64_t deadline_ns, F fn)
      : deadline_ns_(deadline_ns), fn_(std::move(fn)) {}
  int64_t deadline_ns() const { return deadline_ns_; }
  void fire(ChanStatus) { fn_(); }

 private:
  int64_t deadline_ns_;
  F fn_;
};

// DefaultCase
//
// Chosen when no other case is ready; built by `mco::default_case`.
template <typename F>
class DefaultCase {
 public:
  static constexpr detail::CaseKind kKind = detail::CaseKind::kDefault;
  explicit DefaultCase(F fn) : fn_(std::move(fn)) {}
  void fire(ChanStatus) { fn_(); }

 private:
  F fn_;
};

// recv()
//
// A case receiving from `ch`: `fn(std::optional<T>)` (or `fn()`) runs if
// chosen.
template <typename T, typename F = detail::Noop>
RecvCase<T, F> recv(const Chan<T>& ch, F fn = F()) {
  return RecvCase<T, F>(ch, std::move(fn));
}

// send()
//
// A case sending `value` on `ch`; `fn()` runs if chosen. An lvalue `value`
// is referenced (moved from only if chosen; it must outlive the select); an
// rvalue is moved into the case.
template <typename T, typename V, typename F = detail::Noop,
          typename = std::enable_if_t<
              std::is_same_v<std::remove_cv_t<std::remove_reference_t<V>>, T>>>
auto send(const Chan<T>& ch, V&& value, F fn = F()) {
  using Holder =
      std::conditional_t<std::is_lvalue_reference_v<V> &&
                             !std::is_const_v<std::remove_reference_t<V>>,
                         T*, T>;
  if constexpr (std::is_pointer_v<Holder>) {
    return SendCase<T, Holder, F>(ch, &value, std::move(fn));
  } else {
    return SendCase<T, Holder, F>(ch, std::forward<V>(value), std::move(fn));
  }
}

// timeout()
//
// A case chosen if nothing else is ready within `d` from now.
template <typename Rep, typename Period, typename F = detail::Noop>
TimeoutCase<F> timeout(std::chrono::duration<Rep, Period> d, F fn = F()) {
  return TimeoutCase<F>(detail::chan_deadline_after(d), std::move(fn));
}

// deadline()
//
// A case chosen if nothing else is ready by the steady-clock time `t`.
template <typename Duration, typename F = detail::Noop>
TimeoutCase<F> deadline(
    std::chrono::time_point<std::chrono::steady_clock, Duration> t,
    F fn = F()) {
  return TimeoutCase<F>(detail::chan_deadline_at(t), std::move(fn));
}

// default_case()
//
// A case chosen at once if no other case is ready.
template <typename F = detail::Noop>
DefaultCase<F> default_case(F fn = F()) {
  return DefaultCase<F>(std::move(fn));
}

namespace detail {

template <typename Case>
constexpr CaseKind kind_of() {
  return std::decay_t<Case>::kKind;
}

template <typename... Cases>
constexpr size_t count_kind(CaseKind k) {
  return ((kind_of<Cases>() == k ? 1 : 0) + ... + 0);
}

template <size_t kChans>
struct Collected {
  std::array<SelectCase, kChans> chans{};
  std::array<size_t, kChans> position{};
  size_t n = 0;
  int64_t deadline_ns = INT64_MAX;
  size_t timeout_position = SIZE_MAX;
  size_t default_position = SIZE_MAX;
};

template <size_t kChans, typename Case>
void collect(Collected<kChans>& out, size_t position, Case& c) {
  constexpr CaseKind k = kind_of<Case>();
  if constexpr (k == CaseKind::kChan) {
    out.chans[out.n] = c.prepare();
    out.position[out.n] = position;
    ++out.n;
  } else if constexpr (k == CaseKind::kTimeout) {
    if (out.timeout_position == SIZE_MAX || c.deadline_ns() < out.deadline_ns) {
      out.deadline_ns = c.deadline_ns();
      out.timeout_position = position;
    }
  } else {
    out.default_position = position;
  }
}

template <typename Tuple, size_t... I>
void fire_at(Tuple& cases, size_t chosen, ChanStatus s,
             std::index_sequence<I...>) {
  ((I == chosen ? (std::get<I>(cases).fire(s), 0) : 0), ...);
}

}  // namespace detail

// select()
//
// Performs one of `cases` (see the file comment) and returns its position
// in the argument list. At most one `default_case`.
template <typename... Cases>
size_t select(Cases&&... cases) {
  constexpr size_t kChans =
      detail::count_kind<Cases...>(detail::CaseKind::kChan);
  static_assert(detail::count_kind<Cases...>(detail::CaseKind::kDefault) <= 1,
                "mco::select: at most one default_case");
  auto all = std::forward_as_tuple(cases...);
  detail::Collected<kChans> col;
  size_t position = 0;
  (detail::collect(col, position++, cases), ...);
  const bool block = col.default_position == SIZE_MAX;
  const detail::SelectOutcome out =
      detail::chan_select(col.chans.data(), kChans, block, col.deadline_ns);
  size_t chosen;
  if (out.index >= 0) {
    chosen = col.position[static_cast<size_t>(out.index)];
  } else {
    chosen = block ? col.timeout_position : col.default_position;
  }
  detail::fire_at(all, chosen, out.status, std::index_sequence_for<Cases...>());
  return chosen;
}

// select_from()
//
// Waits until one of a runtime-sized list of channel cases (all of one type,
// e.g. `RecvCase<int, F>`) can proceed, performs it, runs its function and
// returns its index. With no cases (or all on nil channels) it waits
// forever. Cancellation point, like `select`.
template <typename Case>
size_t select_from(std::vector<Case>& cases) {
  static_assert(detail::kind_of<Case>() == detail::CaseKind::kChan,
                "mco::select_from takes channel cases only");
  std::vector<detail::SelectCase> raw;
  raw.reserve(cases.size());
  for (Case& c : cases) raw.push_back(c.prepare());
  const detail::SelectOutcome out =
      detail::chan_select(raw.data(), raw.size(), true, INT64_MAX);
  const size_t chosen = static_cast<size_t>(out.index);
  cases[chosen].fire(out.status);
  return chosen;
}

}  // namespace mco

#endif  // MCO_STDLIB_CHAN_SELECT_H_
