// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: mco_run.cc
// -----------------------------------------------------------------------------
//
// `mco-run`: loads a module (a shared object defining `MCO_MAIN`) and runs its
// entry point as the main coroutine of mco's scheduler.
//
//   mco-run [--workers N] [--stack-size SIZE] [--version] [--help]
//           MODULE [-- ARGS...]
//
// Exit codes: the module's return value; 1 if the entry point threw; 2 on bad
// input (flags, a missing or unloadable module, an ABI mismatch), always with
// exactly one line on stderr starting with "mco-run: ".
//
// The runtime is linked into this binary once and exported (`-rdynamic`); a
// module's undefined references to it bind to these symbols when it is loaded.

#include <dlfcn.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "mco/module.h"
#include "mco/runtime.h"

namespace {

constexpr char kProgram[] = "mco-run";
constexpr char kVersion[] = "0.1.0";
constexpr char kUsage[] = "mco-run [OPTIONS] MODULE [-- ARGS...]";

constexpr int kExitThrew = 1;
constexpr int kExitBadInput = 2;

constexpr int kMaxWorkers = 1024;
constexpr size_t kMaxStackSize = size_t{1} << 30;

// Turns `text` into one line: control characters become spaces, runs of
// spaces collapse, and the ends are trimmed.
std::string OneLine(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Prints "mco-run: <message>" as one line on stderr.
void Complain(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", kProgram, OneLine(message).c_str());
  std::fflush(stderr);
}

int BadInput(const std::string& message) {
  Complain(message);
  return kExitBadInput;
}

std::string VersionLine() {
  return std::string(kProgram) + " " + kVersion + " (module ABI " +
         std::to_string(MCO_ABI_VERSION) + ")";
}

std::string FormatBytes(size_t n) {
  if (n >= (size_t{1} << 30) && n % (size_t{1} << 30) == 0) {
    return std::to_string(n >> 30) + "GiB";
  }
  if (n >= (size_t{1} << 20) && n % (size_t{1} << 20) == 0) {
    return std::to_string(n >> 20) + "MiB";
  }
  if (n >= (size_t{1} << 10) && n % (size_t{1} << 10) == 0) {
    return std::to_string(n >> 10) + "KiB";
  }
  return std::to_string(n) + " bytes";
}

// Parses a decimal worker count in [1, kMaxWorkers]. Accepts digits only.
bool ParseWorkers(const std::string& text, int* out) {
  if (text.empty() || text.size() > 9) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > kMaxWorkers) return false;
  *out = value;
  return true;
}

// Shows the usage line with the module arguments, which CLI11 cannot know
// about because they are split off before parsing.
class UsageFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App*, std::string) const override {
    return std::string("Usage: ") + kUsage + "\n";
  }
};

struct Options {
  std::string workers;
  std::string stack_size;
  std::string module;
  bool no_deadlock_check = false;
};

struct Parsed {
  mco::Config config;
  std::string module;
  mco::Args args;  // args[0] = module path, then the words after `--`.
};

// Parses the command line. Returns -1 to go on, or the exit code to exit with
// (after printing what is due).
int ParseCommandLine(int argc, char** argv, Parsed* parsed) {
  // Everything after the first `--` belongs to the module, verbatim.
  std::vector<std::string> ours;
  std::vector<std::string> theirs;
  bool after_separator = false;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (after_separator) {
      theirs.push_back(std::move(word));
    } else if (word == "--") {
      after_separator = true;
    } else {
      ours.push_back(std::move(word));
    }
  }

  CLI::App app(
      "Runs an mco module (a shared object defining MCO_MAIN) as the main "
      "coroutine of the mco scheduler (Go-style stackful coroutines, M:N).",
      kProgram);
  app.formatter(std::make_shared<UsageFormatter>());
  app.set_version_flag("--version", VersionLine(),
                       "Print the version and the module ABI, then exit");
  Options options;
  app.add_option("--workers", options.workers,
                 "Worker threads (1.." + std::to_string(kMaxWorkers) +
                     "; default: the hardware threads)")
      ->type_name("N");
  app.add_option("--stack-size", options.stack_size,
                 "Default maximum coroutine stack, e.g. 64K, 6M, 1G (" +
                     FormatBytes(mco::kMinStackSize) + ".." +
                     FormatBytes(kMaxStackSize) + "; default " +
                     FormatBytes(mco::kDefaultStackSize) + ")")
      ->type_name("SIZE");
  app.add_flag("--no-deadlock-check", options.no_deadlock_check,
               "Do not stop the program when every coroutine is parked and "
               "only another coroutine could wake one (Go's \"all goroutines "
               "are asleep\"); for modules whose own threads wake coroutines");
  app.add_option("MODULE", options.module,
                 "The module to run (a .so built with mco_module)")
      ->type_name("");
  app.footer(
      "ARGS after `--` are passed to the module's entry point (args[1..]; "
      "args[0] is MODULE).\nExit status: the module's return value; 1 if its "
      "entry point threw; 2 on bad input.");

  // CLI11 consumes the vector from the back.
  std::vector<std::string> reversed(ours.rbegin(), ours.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion& e) {
    std::printf("%s\n", e.what());
    return 0;
  } catch (const CLI::ExtrasError& e) {
    return BadInput(std::string(e.what()) +
                    " (module arguments go after `--`; see --help)");
  } catch (const CLI::ParseError& e) {
    return BadInput(std::string(e.what()) + " (see --help)");
  }

  if (!options.workers.empty() || app.count("--workers") > 0) {
    if (!ParseWorkers(options.workers, &parsed->config.workers)) {
      return BadInput("--workers: '" + options.workers +
                      "' is not a whole number from 1 to " +
                      std::to_string(kMaxWorkers));
    }
  }
  if (!options.stack_size.empty() || app.count("--stack-size") > 0) {
    size_t bytes = 0;
    if (!mco::parse_byte_size(options.stack_size, &bytes)) {
      return BadInput("--stack-size: '" + options.stack_size +
                      "' is not a byte size (e.g. 65536, 64K, 6M, 1G)");
    }
    if (bytes < mco::kMinStackSize) {
      return BadInput("--stack-size: " + options.stack_size +
                      " is below the minimum of " +
                      FormatBytes(mco::kMinStackSize));
    }
    if (bytes > kMaxStackSize) {
      return BadInput("--stack-size: " + options.stack_size +
                      " is above the maximum of " + FormatBytes(kMaxStackSize));
    }
    parsed->config.stack_size = bytes;
  }
  parsed->config.detect_deadlock = !options.no_deadlock_check;
  if (options.module.empty()) {
    return BadInput(app.count("MODULE") > 0
                        ? std::string("MODULE is an empty path")
                        : std::string("missing MODULE argument (usage: ") +
                              kUsage + "; see --help)");
  }

  parsed->module = options.module;
  parsed->args.reserve(theirs.size() + 1);
  parsed->args.push_back(options.module);
  for (auto& word : theirs) parsed->args.push_back(std::move(word));
  return -1;
}

// Loads the module and resolves its entry point. Returns -1 on success or the
// exit code (after complaining).
int LoadModule(const std::string& path, mco::ModuleMainFn* main_fn) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) return BadInput(path + ": no such file");
    return BadInput(path + ": " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    return BadInput(path + ": not a regular file" +
                    (S_ISDIR(st.st_mode) ? " (it is a directory)" : ""));
  }

  // A name without a slash would be looked up in the library search path.
  const std::string load_path =
      path.find('/') == std::string::npos ? "./" + path : path;
  void* handle = ::dlopen(load_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = ::dlerror();
    std::string why = error != nullptr ? error : "unknown dlopen error";
    // dlerror() usually starts with the path again.
    const std::string prefix = load_path + ": ";
    if (why.compare(0, prefix.size(), prefix) == 0) why.erase(0, prefix.size());
    return BadInput(path + ": cannot load module: " + why);
  }
  // The handle stays open for the life of the process: the module's code may
  // run until exit (static destructors, atexit handlers).

  ::dlerror();
  auto abi_fn = reinterpret_cast<mco::ModuleAbiFn>(
      ::dlsym(handle, MCO_MODULE_ABI_SYMBOL));
  auto entry = reinterpret_cast<mco::ModuleMainFn>(
      ::dlsym(handle, MCO_MODULE_MAIN_SYMBOL));
  if (abi_fn == nullptr || entry == nullptr) {
    return BadInput(
        path + ": not an mco module: it does not export " +
        (entry == nullptr ? MCO_MODULE_MAIN_SYMBOL : MCO_MODULE_ABI_SYMBOL) +
        " (define the entry point with MCO_MAIN and build with "
        "mco_module)");
  }
  const int module_abi = abi_fn();
  if (module_abi != MCO_ABI_VERSION) {
    return BadInput(path + ": module ABI version " +
                    std::to_string(module_abi) + " does not match " + kProgram +
                    "'s module ABI version " + std::to_string(MCO_ABI_VERSION) +
                    " (rebuild the module against this mco)");
  }
  *main_fn = entry;
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  Parsed parsed;
  int code = ParseCommandLine(argc, argv, &parsed);
  if (code >= 0) return code;

  mco::ModuleMainFn module_main = nullptr;
  code = LoadModule(parsed.module, &module_main);
  if (code >= 0) return code;

  std::fflush(stdout);
  try {
    code = mco::run(parsed.config, [&] { return module_main(&parsed.args); });
  } catch (const std::exception& e) {
    std::fflush(stdout);
    Complain(std::string("module main threw: ") + e.what());
    return kExitThrew;
  } catch (...) {
    std::fflush(stdout);
    Complain("module main threw: an exception not derived from std::exception");
    return kExitThrew;
  }
  std::fflush(stdout);
  return code;
}
