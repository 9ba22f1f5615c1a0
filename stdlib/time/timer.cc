// Copyright 2026 The mco Authors.
//
// Timer and Ticker on rt::TimerTask. Each keeps its state behind a
// shared_ptr; the loop callback holds only a weak reference plus the
// generation it was armed for, so a stopped, reset or destroyed timer's
// pending callback does nothing. The state's mutex is held only for a few
// non-blocking steps (never across a park).

#include "mco/time/timer.h"

#include <mutex>
#include <stdexcept>

#include "mco/time/ticker.h"
#include "runtime/clock.h"
#include "runtime/timer.h"

namespace mco::time {
namespace detail {

struct TimerState {
  std::mutex mu;
  Chan<Instant> c{1};
  rt::TimerTask task;
  uint64_t gen = 0;
  bool active = false;
};

struct TickerState {
  std::mutex mu;
  Chan<Instant> c{1};
  rt::TimerTask task;
  uint64_t gen = 0;
  bool active = false;
  bool forever = false;  // tick(): no handle can stop it
  int64_t period = 0;    // ns
  rt::Nanos next = 0;    // when the next tick is due
};

}  // namespace detail

namespace {

void drain(Chan<Instant>& c) {
  while (c.try_recv().ok()) {
  }
}

[[noreturn]] void no_scheduler(const char* what) {
  throw std::logic_error(std::string("mco::time::") + what +
                         " needs a running scheduler (mco::run)");
}

// With s->mu held.
void arm_timer_locked(const std::shared_ptr<detail::TimerState>& s,
                      Duration d) {
  const uint64_t gen = ++s->gen;
  s->active = true;
  std::weak_ptr<detail::TimerState> weak = s;
  s->task =
      rt::TimerTask::schedule(rt::deadline_after(d.nanoseconds()), [weak, gen] {
        std::shared_ptr<detail::TimerState> st = weak.lock();
        if (st == nullptr) return;
        std::lock_guard<std::mutex> lock(st->mu);
        if (st->gen != gen || !st->active) return;
        st->active = false;
        (void)st->c.try_send(Instant::now());
      });
  if (s->task.empty()) {
    s->active = false;
    no_scheduler("Timer");
  }
}

// With s->mu held. A Ticker's callback holds its state weakly (the Ticker
// owns it); a `forever` ticker's callback owns it, so the state lives as long
// as a tick is pending: until the scheduler stops and drops the callback.
void arm_ticker_locked(const std::shared_ptr<detail::TickerState>& s) {
  const uint64_t gen = s->gen;
  std::weak_ptr<detail::TickerState> weak = s;
  std::shared_ptr<detail::TickerState> owner = s->forever ? s : nullptr;
  s->task = rt::TimerTask::schedule(s->next, [weak, owner, gen] {
    std::shared_ptr<detail::TickerState> st = weak.lock();
    if (st == nullptr) return;
    std::lock_guard<std::mutex> lock(st->mu);
    if (st->gen != gen || !st->active) return;
    Instant now = Instant::now();
    Instant sent = now;
    (void)st->c.try_send(sent);  // a full channel drops the tick
    // The next tick is due one period after this one was; ticks missed
    // while late are skipped, not queued.
    st->next += st->period;
    if (st->next <= now.nanos()) {
      st->next += ((now.nanos() - st->next) / st->period + 1) * st->period;
    }
    arm_ticker_locked(st);
  });
  if (s->task.empty()) {
    s->active = false;
    no_scheduler("Ticker");
  }
}

// With s->mu held: (re)starts `s` with `period`, the first tick one period
// from now.
void start_ticker_locked(const std::shared_ptr<detail::TickerState>& s,
                         Duration period) {
  s->task.cancel();
  drain(s->c);
  ++s->gen;
  s->active = true;
  s->period = period.nanoseconds();
  s->next = rt::deadline_after(period.nanoseconds());
  arm_ticker_locked(s);
}

}  // namespace

// --- Timer
// ---------------------------------------------------------------------

Timer::Timer(Duration d) : state_(std::make_shared<detail::TimerState>()) {
  std::lock_guard<std::mutex> lock(state_->mu);
  arm_timer_locked(state_, d);
}

Timer::~Timer() {
  if (state_ != nullptr) stop();
}

Timer::Timer(Timer&&) noexcept = default;
Timer& Timer::operator=(Timer&& other) noexcept {
  if (this != &other) {
    if (state_ != nullptr) stop();
    state_ = std::move(other.state_);
  }
  return *this;
}

Chan<Instant> Timer::c() const { return state_->c; }

bool Timer::stop() {
  std::lock_guard<std::mutex> lock(state_->mu);
  const bool was_active = state_->active;
  state_->active = false;
  ++state_->gen;
  state_->task.cancel();
  drain(state_->c);
  return was_active;
}

bool Timer::reset(Duration d) {
  std::lock_guard<std::mutex> lock(state_->mu);
  const bool was_active = state_->active;
  state_->task.cancel();
  drain(state_->c);
  arm_timer_locked(state_, d);
  return was_active;
}

Chan<Instant> after(Duration d) {
  Chan<Instant> c(1);
  rt::TimerTask t = rt::TimerTask::schedule(
      rt::deadline_after(d.nanoseconds()),
      [c]() mutable { (void)c.try_send(Instant::now()); });
  if (t.empty()) no_scheduler("after");
  return c;
}

// --- Ticker
// --------------------------------------------------------------------

Ticker::Ticker(Duration period)
    : state_(std::make_shared<detail::TickerState>()) {
  reset(period);
}

Ticker::~Ticker() {
  if (state_ != nullptr) stop();
}

Ticker::Ticker(Ticker&&) noexcept = default;
Ticker& Ticker::operator=(Ticker&& other) noexcept {
  if (this != &other) {
    if (state_ != nullptr) stop();
    state_ = std::move(other.state_);
  }
  return *this;
}

Chan<Instant> Ticker::c() const { return state_->c; }

void Ticker::stop() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->active = false;
  ++state_->gen;
  state_->task.cancel();
  drain(state_->c);
}

void Ticker::reset(Duration period) {
  if (period <= Duration()) {
    throw std::invalid_argument("non-positive interval for Ticker");
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  start_ticker_locked(state_, period);
}

Chan<Instant> tick(Duration period) {
  if (period <= Duration()) return Chan<Instant>();
  // Never stopped: the pending tick's callback owns the state, and the
  // scheduler drops that callback when it stops, so nothing outlives it.
  auto s = std::make_shared<detail::TickerState>();
  std::lock_guard<std::mutex> lock(s->mu);
  s->forever = true;
  start_ticker_locked(s, period);
  return s->c;
}

}  // namespace mco::time
