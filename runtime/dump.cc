// Copyright 2026 The mco Authors.

#include "runtime/dump.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/debugging/symbolize.h"
#include "runtime/coroutine.h"
#include "runtime/park.h"

namespace mco::rt {
namespace {

constexpr int kMaxFrames = 48;

// Follows the frame-pointer chain from `fp`, reading only [lo, hi). On both
// x86-64 and AArch64 a frame record is {caller's frame pointer, return
// address}. Appends the return addresses to `pcs`.
__attribute__((no_sanitize("address", "thread"))) void walk_frames(
    uintptr_t fp, uintptr_t lo, uintptr_t hi, std::vector<uintptr_t>* pcs) {
  while (pcs->size() < kMaxFrames) {
    if (fp < lo || fp + 2 * sizeof(uintptr_t) > hi ||
        fp % sizeof(uintptr_t) != 0) {
      return;
    }
    const auto* record = reinterpret_cast<const uintptr_t*>(fp);
    const uintptr_t pc = record[1];
    const uintptr_t next = record[0];
    if (pc == 0) return;
    pcs->push_back(pc);
    if (next <= fp) return;  // frames only grow towards the stack's top
    fp = next;
  }
}

// The backtrace of a coroutine that is off its stack: the switch frame
// (context_*.S) holds the return address into switch_out and its frame
// pointer.
__attribute__((no_sanitize("address", "thread"))) std::vector<uintptr_t>
saved_backtrace(const Coroutine* co) {
  std::vector<uintptr_t> pcs;
  const auto lo = reinterpret_cast<uintptr_t>(co->stack.limit);
  const auto hi = reinterpret_cast<uintptr_t>(co->stack.top);
  const auto sp = reinterpret_cast<uintptr_t>(co->sp);
  if (sp < lo || sp >= hi) return pcs;
  const auto* frame = reinterpret_cast<const uintptr_t*>(sp);
#if defined(__x86_64__)
  const uintptr_t fp = frame[6], pc = frame[7];  // rbp, return address
#elif defined(__aarch64__)
  const uintptr_t fp = frame[10], pc = frame[11];  // x29, x30
#else
  const uintptr_t fp = 0, pc = 0;
#endif
  if (pc == 0) return pcs;
  pcs.push_back(pc);
  walk_frames(fp, sp, hi, &pcs);
  return pcs;
}

// The caller's own backtrace (it is running, on its own stack).
__attribute__((noinline)) std::vector<uintptr_t> own_backtrace(
    const Coroutine* co) {
  std::vector<uintptr_t> pcs;
  const auto fp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  walk_frames(fp, fp, reinterpret_cast<uintptr_t>(co->stack.top), &pcs);
  return pcs;
}

class Symbols {
 public:
  const std::string& name(uintptr_t pc) {
    auto [it, inserted] = cache_.try_emplace(pc);
    if (inserted) it->second = lookup(pc);
    return it->second;
  }

 private:
  static std::string lookup(uintptr_t pc) {
    // A return address points after the call; pc - 1 is inside it.
    void* at = reinterpret_cast<void*>(pc - 1);
    char buf[1024];
    if (absl::Symbolize(at, buf, sizeof(buf))) {
      // Abseil's demangler gives up on some names (ABI tags): try the C++
      // runtime's.
      if (buf[0] == '_' && buf[1] == 'Z') {
        int status = 0;
        char* d = abi::__cxa_demangle(buf, nullptr, nullptr, &status);
        if (d != nullptr) {
          std::string name = d;
          std::free(d);
          return name;
        }
      }
      return buf;
    }
    Dl_info info;
    if (dladdr(at, &info) != 0 && info.dli_fname != nullptr) {
      char line[1200];
      std::snprintf(line, sizeof(line), "(%s+0x%" PRIxPTR ")", info.dli_fname,
                    pc - reinterpret_cast<uintptr_t>(info.dli_fbase));
      return line;
    }
    return "??";
  }

  absl::flat_hash_map<uintptr_t, std::string> cache_;
};

void append_frames(const std::vector<uintptr_t>& pcs, Symbols* symbols,
                   std::string* out) {
  char line[64];
  for (size_t i = 0; i < pcs.size(); ++i) {
    std::snprintf(line, sizeof(line), "    #%zu 0x%" PRIxPTR " ", i, pcs[i]);
    out->append(line);
    out->append(symbols->name(pcs[i]));
    out->push_back('\n');
  }
}

void write_all(const char* text, size_t n) {
  while (n > 0) {
    const ssize_t w = write(STDERR_FILENO, text, n);
    if (w <= 0) return;
    text += w;
    n -= static_cast<size_t>(w);
  }
}

void write_str(const char* text) { write_all(text, std::strlen(text)); }

}  // namespace

void write_crash_report(const Coroutine* co, const char* what, const void* addr,
                        const void* ucontext) {
  char line[1200];
  std::snprintf(line, sizeof(line),
                "mco: fatal: %s at address %p in coroutine %llu '%s'\n", what,
                addr, static_cast<unsigned long long>(co->id),
                co->name.c_str());
  write_str(line);
  const auto* uc = static_cast<const ucontext_t*>(ucontext);
#if defined(__x86_64__)
  const auto pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  const auto fp = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RBP]);
#elif defined(__aarch64__)
  const auto pc = static_cast<uintptr_t>(uc->uc_mcontext.pc);
  const auto fp = static_cast<uintptr_t>(uc->uc_mcontext.regs[29]);
#else
  const uintptr_t pc = 0, fp = 0;
  (void)uc;
#endif
  // The faulting instruction itself, then the callers by frame pointer.
  uintptr_t pcs[kMaxFrames];
  size_t n = 0;
  if (pc != 0) pcs[n++] = pc + 1;  // printed as a return address below
  const auto lo = reinterpret_cast<uintptr_t>(co->stack.limit);
  const auto hi = reinterpret_cast<uintptr_t>(co->stack.top);
  for (uintptr_t f = fp; n < kMaxFrames;) {
    if (f < lo || f + 2 * sizeof(uintptr_t) > hi ||
        f % sizeof(uintptr_t) != 0) {
      break;
    }
    const auto* record = reinterpret_cast<const uintptr_t*>(f);
    if (record[1] == 0) break;
    pcs[n++] = record[1];
    if (record[0] <= f) break;
    f = record[0];
  }
  for (size_t i = 0; i < n; ++i) {
    char symbol[1024];
    if (!absl::Symbolize(reinterpret_cast<void*>(pcs[i] - 1), symbol,
                         sizeof(symbol))) {
      std::strcpy(symbol, "??");
    }
    std::snprintf(line, sizeof(line), "    #%zu 0x%" PRIxPTR " %s\n", i,
                  pcs[i] - (i == 0 ? 1 : 0), symbol);
    write_str(line);
  }
}

std::string format_dump(const StoppedWorld& world) {
  std::vector<Coroutine*> all = registry_snapshot();
  std::sort(all.begin(), all.end(), [](const Coroutine* a, const Coroutine* b) {
    return a->id < b->id;
  });
  const Coroutine* self = current();
  std::string out;
  char line[256];
  std::snprintf(line, sizeof(line), "mco: %zu coroutine%s on %zu worker%s\n",
                all.size(), all.size() == 1 ? "" : "s", world.running.size(),
                world.running.size() == 1 ? "" : "s");
  out.append(line);
  Symbols symbols;
  for (Coroutine* co : all) {
    int on_worker = -1;
    for (size_t i = 0; i < world.running.size(); ++i) {
      if (world.running[i] == co) on_worker = static_cast<int>(i);
    }
    std::string state;
    std::vector<uintptr_t> pcs;
    if (on_worker >= 0) {
      state = "running on worker " + std::to_string(on_worker);
      if (co == self) pcs = own_backtrace(co);
    } else if (co->low_water == nullptr) {
      state = "not started";
    } else if (co->parker.parked()) {
      state = std::string("parked on ") + wait_reason_name(co->wait_reason);
      pcs = saved_backtrace(co);
    } else {
      state = "runnable";
      pcs = saved_backtrace(co);
    }
    if (co->cancel_requested.load(std::memory_order_relaxed)) {
      state += ", cancel requested";
    }
    out.push_back('\n');
    std::snprintf(line, sizeof(line), "coroutine %llu",
                  static_cast<unsigned long long>(co->id));
    out.append(line);
    if (!co->name.empty()) out.append(" \"" + co->name.str() + "\"");
    out.append(" [" + state + "]");
    out.append(pcs.empty() ? "\n" : ":\n");
    append_frames(pcs, &symbols, &out);
  }
  for (Coroutine* co : all) unref(co);
  return out;
}

std::string coroutine_dump() {
  if (!running()) return "mco: no scheduler is running\n";
  const StoppedWorld world = stop_the_world(kDumpPatience);
  std::string out = format_dump(world);
  start_the_world();
  return out;
}

}  // namespace mco::rt
