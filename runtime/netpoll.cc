// Copyright 2026 The mco Authors.

#include "runtime/netpoll.h"

#include <errno.h>
#include <poll.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "runtime/check.h"
#include "runtime/park.h"
#include "runtime/scheduler.h"
#include "runtime/spinlock.h"
#include "runtime/wait_queue.h"

namespace mco::rt {

// One direction of a descriptor. Guarded by PollDesc::mu except `deadline`
// and `reads`.
struct PollSide {
  bool ready = false;   // an edge arrived that no waiter consumed yet
  bool hangup = false;  // an edge carried end of stream, hang-up or error
  // Stream reads (poll_begin_read): the number of the last one begun << 1 |
  // "it emptied the socket". Bumped under the lock; the drained bit is set by
  // a CAS that fails if another read began meanwhile.
  std::atomic<uint64_t> reads{0};
  WaitQueue waiters;
  std::atomic<Nanos> deadline{kNoDeadline};
};

struct PollDesc {
  uint32_t index = 0;
  std::atomic<uint32_t> seq{0};  // bumped at every reuse
  int fd = -1;
  // Operations in flight * 4 | owner gone (2) | closed (1).
  std::atomic<uint64_t> state{0};
  std::atomic<bool> fd_closed{false};
  SpinLock mu;
  bool closed = false;  // guarded by mu; mirrors state's closed bit
  PollSide side[2];
  PollDesc* next_free = nullptr;  // guarded by the table's lock
};

namespace {

constexpr uint64_t kClosedBit = 1;
constexpr uint64_t kOwnerGoneBit = 2;
constexpr uint64_t kOneOp = 4;
constexpr uint32_t kChunkSize = 1024;
constexpr uint32_t kMaxChunks = 16384;  // 16M descriptors
constexpr int kHarvestBatch = 128;

uint64_t ops_of(uint64_t state) { return state / kOneOp; }

struct Table {
  std::mutex mu;
  PollDesc* free_list = nullptr;
  uint32_t used = 0;  // records handed out at least once
  std::atomic<PollDesc*> chunks[kMaxChunks] = {};
  int epfd = -1;
};

Table& table() {
  static Table* t = [] {
    auto* t = new Table();
    t->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (t->epfd < 0) fatal("epoll_create1 failed (errno %d)", errno);
    return t;
  }();
  return *t;
}

PollDesc* allocate() {
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mu);
  if (PollDesc* pd = t.free_list) {
    t.free_list = pd->next_free;
    pd->next_free = nullptr;
    return pd;
  }
  const uint32_t index = t.used;
  const uint32_t chunk = index / kChunkSize;
  if (chunk >= kMaxChunks) return nullptr;
  PollDesc* base = t.chunks[chunk].load(std::memory_order_relaxed);
  if (base == nullptr) {
    base = new PollDesc[kChunkSize];
    for (uint32_t i = 0; i < kChunkSize; ++i) {
      base[i].index = chunk * kChunkSize + i;
    }
    t.chunks[chunk].store(base, std::memory_order_release);
  }
  ++t.used;
  return &base[index % kChunkSize];
}

PollDesc* lookup(uint32_t index) {
  PollDesc* base =
      table().chunks[index / kChunkSize].load(std::memory_order_acquire);
  return base == nullptr ? nullptr : &base[index % kChunkSize];
}

void recycle(PollDesc* pd) {
  Table& t = table();
  {
    std::lock_guard<SpinLock> lock(pd->mu);
    pd->seq.fetch_add(1, std::memory_order_relaxed);
    pd->closed = false;
    for (PollSide& s : pd->side) {
      s.ready = false;
      s.hangup = false;
      s.reads.store(0, std::memory_order_relaxed);
      s.deadline.store(kNoDeadline, std::memory_order_relaxed);
    }
  }
  std::lock_guard<std::mutex> lock(t.mu);
  pd->next_free = t.free_list;
  t.free_list = pd;
}

void close_fd_once(PollDesc* pd, int fd) {
  if (!pd->fd_closed.exchange(true, std::memory_order_acq_rel)) ::close(fd);
}

// An edge in `side`: wakes its waiters, or remembers it for the next one.
void edge(PollSide& s) {
  if (s.waiters.notify_all() == 0) s.ready = true;
}

// Without a scheduler nobody harvests: wait on the descriptor itself, in
// slices so that a close is noticed.
IoWait poll_wait_directly(PollDesc* pd, IoDir dir, Nanos deadline) {
  constexpr Nanos kSlice = 50'000'000;
  pollfd p{pd->fd, static_cast<short>(dir == IoDir::kRead ? POLLIN : POLLOUT),
           0};
  for (;;) {
    {
      std::lock_guard<SpinLock> lock(pd->mu);
      if (pd->closed) return IoWait::kClosed;
    }
    const Nanos dl =
        std::min(deadline, pd->side[static_cast<int>(dir)].deadline.load());
    const Nanos now = now_nanos();
    if (dl != kNoDeadline && now >= dl) return IoWait::kTimedOut;
    const Nanos wait = dl == kNoDeadline ? kSlice : std::min(kSlice, dl - now);
    const int ms = static_cast<int>((wait + 999'999) / 1'000'000);
    const int n = ::poll(&p, 1, ms);
    if (n > 0) return IoWait::kReady;
    if (n < 0 && errno != EINTR) return IoWait::kReady;  // let the call fail
  }
}

}  // namespace

int netpoll_fd() { return table().epfd; }

void netpoll_harvest() {
  epoll_event events[kHarvestBatch];
  for (;;) {
    const int n = epoll_wait(table().epfd, events, kHarvestBatch, 0);
    if (n <= 0) return;
    for (int i = 0; i < n; ++i) {
      const uint64_t data = events[i].data.u64;
      PollDesc* pd = lookup(static_cast<uint32_t>(data));
      if (pd == nullptr) continue;
      const uint32_t ev = events[i].events;
      std::lock_guard<SpinLock> lock(pd->mu);
      if (pd->seq.load(std::memory_order_relaxed) !=
              static_cast<uint32_t>(data >> 32) ||
          pd->closed) {
        continue;  // a stale event of a closed descriptor
      }
      const bool hup = (ev & (EPOLLHUP | EPOLLERR)) != 0;
      // End of stream or an error is readable without new data: a read
      // must never again be skipped as bound to fail (poll_begin_read).
      if (hup || (ev & EPOLLRDHUP) != 0) pd->side[0].hangup = true;
      if (hup || (ev & (EPOLLIN | EPOLLRDHUP)) != 0) edge(pd->side[0]);
      if (hup || (ev & EPOLLOUT) != 0) edge(pd->side[1]);
    }
    if (n < kHarvestBatch) return;
  }
}

PollDesc* poll_open(int fd) {
  PollDesc* pd = allocate();
  if (pd == nullptr) {
    ::close(fd);
    errno = EMFILE;
    return nullptr;
  }
  pd->fd = fd;
  pd->fd_closed.store(false, std::memory_order_relaxed);
  pd->state.store(0, std::memory_order_release);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 =
      pd->index | (uint64_t{pd->seq.load(std::memory_order_relaxed)} << 32);
  if (epoll_ctl(table().epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    const int err = errno;
    ::close(fd);
    pd->state.store(kClosedBit | kOwnerGoneBit, std::memory_order_relaxed);
    recycle(pd);
    errno = err;
    return nullptr;
  }
  return pd;
}

int poll_fd(const PollDesc* pd) { return pd->fd; }

bool poll_acquire(PollDesc* pd) {
  const uint64_t s = pd->state.fetch_add(kOneOp, std::memory_order_acq_rel);
  if ((s & kClosedBit) != 0) {
    poll_release(pd);
    return false;
  }
  return true;
}

void poll_release(PollDesc* pd) {
  const int fd = pd->fd;
  const uint64_t s =
      pd->state.fetch_sub(kOneOp, std::memory_order_acq_rel) - kOneOp;
  if (ops_of(s) != 0) return;
  if ((s & kClosedBit) != 0) close_fd_once(pd, fd);
  if ((s & kOwnerGoneBit) != 0) recycle(pd);
}

uint64_t poll_begin_read(PollDesc* pd, bool may_skip) {
  PollSide& s = pd->side[static_cast<int>(IoDir::kRead)];
  std::lock_guard<SpinLock> lock(pd->mu);
  const uint64_t r = s.reads.load(std::memory_order_relaxed);
  if (may_skip && (r & 1) != 0 && !s.ready && !s.hangup && !pd->closed) {
    return 0;
  }
  s.ready = false;
  const uint64_t ticket = (r >> 1) + 1;
  s.reads.store(ticket << 1, std::memory_order_relaxed);
  return ticket;
}

void poll_end_read(PollDesc* pd, uint64_t ticket, bool drained) {
  if (!drained) return;  // poll_begin_read cleared the bit
  uint64_t expected = ticket << 1;
  pd->side[static_cast<int>(IoDir::kRead)].reads.compare_exchange_strong(
      expected, expected | 1, std::memory_order_relaxed);
}

IoWait poll_wait(PollDesc* pd, IoDir dir, Nanos deadline) {
  if (!running()) return poll_wait_directly(pd, dir, deadline);
  PollSide& s = pd->side[static_cast<int>(dir)];
  for (;;) {
    pd->mu.lock();
    if (pd->closed) {
      pd->mu.unlock();
      return IoWait::kClosed;
    }
    const Nanos dl =
        std::min(deadline, s.deadline.load(std::memory_order_acquire));
    if (dl != kNoDeadline && now_nanos() >= dl) {
      pd->mu.unlock();
      return IoWait::kTimedOut;
    }
    if (s.ready) {
      s.ready = false;
      pd->mu.unlock();
      return IoWait::kReady;
    }
    const WakeReason r = s.waiters.wait(pd->mu, WaitReason::kIo, dl);
    if (r == WakeReason::kCancelled) return IoWait::kCancelled;
    if (r == WakeReason::kNotified) {
      // An edge, a close, or a new deadline: re-check the last two, else
      // let the caller retry its call.
      std::lock_guard<SpinLock> lock(pd->mu);
      if (pd->closed) return IoWait::kClosed;
      const Nanos now_dl =
          std::min(deadline, s.deadline.load(std::memory_order_acquire));
      if (now_dl != kNoDeadline && now_nanos() >= now_dl) {
        return IoWait::kTimedOut;
      }
      return IoWait::kReady;
    }
    // Timed out: unless the deadline moved meanwhile, that is the answer.
  }
}

void poll_set_deadline(PollDesc* pd, IoDir dir, Nanos deadline) {
  PollSide& s = pd->side[static_cast<int>(dir)];
  std::lock_guard<SpinLock> lock(pd->mu);
  s.deadline.store(deadline, std::memory_order_release);
  s.waiters.notify_all();
}

bool poll_close(PollDesc* pd) {
  // Hold the number while deregistering it, so it cannot be closed (and
  // reused) under the epoll_ctl.
  pd->state.fetch_add(kOneOp, std::memory_order_acq_rel);
  const uint64_t before =
      pd->state.fetch_or(kClosedBit, std::memory_order_acq_rel);
  const bool first = (before & kClosedBit) == 0;
  if (first) {
    epoll_ctl(table().epfd, EPOLL_CTL_DEL, pd->fd, nullptr);
    std::lock_guard<SpinLock> lock(pd->mu);
    pd->closed = true;
    for (PollSide& s : pd->side) s.waiters.notify_all();
  }
  poll_release(pd);
  return first;
}

void poll_free(PollDesc* pd) {
  poll_close(pd);
  const uint64_t s =
      pd->state.fetch_or(kOwnerGoneBit, std::memory_order_acq_rel);
  if (ops_of(s) == 0) recycle(pd);
}

}  // namespace mco::rt
