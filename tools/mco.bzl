"""Build rules for mco modules: shared objects run by `mco-run`."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

# Targets that hold the runtime's code: a module must never link them, or it
# would carry a second scheduler of its own.
_RUNTIME_TARGETS = ["//stdlib:mco", "@mco//stdlib:mco"]

def mco_module(name, srcs, deps = [], **kwargs):
    """Builds `<name>.so`, a module for `mco-run`.

    The module is compiled against mco's headers only (//stdlib:headers and
    "mco/module.h"); its references to the runtime stay undefined and bind to
    the copy exported by `mco-run` when the module is loaded.

    Args:
      name: the module's name; the target is `name + ".so"`.
      srcs: sources; exactly one of them uses `MCO_MAIN(args)`.
      deps: further libraries (never the runtime itself).
      **kwargs: passed on to cc_binary (copts, local_defines, data, ...).
    """
    for dep in deps:
        if dep in _RUNTIME_TARGETS or dep.startswith("//runtime"):
            fail("mco_module %s: do not depend on %s; mco-run provides the runtime" % (name, dep))
    cc_binary(
        name = name + ".so",
        srcs = srcs,
        deps = deps + [
            "//launcher:module",
            "//stdlib:headers",
        ],
        linkshared = True,
        **kwargs
    )


def mco_package(name, hdrs, srcs = [], header_deps = [], code_deps = []):
    """A stdlib package `mco/<name>`: two targets, both public.

    `headers`: the headers only, included as "mco/<name>/<file>.h"; what a
    module (a shared object run by mco-run) compiles against.
    `code`: the code behind them, linked once into mco-run or a program that
    uses mco as a library (alwayslink, so mco-run exports all of it).

    Args:
      name: the package's directory under stdlib/ (and its include prefix).
      hdrs: public headers.
      srcs: sources and private headers.
      header_deps: other packages' `:headers` the headers include.
      code_deps: what the code needs beyond the core (other `:code`, libs).
    """
    native.cc_library(
        name = "headers",
        hdrs = hdrs,
        include_prefix = "mco/" + name,
        strip_include_prefix = "/stdlib/" + name,
        visibility = ["//visibility:public"],
        deps = ["//stdlib:core_headers"] + header_deps,
    )
    native.cc_library(
        name = "code",
        srcs = srcs,
        alwayslink = True,
        visibility = ["//visibility:public"],
        deps = [":headers", "//stdlib:core"] + code_deps,
    )
