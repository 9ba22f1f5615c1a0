// Copyright 2026 The mco Authors.
//
// Randomised model tests of mco/chan (chan.h, select.h): random programs of
// send / receive / close / select on buffered and unbuffered channels and
// the nil channel, with try-, timed and blocking operations, checked against
// Go's semantics. Every program comes from a fixed seed, printed in each
// failure message; re-run one seed with --gtest_filter and MCO_SEED=<seed>.
//
// Two variants:
//  - Stepwise (1 worker): one driver coroutine runs the program one step at a
//    time against a reference model of every channel (buffer, closed flag,
//    FIFO queues of blocked senders and receivers). Blocking operations that
//    must wait run in helper coroutines, which the model records as blocked;
//    on one worker the driver knows when a helper has parked (it ran until
//    it switched out), so after each step the model predicts exactly which
//    helpers have finished and with which value, and the buffers' contents.
//  - Concurrent (all workers, plus plain threads): producers and consumers
//    race; checks the invariants that must hold under any interleaving:
//    every value sent successfully is received exactly once (none lost,
//    duplicated or invented), each consumer sees one producer's values on
//    one channel in sending order, a send that starts after `close` returned
//    throws `ChanClosedError`, a value whose send failed is left untouched,
//    and a receiver that saw "closed" keeps seeing it.
//
// Values are `std::unique_ptr<uint64_t>` with unique ids, so a value moved
// from when it should not have been shows up as null.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "mco/chan/chan.h"
#include "mco/chan/select.h"
#include "mco/go.h"
#include "mco/offload/offload.h"
#include "mco/runtime.h"
#include "tests/test_util.h"

namespace {

using namespace std::chrono_literals;
using mco::Chan;
using mco::ChanClosedError;
using mco::ChanStatus;

using Val = std::unique_ptr<uint64_t>;
using Rng = std::mt19937_64;

Val make_val(uint64_t id) { return std::make_unique<uint64_t>(id); }

// Uniform in [0, n), the same on every standard library.
size_t pick(Rng& rng, size_t n) { return static_cast<size_t>(rng() % n); }
bool chance(Rng& rng, int percent) {
  return static_cast<int>(rng() % 100) < percent;
}

// The seeds to run: 0..n-1, or only MCO_SEED if set.
std::vector<uint64_t> seeds(int n) {
  if (const char* s = std::getenv("MCO_SEED")) {
    return {std::strtoull(s, nullptr, 10)};
  }
  std::vector<uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<uint64_t>(i));
  return out;
}

const size_t kCapacities[] = {0, 0, 1, 2, 3, 8};

// What the programs did, summed over seeds and printed at the end of a test:
// shows that the interesting cases (waiters woken by another operation,
// closes, throws, timeouts) actually happen.
struct Coverage {
  std::atomic<long> sent{0}, received{0}, closed_seen{0}, send_threw{0},
      timed_out{0}, blocked_helpers{0}, select_send{0}, select_recv{0};
  void print(const char* test) const {
    std::printf(
        "%s: %ld sent, %ld received, %ld closed seen, %ld sends threw, "
        "%ld timed out, %ld helpers blocked, %ld select sends, "
        "%ld select receives\n",
        test, sent.load(), received.load(), closed_seen.load(),
        send_threw.load(), timed_out.load(), blocked_helpers.load(),
        select_send.load(), select_recv.load());
  }
};

// ---------------------------------------------------------------------------
// A select of runtime shape: three channel cases (each a send or a receive;
// a case on the nil channel is disabled), then optionally a default or a
// timeout case (position 3).

enum class Mode { kBlock, kDefault, kTimeout };

struct Select {
  std::array<Chan<Val>, 3> chans;  // nil: disabled
  std::array<int, 3> chan_index = {-1, -1, -1};
  std::array<bool, 3> is_send = {};
  std::array<Val, 3> vals;  // send cases' values (lvalues: moved if chosen)
  std::array<uint64_t, 3> ids = {};
  Mode mode = Mode::kBlock;
  std::chrono::microseconds timeout{0};
  bool recv_fired = false;  // a receive case was chosen
  std::optional<Val> got;   // its result (nullopt: closed)
};

template <size_t I, typename... Cases>
size_t run_select(Select& s, Cases&&... cases) {
  if constexpr (I == 3) {
    switch (s.mode) {
      case Mode::kBlock:
        return mco::select(std::forward<Cases>(cases)...);
      case Mode::kDefault:
        return mco::select(std::forward<Cases>(cases)..., mco::default_case());
      case Mode::kTimeout:
        return mco::select(std::forward<Cases>(cases)...,
                           mco::timeout(s.timeout));
    }
    return SIZE_MAX;
  } else {
    if (s.is_send[I]) {
      return run_select<I + 1>(s, std::forward<Cases>(cases)...,
                               mco::send(s.chans[I], s.vals[I]));
    }
    return run_select<I + 1>(s, std::forward<Cases>(cases)...,
                             mco::recv(s.chans[I], [&s](std::optional<Val> v) {
                               s.got = std::move(v);
                               s.recv_fired = true;
                             }));
  }
}

std::string describe(const Select& s) {
  std::ostringstream o;
  o << "select{";
  for (int i = 0; i < 3; ++i) {
    if (s.chan_index[i] < 0) {
      o << "nil ";
    } else {
      o << (s.is_send[i] ? "send " : "recv ") << "c" << s.chan_index[i] << " ";
    }
  }
  o << (s.mode == Mode::kBlock     ? "block"
        : s.mode == Mode::kDefault ? "default"
                                   : "timeout")
    << "}";
  return o.str();
}

// ---------------------------------------------------------------------------
// Stepwise variant: the reference model.

// A helper coroutine running one blocking operation.
struct Helper {
  enum Kind { kSend, kRecv, kSelect };
  enum Outcome { kRunning, kOk, kClosed, kThrewClosed, kOtherError };

  Kind kind = kSend;
  int chan = -1;
  Chan<Val> ch;
  Val send_val;  // kSend
  uint64_t send_id = 0;
  Select sel;  // kSelect
  mco::JoinHandle<void> handle;

  // Written by the helper; read by the driver after `finished`.
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  Outcome out = kRunning;
  size_t chosen = SIZE_MAX;
  std::optional<Val> got;

  // The model's view.
  bool m_blocked = false;  // queued on channels
  bool m_done = false;     // the model says it has finished
  bool checked = false;    // its outcome was compared
  Outcome m_out = kRunning;
  int m_chosen = -1;
  uint64_t m_got = 0;  // the id a receive must get (m_out == kOk)

  std::string what() const {
    std::ostringstream o;
    if (kind == kSend) o << "helper send c" << chan << " id " << send_id;
    if (kind == kRecv) o << "helper recv c" << chan;
    if (kind == kSelect) o << "helper " << describe(sel);
    return o.str();
  }
};

struct QEntry {
  Helper* h;
  int case_index;  // -1 for plain send/recv
};

struct ModelChan {
  size_t cap = 0;
  bool closed = false;
  std::deque<uint64_t> buf;
  std::deque<QEntry> sendq, recvq;
};

class StepModel {
 public:
  StepModel(uint64_t seed, Rng& rng, Coverage& cov)
      : seed_(seed), rng_(rng), cov_(cov) {}

  // Runs one program; returns normally also on failure (gtest records it).
  void run_program();

 private:
  // --- the model ---
  static void drop_inactive(std::deque<QEntry>& q) {
    while (!q.empty() && !q.front().h->m_blocked) q.pop_front();
  }
  bool recv_ready(int c) {
    if (c < 0) return false;
    ModelChan& m = model_[c];
    drop_inactive(m.sendq);
    return !m.buf.empty() || !m.sendq.empty() || m.closed;
  }
  bool send_ready(int c) {
    if (c < 0) return false;
    ModelChan& m = model_[c];
    drop_inactive(m.recvq);
    return m.closed || !m.recvq.empty() || m.buf.size() < m.cap;
  }
  // The id a queued sender sends.
  static uint64_t sender_id(const QEntry& e) {
    return e.case_index < 0 ? e.h->send_id : e.h->sel.ids[e.case_index];
  }
  void complete(const QEntry& e, Helper::Outcome out, uint64_t got = 0) {
    Helper* h = e.h;
    if (out == Helper::kThrewClosed) ++cov_.send_threw;
    if (out == Helper::kClosed) ++cov_.closed_seen;
    h->m_blocked = false;
    h->m_done = true;
    h->m_out = out;
    h->m_chosen = e.case_index;
    h->m_got = got;
  }
  // A receive the model says is ready: the id received, or nullopt (closed).
  std::optional<uint64_t> model_recv(int c) {
    ModelChan& m = model_[c];
    drop_inactive(m.sendq);
    if (!m.buf.empty()) {
      const uint64_t id = m.buf.front();
      m.buf.pop_front();
      if (!m.sendq.empty()) {
        QEntry s = m.sendq.front();
        m.sendq.pop_front();
        m.buf.push_back(sender_id(s));
        complete(s, Helper::kOk);
      }
      return id;
    }
    if (!m.sendq.empty()) {
      QEntry s = m.sendq.front();
      m.sendq.pop_front();
      complete(s, Helper::kOk);
      return sender_id(s);
    }
    EXPECT_TRUE(m.closed) << where();
    ++cov_.closed_seen;
    return std::nullopt;
  }
  // A send the model says is ready, on an open channel.
  void model_send(int c, uint64_t id) {
    ModelChan& m = model_[c];
    drop_inactive(m.recvq);
    if (!m.recvq.empty()) {
      QEntry r = m.recvq.front();
      m.recvq.pop_front();
      complete(r, Helper::kOk, id);
      return;
    }
    m.buf.push_back(id);
  }
  void model_close(int c) {
    ModelChan& m = model_[c];
    m.closed = true;
    for (const QEntry& e : m.recvq) {
      if (e.h->m_blocked) complete(e, Helper::kClosed);
    }
    for (const QEntry& e : m.sendq) {
      if (e.h->m_blocked) complete(e, Helper::kThrewClosed);
    }
    m.recvq.clear();
    m.sendq.clear();
  }

  // --- the program's steps ---
  std::string where() const {
    std::ostringstream o;
    o << "seed " << seed_ << ", step " << step_ << ": " << op_;
    return o.str();
  }
  Chan<Val> chan_of(int c) { return c < 0 ? Chan<Val>() : chans_[c]; }
  int random_chan() {  // -1 (nil) sometimes
    return chance(rng_, 8) ? -1 : static_cast<int>(pick(rng_, chans_.size()));
  }
  void step_try_send();
  void step_try_recv();
  void step_send();
  void step_recv();
  void step_timed_send();
  void step_timed_recv();
  void step_close();
  void step_select(bool in_helper);
  void apply_select_outcome(Select& s, size_t chosen, bool threw,
                            const std::array<bool, 3>& ready);
  void spawn_helper(std::unique_ptr<Helper> h);
  void settle();
  void finish_program();
  void record_received(const Val& v) {
    if (v == nullptr) {
      ADD_FAILURE() << where() << ": received a null value";
      return;
    }
    received_.push_back(*v);
    ++cov_.received;
  }

  const uint64_t seed_;
  Rng& rng_;
  Coverage& cov_;
  int step_ = 0;
  std::string op_;
  uint64_t next_id_ = 1;
  std::vector<Chan<Val>> chans_;
  std::vector<ModelChan> model_;
  std::vector<std::unique_ptr<Helper>> helpers_;
  // Actual observations, for the final conservation check.
  std::vector<uint64_t> sent_;      // values that entered a buffer or a hand
  std::vector<uint64_t> received_;  // values that came out
};

void StepModel::step_try_send() {
  const int c = random_chan();
  const uint64_t id = next_id_++;
  Val v = make_val(id);
  op_ = "try_send c" + std::to_string(c) + " id " + std::to_string(id);
  bool expect_ok = false, expect_throw = false;
  if (c >= 0) {
    expect_throw = model_[c].closed;
    expect_ok = !expect_throw && send_ready(c);
  }
  bool ok = false, threw = false;
  try {
    ok = chan_of(c).try_send(v);
  } catch (const ChanClosedError&) {
    threw = true;
  }
  EXPECT_EQ(threw, expect_throw) << where();
  EXPECT_EQ(ok, expect_ok) << where();
  if (ok) {
    EXPECT_EQ(v, nullptr) << where() << ": sent value not moved";
    sent_.push_back(id);
    if (expect_ok) model_send(c, id);
  } else {
    EXPECT_TRUE(v != nullptr && *v == id) << where() << ": value touched";
  }
}

void StepModel::step_try_recv() {
  const int c = random_chan();
  op_ = "try_recv c" + std::to_string(c);
  auto r = chan_of(c).try_recv();
  if (c < 0 || !recv_ready(c)) {
    EXPECT_EQ(r.status, ChanStatus::kTimeout) << where();
    ++cov_.timed_out;
    return;
  }
  std::optional<uint64_t> want = model_recv(c);
  if (want) {
    ASSERT_EQ(r.status, ChanStatus::kOk) << where();
    ASSERT_TRUE(r.value.has_value() && *r.value != nullptr) << where();
    EXPECT_EQ(**r.value, *want) << where();
    record_received(*r.value);
  } else {
    EXPECT_EQ(r.status, ChanStatus::kClosed) << where();
    EXPECT_FALSE(r.value.has_value()) << where();
  }
}

void StepModel::step_send() {
  const int c = static_cast<int>(pick(rng_, chans_.size()));
  const uint64_t id = next_id_++;
  if (send_ready(c)) {  // completes at once: the driver does it
    op_ = "send c" + std::to_string(c) + " id " + std::to_string(id);
    Val v = make_val(id);
    bool threw = false;
    try {
      chans_[c].send(std::move(v));
    } catch (const ChanClosedError&) {
      threw = true;
    }
    EXPECT_EQ(threw, model_[c].closed) << where();
    if (threw) {
      EXPECT_TRUE(v != nullptr && *v == id) << where() << ": value touched";
    } else {
      EXPECT_EQ(v, nullptr) << where();
      sent_.push_back(id);
      model_send(c, id);
    }
    return;
  }
  auto h = std::make_unique<Helper>();
  h->kind = Helper::kSend;
  h->chan = c;
  h->ch = chans_[c];
  h->send_id = id;
  h->send_val = make_val(id);
  op_ = h->what();
  h->m_blocked = true;
  ++cov_.blocked_helpers;
  model_[c].sendq.push_back({h.get(), -1});
  spawn_helper(std::move(h));
}

void StepModel::step_recv() {
  const int c = static_cast<int>(pick(rng_, chans_.size()));
  if (recv_ready(c)) {
    op_ = "recv c" + std::to_string(c);
    std::optional<Val> got = chans_[c].recv();
    std::optional<uint64_t> want = model_recv(c);
    ASSERT_EQ(got.has_value(), want.has_value()) << where();
    if (want) {
      ASSERT_NE(*got, nullptr) << where();
      EXPECT_EQ(**got, *want) << where();
      record_received(*got);
    }
    return;
  }
  auto h = std::make_unique<Helper>();
  h->kind = Helper::kRecv;
  h->chan = c;
  h->ch = chans_[c];
  op_ = h->what();
  h->m_blocked = true;
  ++cov_.blocked_helpers;
  model_[c].recvq.push_back({h.get(), -1});
  spawn_helper(std::move(h));
}

void StepModel::step_timed_send() {
  const int c = random_chan();
  const uint64_t id = next_id_++;
  Val v = make_val(id);
  op_ = "send_for c" + std::to_string(c) + " id " + std::to_string(id);
  const bool ready = send_ready(c);
  const bool expect_throw = c >= 0 && model_[c].closed;
  bool ok = false, threw = false;
  try {
    ok = chan_of(c).send_for(v, 200us);
  } catch (const ChanClosedError&) {
    threw = true;
  }
  EXPECT_EQ(threw, expect_throw) << where();
  EXPECT_EQ(ok, ready && !expect_throw) << where();
  if (threw) ++cov_.send_threw;
  if (!ready) ++cov_.timed_out;
  if (ok) {
    EXPECT_EQ(v, nullptr) << where();
    sent_.push_back(id);
    if (ready) model_send(c, id);
  } else {
    EXPECT_TRUE(v != nullptr && *v == id) << where() << ": value touched";
  }
}

void StepModel::step_timed_recv() {
  const int c = random_chan();
  op_ = "recv_for c" + std::to_string(c);
  const bool ready = recv_ready(c);
  auto r = chan_of(c).recv_for(200us);
  if (!ready) {
    EXPECT_EQ(r.status, ChanStatus::kTimeout) << where();
    ++cov_.timed_out;
    return;
  }
  std::optional<uint64_t> want = model_recv(c);
  if (want) {
    ASSERT_EQ(r.status, ChanStatus::kOk) << where();
    ASSERT_TRUE(r.value.has_value() && *r.value != nullptr) << where();
    EXPECT_EQ(**r.value, *want) << where();
    record_received(*r.value);
  } else {
    EXPECT_EQ(r.status, ChanStatus::kClosed) << where();
  }
}

void StepModel::step_close() {
  const int c =
      chance(rng_, 5) ? -1 : static_cast<int>(pick(rng_, chans_.size()));
  op_ = "close c" + std::to_string(c);
  const bool expect_throw = c < 0 || model_[c].closed;
  std::string what;
  try {
    chan_of(c).close();
  } catch (const ChanClosedError& e) {
    what = e.what();
  }
  if (!expect_throw) {
    EXPECT_EQ(what, "") << where();
    model_close(c);
  } else {
    EXPECT_EQ(what, c < 0 ? "close of nil channel" : "close of closed channel")
        << where();
  }
}

// A select's outcome against the ready set the model computed before it ran.
void StepModel::apply_select_outcome(Select& s, size_t chosen, bool threw,
                                     const std::array<bool, 3>& ready) {
  bool any_ready = false, closed_send_ready = false;
  for (int i = 0; i < 3; ++i) {
    any_ready = any_ready || ready[i];
    if (ready[i] && s.is_send[i] && model_[s.chan_index[i]].closed) {
      closed_send_ready = true;
    }
  }
  if (threw) {
    // Only a send case on a closed channel may throw; nothing happened.
    EXPECT_TRUE(closed_send_ready) << where() << ": select threw";
    for (int i = 0; i < 3; ++i) {
      if (s.is_send[i]) {
        EXPECT_TRUE(s.vals[i] != nullptr && *s.vals[i] == s.ids[i])
            << where() << ": value of case " << i << " touched";
      }
    }
    return;
  }
  if (!any_ready) {
    EXPECT_EQ(chosen, 3u) << where() << ": nothing was ready";
    ++cov_.timed_out;
  }
  for (int i = 0; i < 3; ++i) {
    if (s.is_send[i] && static_cast<size_t>(i) != chosen) {
      EXPECT_TRUE(s.vals[i] != nullptr && *s.vals[i] == s.ids[i])
          << where() << ": value of unchosen case " << i << " touched";
    }
  }
  if (chosen == 3) return;
  ASSERT_LT(chosen, 3u) << where();
  ASSERT_TRUE(ready[chosen])
      << where() << ": chose case " << chosen << ", which was not ready";
  const int c = s.chan_index[chosen];
  if (s.is_send[chosen]) {
    EXPECT_FALSE(model_[c].closed)
        << where() << ": a send case on a closed channel was chosen";
    EXPECT_EQ(s.vals[chosen], nullptr) << where() << ": sent value not moved";
    sent_.push_back(s.ids[chosen]);
    ++cov_.select_send;
    model_send(c, s.ids[chosen]);
    return;
  }
  std::optional<uint64_t> want = model_recv(c);
  ++cov_.select_recv;
  ASSERT_TRUE(s.recv_fired) << where();
  ASSERT_EQ(s.got.has_value(), want.has_value()) << where();
  if (want) {
    ASSERT_NE(*s.got, nullptr) << where();
    EXPECT_EQ(**s.got, *want) << where();
    record_received(*s.got);
  }
}

void StepModel::step_select(bool in_helper) {
  auto h = std::make_unique<Helper>();
  Select& s = h->sel;
  // Up to three distinct channels (a select has one case per channel here).
  std::vector<int> order(chans_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::shuffle(order.begin(), order.end(), rng_);
  bool any_chan = false;
  for (int i = 0; i < 3; ++i) {
    const bool nil = i >= static_cast<int>(order.size()) || chance(rng_, 25);
    s.chan_index[i] = nil ? -1 : order[i];
    s.chans[i] = chan_of(s.chan_index[i]);
    s.is_send[i] = chance(rng_, 50);
    if (s.is_send[i]) {
      s.ids[i] = next_id_++;
      s.vals[i] = make_val(s.ids[i]);
    }
    any_chan = any_chan || !nil;
  }
  if (in_helper && !any_chan) {
    s.chan_index[0] = order[0];
    s.chans[0] = chans_[order[0]];
  }
  std::array<bool, 3> ready{};
  bool any_ready = false;
  for (int i = 0; i < 3; ++i) {
    ready[i] = s.is_send[i] ? send_ready(s.chan_index[i])
                            : recv_ready(s.chan_index[i]);
    any_ready = any_ready || ready[i];
  }
  if (in_helper) {
    s.mode = Mode::kBlock;
  } else {
    s.mode = chance(rng_, 50) ? Mode::kDefault : Mode::kTimeout;
    s.timeout = std::chrono::microseconds(pick(rng_, 300));
  }
  op_ = (in_helper ? "helper " : "") + describe(s);
  if (!in_helper) {
    size_t chosen = SIZE_MAX;
    bool threw = false;
    try {
      chosen = run_select<0>(s);
    } catch (const ChanClosedError&) {
      threw = true;
    }
    apply_select_outcome(s, chosen, threw, ready);
    return;
  }
  h->kind = Helper::kSelect;
  if (any_ready) {
    // It completes at once, with a case the driver learns afterwards.
    Helper* raw = h.get();
    raw->m_done = raw->checked = true;  // compared here, not by settle()
    spawn_helper(std::move(h));
    for (int i = 0; i < 100000 && !raw->finished.load(); ++i) {
      mco::yield_now();
    }
    ASSERT_TRUE(raw->finished.load()) << where() << ": ready select blocked";
    apply_select_outcome(raw->sel, raw->chosen,
                         raw->out == Helper::kThrewClosed, ready);
    settle();
    return;
  }
  h->m_blocked = true;
  ++cov_.blocked_helpers;
  for (int i = 0; i < 3; ++i) {
    if (s.chan_index[i] < 0) continue;
    ModelChan& m = model_[s.chan_index[i]];
    (s.is_send[i] ? m.sendq : m.recvq).push_back({h.get(), i});
  }
  spawn_helper(std::move(h));
}

void StepModel::spawn_helper(std::unique_ptr<Helper> hp) {
  Helper* h = hp.get();
  helpers_.push_back(std::move(hp));
  h->handle = mco::go([h] {
    h->started = true;
    try {
      switch (h->kind) {
        case Helper::kSend:
          h->ch.send(std::move(h->send_val));
          h->out = Helper::kOk;
          break;
        case Helper::kRecv:
          h->got = h->ch.recv();
          h->out = h->got.has_value() ? Helper::kOk : Helper::kClosed;
          break;
        case Helper::kSelect:
          h->chosen = run_select<0>(h->sel);
          h->out = Helper::kOk;
          if (h->chosen < 3 && !h->sel.is_send[h->chosen] &&
              !h->sel.got.has_value()) {
            h->out = Helper::kClosed;
          }
          break;
      }
    } catch (const ChanClosedError&) {
      h->out = Helper::kThrewClosed;
    } catch (...) {
      h->out = Helper::kOtherError;
    }
    h->finished = true;
  });
  // On one worker the helper runs until it parks (or finishes) before the
  // driver runs again.
  for (int i = 0; i < 100000 && !h->started.load(); ++i) mco::yield_now();
  ASSERT_TRUE(h->started.load()) << where() << ": helper never ran";
}

// Lets every helper the model says is done finish, then compares each
// helper with the model: finished iff the model says so, with its outcome.
void StepModel::settle() {
  auto pending = [&] {
    for (auto& h : helpers_) {
      if (h->m_done && !h->finished.load()) return true;
    }
    return false;
  };
  for (int i = 0; i < 100000 && pending(); ++i) mco::yield_now();
  // A few more turns, so a helper woken by mistake gets to run and show it.
  for (int i = 0; i < 3; ++i) mco::yield_now();
  for (auto& hp : helpers_) {
    Helper& h = *hp;
    if (h.checked) continue;
    if (!h.m_done) {
      EXPECT_FALSE(h.finished.load())
          << where() << ": " << h.what()
          << " finished, but the model says it still waits (outcome " << h.out
          << ")";
      if (h.finished.load()) h.checked = true;
      continue;
    }
    h.checked = true;
    if (!h.finished.load()) {
      ADD_FAILURE() << where() << ": " << h.what()
                    << " still waits, but the model says it finished";
      continue;
    }
    EXPECT_EQ(h.out, h.m_out) << where() << ": " << h.what();
    if (h.kind == Helper::kSelect && h.out != Helper::kThrewClosed) {
      EXPECT_EQ(static_cast<int>(h.chosen), h.m_chosen)
          << where() << ": " << h.what();
    }
    const bool is_send = h.kind == Helper::kSend ||
                         (h.kind == Helper::kSelect && h.m_chosen >= 0 &&
                          h.sel.is_send[h.m_chosen]);
    if (h.out == Helper::kOk && is_send) {
      const uint64_t id =
          h.kind == Helper::kSend ? h.send_id : h.sel.ids[h.m_chosen];
      sent_.push_back(id);
    }
    if (h.out == Helper::kThrewClosed) {
      // The sender's values are all still there.
      if (h.kind == Helper::kSend) {
        EXPECT_TRUE(h.send_val != nullptr && *h.send_val == h.send_id)
            << where() << ": " << h.what() << ": value touched";
      }
      for (int i = 0; i < 3 && h.kind == Helper::kSelect; ++i) {
        if (h.sel.is_send[i]) {
          EXPECT_TRUE(h.sel.vals[i] != nullptr &&
                      *h.sel.vals[i] == h.sel.ids[i])
              << where() << ": " << h.what() << ": value touched";
        }
      }
    }
    if (h.out == Helper::kOk && !is_send) {
      std::optional<Val>& got = h.kind == Helper::kSelect ? h.sel.got : h.got;
      ASSERT_TRUE(got.has_value() && *got != nullptr)
          << where() << ": " << h.what();
      EXPECT_EQ(**got, h.m_got) << where() << ": " << h.what();
      record_received(*got);
    }
  }
  for (size_t c = 0; c < chans_.size(); ++c) {
    EXPECT_EQ(chans_[c].len(), model_[c].buf.size()) << where() << " c" << c;
    EXPECT_EQ(chans_[c].is_closed(), model_[c].closed) << where() << " c" << c;
  }
}

// A model hand-off to a blocked receiver is counted as sent when the
// receiving helper's outcome is checked; the driver's own successful sends
// into a waiting receiver are counted here.
void StepModel::finish_program() {
  op_ = "final close and drain";
  for (size_t c = 0; c < chans_.size(); ++c) {
    if (!model_[c].closed) {
      chans_[c].close();
      model_close(static_cast<int>(c));
    }
  }
  settle();
  for (auto& h : helpers_) {
    EXPECT_TRUE(h->finished.load()) << where() << ": " << h->what();
  }
  for (size_t c = 0; c < chans_.size(); ++c) {
    for (;;) {
      auto r = chans_[c].try_recv();
      if (r.status != ChanStatus::kOk) {
        EXPECT_EQ(r.status, ChanStatus::kClosed) << where() << " c" << c;
        break;
      }
      ASSERT_FALSE(model_[c].buf.empty())
          << where() << " c" << c << ": more values than the model has";
      EXPECT_EQ(**r.value, model_[c].buf.front()) << where() << " c" << c;
      model_[c].buf.pop_front();
      record_received(*r.value);
    }
    EXPECT_TRUE(model_[c].buf.empty())
        << where() << " c" << c << ": " << model_[c].buf.size()
        << " values lost from the buffer";
  }
}

void StepModel::run_program() {
  const size_t nchans = 1 + pick(rng_, 3);
  for (size_t c = 0; c < nchans; ++c) {
    const size_t cap = kCapacities[pick(rng_, std::size(kCapacities))];
    chans_.emplace_back(cap);
    model_.push_back(ModelChan{cap, false, {}, {}, {}});
  }
  const int steps = 120 + static_cast<int>(pick(rng_, 120));
  for (step_ = 0; step_ < steps; ++step_) {
    const size_t r = pick(rng_, 100);
    if (r < 16) {
      step_try_send();
    } else if (r < 32) {
      step_try_recv();
    } else if (r < 47) {
      step_send();
    } else if (r < 62) {
      step_recv();
    } else if (r < 68) {
      step_timed_send();
    } else if (r < 74) {
      step_timed_recv();
    } else if (r < 76) {
      step_close();
    } else if (r < 88) {
      step_select(/*in_helper=*/false);
    } else {
      step_select(/*in_helper=*/true);
    }
    if (::testing::Test::HasFailure()) break;
    settle();
    if (::testing::Test::HasFailure()) break;
  }
  if (!::testing::Test::HasFailure()) finish_program();
  // Every value that entered the channels came out exactly once.
  std::vector<uint64_t> sent = sent_, received = received_;
  std::sort(sent.begin(), sent.end());
  std::sort(received.begin(), received.end());
  cov_.sent += static_cast<long>(sent.size());
  if (!::testing::Test::HasFailure()) {
    EXPECT_EQ(sent, received) << "seed " << seed_;
  }
  // Whatever happened, no helper may outlive its record.
  for (auto& h : helpers_) h->handle.cancel();
  for (auto& h : helpers_) h->handle.join();
}

TEST(ChanModel, StepwiseOnOneWorker) {
  // TSan makes each coroutine switch cost about a millisecond here.
  const int kSeeds = mco_test::kSpawnDivisor >= 1000 ? 10
                     : mco_test::kUnderSanitizer     ? 40
                                                     : 400;
  Coverage cov;
  int rc = mco::run({.workers = 1}, [&] {
    for (uint64_t seed : seeds(kSeeds)) {
      Rng rng(seed);
      StepModel model(seed, rng, cov);
      model.run_program();
      if (::testing::Test::HasFailure()) {
        ADD_FAILURE() << "stopped at seed " << seed
                      << " (re-run with MCO_SEED=" << seed << ")";
        break;
      }
    }
    return 0;
  });
  EXPECT_EQ(rc, 0);
  cov.print("stepwise");
}

// ---------------------------------------------------------------------------
// Concurrent variant.

struct Sent {
  int chan;
  uint64_t id;
};

// Producer p's value ids: p in the high half, its attempt number below.
uint64_t value_id(int producer, uint64_t attempt) {
  return (static_cast<uint64_t>(producer) << 32) | attempt;
}
int producer_of(uint64_t id) { return static_cast<int>(id >> 32); }

class ConcurrentProgram {
 public:
  ConcurrentProgram(uint64_t seed, Coverage& cov)
      : seed_(seed), rng_(seed), cov_(cov) {}

  void run();

 private:
  std::string where() const { return "seed " + std::to_string(seed_); }
  void check();
  void producer(int p, uint64_t seed, int ops, int close_at, int close_chan);
  void consumer(int k, uint64_t seed);
  void record_error(const std::string& e) {
    std::lock_guard<std::mutex> l(mu_);
    if (errors_.size() < 10) errors_.push_back(e);
  }

  const uint64_t seed_;
  Rng rng_;
  Coverage& cov_;
  std::vector<Chan<Val>> chans_;
  std::vector<std::unique_ptr<std::atomic<bool>>> closed_;  // close returned
  std::mutex mu_;
  std::vector<std::string> errors_;
  std::vector<std::vector<Sent>> sent_;      // per producer, in order
  std::vector<std::vector<Sent>> received_;  // per consumer, in order
};

void ConcurrentProgram::producer(int p, uint64_t seed, int ops, int close_at,
                                 int close_chan) {
  Rng rng(seed);
  const int n = static_cast<int>(chans_.size());
  std::vector<Sent>& out = sent_[p];
  uint64_t attempt = 0;
  auto intact = [](const Val& v, uint64_t id) {
    return v != nullptr && *v == id;
  };
  for (int i = 0; i < ops; ++i) {
    if (i == close_at) {
      chans_[close_chan].close();
      closed_[close_chan]->store(true, std::memory_order_release);
    }
    const int c = static_cast<int>(pick(rng, n));
    const bool was_closed = closed_[c]->load(std::memory_order_acquire);
    const uint64_t id = value_id(p, attempt++);
    Val v = make_val(id);
    const size_t kind = pick(rng, 4);
    if (kind < 3) {
      bool ok = false;
      try {
        if (kind == 0) {
          chans_[c].send(std::move(v));
          ok = true;
        } else if (kind == 1) {
          ok = chans_[c].try_send(v);
        } else {
          ok = chans_[c].send_for(v, std::chrono::microseconds(pick(rng, 200)));
        }
      } catch (const ChanClosedError&) {
        ++cov_.send_threw;
        if (!intact(v, id)) record_error("failed send moved its value");
        continue;
      }
      if (was_closed) {
        record_error("a send that began after close did not throw (c" +
                     std::to_string(c) + ")");
      }
      if (ok) {
        if (v != nullptr) record_error("sent value not moved");
        out.push_back({c, id});
      } else {
        ++cov_.timed_out;
        if (!intact(v, id)) record_error("timed-out send moved its value");
      }
      continue;
    }
    // A select sending on up to three channels (one may be nil).
    Select s;
    for (int k = 0; k < 3; ++k) {
      const bool nil = chance(rng, 20);
      s.chan_index[k] = nil ? -1 : static_cast<int>(pick(rng, n));
      // One case per channel.
      for (int j = 0; j < k; ++j) {
        if (s.chan_index[j] == s.chan_index[k]) s.chan_index[k] = -1;
      }
      if (s.chan_index[k] >= 0) s.chans[k] = chans_[s.chan_index[k]];
      s.is_send[k] = true;
      s.ids[k] = k == 0 ? id : value_id(p, attempt++);
      s.vals[k] = make_val(s.ids[k]);
    }
    if (s.chan_index[0] < 0 && s.chan_index[1] < 0 && s.chan_index[2] < 0) {
      s.chan_index[0] = c;
      s.chans[0] = chans_[c];
    }
    const size_t m = pick(rng, 3);
    s.mode = m == 0 ? Mode::kBlock : m == 1 ? Mode::kDefault : Mode::kTimeout;
    s.timeout = std::chrono::microseconds(pick(rng, 200));
    size_t chosen = SIZE_MAX;
    try {
      chosen = run_select<0>(s);
    } catch (const ChanClosedError&) {
      ++cov_.send_threw;
      for (int k = 0; k < 3; ++k) {
        if (!intact(s.vals[k], s.ids[k])) {
          record_error("a select that threw moved a value");
        }
      }
      continue;
    }
    for (int k = 0; k < 3; ++k) {
      if (static_cast<size_t>(k) == chosen) {
        if (s.vals[k] != nullptr) record_error("select: sent value not moved");
        ++cov_.select_send;
        out.push_back({s.chan_index[k], s.ids[k]});
      } else if (!intact(s.vals[k], s.ids[k])) {
        record_error("select: unchosen value moved");
      }
    }
  }
}

// A receive case's function for `select_from`: stores what it got and from
// which channel.
struct Into {
  std::optional<Val>* v;
  int* from;
  int c;
  void operator()(std::optional<Val> x) const {
    *v = std::move(x);
    *from = c;
  }
};

void ConcurrentProgram::consumer(int k, uint64_t seed) {
  Rng rng(seed);
  const int n = static_cast<int>(chans_.size());
  std::vector<bool> seen_closed(n, false);
  int open = n;
  std::vector<Sent>& out = received_[k];
  auto got = [&](int c, std::optional<Val>& v) {
    if (!v.has_value()) {
      ++cov_.closed_seen;
      if (!seen_closed[c]) {
        seen_closed[c] = true;
        --open;
      }
      // Closed stays closed.
      auto again = chans_[c].try_recv();
      if (!again.closed()) record_error("closed channel reopened");
      return;
    }
    if (*v == nullptr) {
      record_error("received a null value");
      return;
    }
    if (seen_closed[c]) record_error("value after closed");
    out.push_back({c, **v});
  };
  while (open > 0) {
    // Consumer 0 always waits on every channel, so no producer stays
    // blocked; the others also wait on single channels.
    const size_t kind = k == 0 ? 0 : pick(rng, 5);
    if (kind == 0) {
      std::vector<mco::RecvCase<Val, Into>> cases;
      std::optional<Val> v;
      int from = -1;
      for (int c = 0; c < n; ++c) {
        // A channel seen closed is left out (nil): it would always be ready.
        cases.push_back(mco::recv(seen_closed[c] ? Chan<Val>() : chans_[c],
                                  Into{&v, &from, c}));
      }
      (void)mco::select_from(cases);
      got(from, v);
      continue;
    }
    int c = static_cast<int>(pick(rng, n));
    if (kind == 1) {
      std::optional<Val> v = chans_[c].recv();
      got(c, v);
    } else if (kind == 2) {
      auto r = chans_[c].try_recv();
      if (!r.timed_out()) got(c, r.value);
      if (r.timed_out()) ++cov_.timed_out;
    } else if (kind == 3) {
      auto r = chans_[c].recv_for(std::chrono::microseconds(pick(rng, 300)));
      if (!r.timed_out()) got(c, r.value);
    } else {
      Select s;
      for (int i = 0; i < 3; ++i) {
        s.chan_index[i] = chance(rng, 20) ? -1 : static_cast<int>(pick(rng, n));
        for (int j = 0; j < i; ++j) {
          if (s.chan_index[j] == s.chan_index[i]) s.chan_index[i] = -1;
        }
        if (s.chan_index[i] >= 0) s.chans[i] = chans_[s.chan_index[i]];
      }
      if (s.chan_index[0] < 0 && s.chan_index[1] < 0 && s.chan_index[2] < 0) {
        s.chan_index[0] = c;
        s.chans[0] = chans_[c];
      }
      const size_t m = pick(rng, 3);
      s.mode = m == 0 ? Mode::kBlock : m == 1 ? Mode::kDefault : Mode::kTimeout;
      s.timeout = std::chrono::microseconds(pick(rng, 300));
      const size_t chosen = run_select<0>(s);
      if (chosen < 3) {
        ++cov_.select_recv;
        got(s.chan_index[chosen], s.got);
      }
    }
  }
}

void ConcurrentProgram::run() {
  const int nchans = 1 + static_cast<int>(pick(rng_, 4));
  const int nprod = 2 + static_cast<int>(pick(rng_, 3));
  const int ncons = 1 + static_cast<int>(pick(rng_, 3));
  const int ops = mco_test::kUnderSanitizer ? 60 : 800;
  for (int c = 0; c < nchans; ++c) {
    chans_.emplace_back(kCapacities[pick(rng_, std::size(kCapacities))]);
    closed_.push_back(std::make_unique<std::atomic<bool>>(false));
  }
  sent_.resize(nprod);
  received_.resize(ncons);
  // Some channels are closed by a producer half-way; the rest at the end.
  std::vector<int> close_at(nprod, -1), close_chan(nprod, -1);
  for (int c = 0; c < nchans; ++c) {
    if (!chance(rng_, 40)) continue;
    const int p = static_cast<int>(pick(rng_, nprod));
    if (close_at[p] >= 0) continue;
    close_at[p] = static_cast<int>(pick(rng_, ops));
    close_chan[p] = c;
  }
  // The last producer and, with two or more, the last consumer are plain
  // threads (they block instead of parking).
  std::vector<mco::JoinHandle<void>> coroutines;
  std::vector<std::thread> threads;
  for (int p = 0; p < nprod; ++p) {
    auto body = [this, p, s = rng_(), ca = close_at[p], cc = close_chan[p],
                 ops] { producer(p, s, ops, ca, cc); };
    if (p == nprod - 1) {
      threads.emplace_back(body);
    } else {
      coroutines.push_back(mco::go(body));
    }
  }
  std::vector<mco::JoinHandle<void>> consumers;
  std::thread consumer_thread;
  for (int k = 0; k < ncons; ++k) {
    auto body = [this, k, s = rng_()] { consumer(k, s); };
    if (k > 0 && k == ncons - 1) {
      consumer_thread = std::thread(body);
    } else {
      consumers.push_back(mco::go(body));
    }
  }
  for (auto& h : coroutines) h.join();
  // Join the threads without blocking a worker.
  mco::offload::block_on([&] {
    for (auto& t : threads) t.join();
  });
  for (int c = 0; c < nchans; ++c) {
    if (!closed_[c]->load()) chans_[c].close();
  }
  for (auto& h : consumers) h.join();
  if (consumer_thread.joinable()) {
    mco::offload::block_on([&] { consumer_thread.join(); });
  }
  check();
}

void ConcurrentProgram::check() {
  for (const std::string& e : errors_) ADD_FAILURE() << where() << ": " << e;
  // Each consumer saw each producer's values on one channel in order.
  std::map<uint64_t, int> chan_of;  // every value sent successfully
  for (const auto& per_producer : sent_) {
    for (const Sent& s : per_producer) {
      if (!chan_of.emplace(s.id, s.chan).second) {
        ADD_FAILURE() << where() << ": id " << s.id << " sent twice";
      }
    }
  }
  size_t received = 0;
  cov_.sent += static_cast<long>(chan_of.size());
  for (size_t k = 0; k < received_.size(); ++k) {
    std::map<std::pair<int, int>, uint64_t> last;  // (producer, chan) -> id
    for (const Sent& r : received_[k]) {
      ++received;
      auto it = chan_of.find(r.id);
      if (it == chan_of.end()) {
        ADD_FAILURE() << where() << ": consumer " << k << " received id "
                      << r.id << ", which was not sent (or twice)";
        continue;
      }
      EXPECT_EQ(it->second, r.chan)
          << where() << ": id " << r.id << " came out of another channel";
      chan_of.erase(it);  // a second receipt of the same id fails above
      auto key = std::make_pair(producer_of(r.id), r.chan);
      auto prev = last.find(key);
      if (prev != last.end()) {
        EXPECT_LT(prev->second, r.id)
            << where() << ": consumer " << k << " got producer "
            << producer_of(r.id) << "'s values on c" << r.chan
            << " out of order";
      }
      last[key] = r.id;
    }
  }
  EXPECT_TRUE(chan_of.empty())
      << where() << ": " << chan_of.size() << " values sent but never received"
      << (chan_of.empty()
              ? ""
              : ", e.g. id " + std::to_string(chan_of.begin()->first));
  for (size_t c = 0; c < chans_.size(); ++c) {
    EXPECT_EQ(chans_[c].len(), 0u) << where() << " c" << c;
    EXPECT_TRUE(chans_[c].is_closed()) << where() << " c" << c;
  }
  EXPECT_GT(received, 0u) << where();
  cov_.received += static_cast<long>(received);
}

TEST(ChanModel, ConcurrentOnAllWorkers) {
  const int kSeeds = mco_test::kUnderSanitizer ? 10 : 100;
  const int workers = static_cast<int>(std::thread::hardware_concurrency());
  Coverage cov;
  int rc = mco::run({.workers = workers < 2 ? 2 : workers}, [&] {
    for (uint64_t seed : seeds(kSeeds)) {
      ConcurrentProgram program(seed, cov);
      program.run();
      if (::testing::Test::HasFailure()) {
        ADD_FAILURE() << "stopped at seed " << seed
                      << " (re-run with MCO_SEED=" << seed << ")";
        break;
      }
    }
    return 0;
  });
  EXPECT_EQ(rc, 0);
  cov.print("concurrent");
}

}  // namespace
