// Copyright 2026 The mco Authors.

#include "mco/local.h"

#include <atomic>
#include <memory>
#include <vector>

#include "runtime/coroutine.h"
#include "runtime/scheduler.h"

namespace mco::detail {
namespace {

std::atomic<uint32_t> next_key{0};

// A plain thread's locals, destroyed at thread exit.
struct ThreadLocals {
  std::vector<rt::LocalSlot> slots;
  ~ThreadLocals() { rt::destroy_locals(slots); }
};

}  // namespace

uint32_t new_local_key() {
  return next_key.fetch_add(1, std::memory_order_relaxed);
}

void*& local_slot(uint32_t key, void (*destroy)(void*)) {
  std::vector<rt::LocalSlot>* slots;
  if (rt::Coroutine* co = rt::current(); co != nullptr) {
    if (co->locals == nullptr) {
      co->locals = std::make_unique<std::vector<rt::LocalSlot>>();
    }
    slots = co->locals.get();
  } else {
    thread_local ThreadLocals thread_locals;
    slots = &thread_locals.slots;
  }
  if (slots->size() <= key) slots->resize(key + 1);
  rt::LocalSlot& slot = (*slots)[key];
  slot.destroy = destroy;
  return slot.value;
}

}  // namespace mco::detail
