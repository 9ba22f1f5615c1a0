// Copyright 2026 The mco Authors.

#include "mco/runtime.h"

#include <exception>
#include <stdexcept>

#include "runtime/check.h"
#include "runtime/clock.h"
#include "runtime/coroutine.h"
#include "runtime/dump.h"
#include "runtime/monitor.h"
#include "runtime/scheduler.h"
#include "runtime/stack_pool.h"

namespace mco {
namespace {

static_assert(kMinStackSize == rt::kMinStackBytes);

// How long coroutines left over when main returns get to unwind.
constexpr rt::Nanos kShutdownGrace = 2'000'000'000;

}  // namespace

int run(const Config& config, std::function<int()> main_fn) {
  if (rt::current() != nullptr) {
    throw std::logic_error("mco: run() called from a coroutine");
  }
  if (rt::running()) {
    throw std::logic_error("mco: run() while the scheduler is running");
  }
  rt::boot(config.workers, config.stack_size);
  rt::set_deadlock_detection(config.detect_deadlock);
  int result = 0;
  rt::Coroutine* main_co = rt::spawn([&] { result = main_fn(); }, "main", 0);
  bool cancelled = false;
  rt::wait_done(main_co, rt::kNoDeadline, &cancelled);
  std::exception_ptr ex = main_co->exception;
  rt::unref(main_co);
  // Coroutines left over may ignore cancellation and park for good; that is
  // reported below, not as a deadlock.
  rt::set_deadlock_detection(false);
  rt::registry_cancel_all(nullptr);
  if (!rt::wait_no_live(rt::deadline_after(kShutdownGrace), 0)) {
    rt::report(
        "%lld coroutine(s) still running after cancellation; "
        "leaving them",
        static_cast<long long>(rt::live_coroutines()));
  }
  rt::shutdown();
  if (ex) std::rethrow_exception(ex);
  return result;
}

bool scheduler_running() { return rt::running(); }

std::string coroutine_dump() { return rt::coroutine_dump(); }

ExternalWakeSource::ExternalWakeSource() : held_(true) {
  rt::add_wake_sources(1);
}

ExternalWakeSource::~ExternalWakeSource() {
  if (held_) rt::add_wake_sources(-1);
}

ExternalWakeSource::ExternalWakeSource(ExternalWakeSource&& other) noexcept
    : held_(other.held_) {
  other.held_ = false;
}

ExternalWakeSource& ExternalWakeSource::operator=(
    ExternalWakeSource&& other) noexcept {
  if (this != &other) {
    if (held_) rt::add_wake_sources(-1);
    held_ = other.held_;
    other.held_ = false;
  }
  return *this;
}

int num_workers() { return rt::worker_count(); }

size_t default_stack_size() { return rt::default_stack(); }

}  // namespace mco
