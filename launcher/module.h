// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: module.h
// -----------------------------------------------------------------------------
//
// The module ABI: what a user module (a shared object run by `mco-run`)
// exports, and the one macro that defines it.
//
// A module defines its entry point with `MCO_MAIN`:
//
//   #include "mco/module.h"
//
//   MCO_MAIN(args) {
//     // args[0] is the module's path; args[1..] follow `--` on mco-run's
//     // command line. This body runs as the main coroutine.
//     return 0;   // mco-run's exit code
//   }
//
// and is built with the Bazel macro `mco_module` from `//tools:mco.bzl`,
// which links the module against the runtime's headers only: the runtime's
// code lives once, in `mco-run`, and the module's references to it are bound
// when `mco-run` loads the module.
//
// `MCO_ABI_VERSION` changes whenever a change to mco's headers makes modules
// built before it incompatible; `mco-run` refuses a module whose
// `mco_module_abi_version()` differs from its own.

#ifndef MCO_LAUNCHER_MODULE_H_
#define MCO_LAUNCHER_MODULE_H_

#include <string>
#include <vector>

#include "mco/go.h"       // IWYU pragma: export
#include "mco/runtime.h"  // IWYU pragma: export

#ifndef MCO_ABI_VERSION
#define MCO_ABI_VERSION 1
#endif

// The two symbols every module exports (C linkage, default visibility).
#define MCO_MODULE_ABI_SYMBOL "mco_module_abi_version"
#define MCO_MODULE_MAIN_SYMBOL "mco_module_main"

namespace mco {
// What a module's entry point receives.
using Args = std::vector<std::string>;
// The signature of `mco_module_main`.
using ModuleMainFn = int (*)(const Args* args);
using ModuleAbiFn = int (*)();
}  // namespace mco

// MCO_MAIN(args)
//
// Defines the module's entry point; `args` names a `const mco::Args&`.
#define MCO_MAIN(args)                                                   \
  static int mco_module_user_main_(const ::mco::Args& args);             \
  extern "C" __attribute__((visibility("default"))) int                  \
  mco_module_abi_version() {                                             \
    return MCO_ABI_VERSION;                                              \
  }                                                                      \
  extern "C" __attribute__((visibility("default"))) int mco_module_main( \
      const ::mco::Args* a) {                                            \
    return mco_module_user_main_(*a);                                    \
  }                                                                      \
  static int mco_module_user_main_(const ::mco::Args& args)

#endif  // MCO_LAUNCHER_MODULE_H_
