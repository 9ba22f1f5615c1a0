#!/usr/bin/env bash
# Tests mco for AArch64 Linux on this x86-64 machine: cross-compiled with
# Debian's g++-aarch64-linux-gnu, run under qemu-user.
#
#   tools/aarch64_test.sh [gtest flags...]
#       Quick (what CI runs): the context-switch test only,
#       runtime/context_aarch64.S + tests/context_test.cc, compiled directly
#       with the cross g++ (no Bazel) against Debian's arm64 googletest.
#       e.g. tools/aarch64_test.sh --gtest_filter=*Fp*
#
#   tools/aarch64_test.sh --all [bazel test flags or targets...]
#       The whole suite: every test under //tests/... (or the targets given),
#       built by Bazel with the cross toolchain in tools/toolchains/aarch64
#       (--config=aarch64, output base /tmp/bazel-aarch64 so it does not
#       disturb the x86-64 build) and run under qemu-aarch64 with Bazel's
#       timeouts tripled. Ends with "aarch64: N passed, N failed, N excluded".
#       e.g. tools/aarch64_test.sh --all //tests/chan/...
#
# Installs what is missing (g++-aarch64-linux-gnu, qemu-user and the arm64
# -dev packages, which need `dpkg --add-architecture arm64`; for --all also
# the host packages of tools/install_deps.sh, Bazel among them); when
# everything is present it only runs dpkg-query.
#
# --all needs the kernel to run AArch64 executables through qemu (binfmt_misc)
# because some tests start programs of their own (mco-run, and gtest's
# "threadsafe" death tests re-execute the test binary). If qemu-aarch64 is not
# registered, the script registers it when it runs as root (or with sudo);
# if that is impossible, those tests are excluded and the summary says so.
#
# Exits non-zero if the build or any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

all=0
if [[ ${1:-} == --all ]]; then
  all=1
  shift
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}

packages=(g++-aarch64-linux-gnu libgtest-dev:arm64)
if ((all)); then
  # libgmock-dev: @system//:gtest_main links -lgmock. Installing these pulls in
  # libc6:arm64, the multiarch C library the tests then run on.
  packages+=(libgmock-dev:arm64 libuv1-dev:arm64 libabsl-dev:arm64
    libmimalloc-dev:arm64)
fi
missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
if ! command -v qemu-aarch64 >/dev/null &&
  ! command -v qemu-aarch64-static >/dev/null; then
  missing+=(qemu-user)
fi

if ((${#missing[@]})); then
  echo "aarch64_test: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $SUDO dpkg --add-architecture arm64
  fi
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
if ((all)); then
  tools/install_deps.sh  # Bazel, CLI11's headers, curl, ...
fi

QEMU=$(command -v qemu-aarch64 || command -v qemu-aarch64-static)

# The dynamic loader and the C library must come from the same package.
# Debian has two arm64 C libraries: the cross compiler's (libc6-arm64-cross,
# /usr/aarch64-linux-gnu) and the multiarch one (libc6:arm64,
# /lib/aarch64-linux-gnu, pulled in by the arm64 -dev packages). With
# `qemu-aarch64 -L /usr/aarch64-linux-gnu` the cross loader still finds the
# multiarch libc.so.6 first when both are installed; the two are different
# builds of glibc 2.36 and the pair breaks in fork(): the child loops forever
# in glibc's fork handling (found as hanging death tests). So: the multiarch
# pair when it is there (qemu's default, no prefix), else the cross one.
qemu_args=()
if [[ ! -e /lib/ld-linux-aarch64.so.1 ]]; then
  qemu_args=(-L /usr/aarch64-linux-gnu)
fi

# --- Quick: the context-switch test, outside Bazel ---------------------------
if ((!all)); then
  CXX=aarch64-linux-gnu-g++
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT

  # Same warning and optimisation flags as .bazelrc; warnings are errors here.
  $CXX -std=c++17 -O2 -g1 -Wall -Wextra -Wno-unused-parameter -Werror \
    -I. -pthread \
    runtime/context_aarch64.S runtime/context_x86_64.S tests/context_test.cc \
    -lgtest_main -lgtest \
    -o "$out/context_test"

  echo "aarch64_test: built in $((SECONDS - start)) s; running under $QEMU" >&2
  status=0
  "$QEMU" "${qemu_args[@]}" "$out/context_test" "$@" || status=$?
  echo "aarch64_test: exit status $status, $((SECONDS - start)) s in total" >&2
  exit "$status"
fi

# --- All: the suite, built by Bazel with the cross toolchain -----------------

# binfmt_misc: lets the kernel hand AArch64 executables to qemu, so that a
# test under qemu can start another AArch64 program. The magic and mask match
# a little-endian ELF64 executable or shared object for EM_AARCH64 (0xb7).
# Flag F: the kernel opens the interpreter now, so it also works in sandboxes.
BINFMT=/proc/sys/fs/binfmt_misc
binfmt_ok() {
  local f
  for f in "$BINFMT"/qemu-aarch64*; do
    [[ -r $f ]] && head -1 "$f" | grep -qx enabled && return 0
  done
  return 1
}
if ! binfmt_ok; then
  echo "aarch64_test: registering $QEMU for AArch64 executables (binfmt_misc)" >&2
  magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
  mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
  # The kernel itself decodes the \x escapes.
  $SUDO sh -c "mountpoint -q $BINFMT || mount -t binfmt_misc binfmt_misc $BINFMT
    echo ':qemu-aarch64:M::$magic:$mask:$QEMU:F' > $BINFMT/register" \
    2>/dev/null || true
fi

OUTPUT_BASE=${MCO_AARCH64_OUTPUT_BASE:-/tmp/bazel-aarch64}
flags=(
  --config=aarch64
  --symlink_prefix=/  # no bazel-* links: they belong to the x86-64 build
  --run_under="$QEMU${qemu_args[*]:+ ${qemu_args[*]}}"
  # Bazel's short/moderate/long/eternal timeouts, tripled: emulated code runs
  # several times slower.
  --test_timeout=180,900,2700,10800
  --test_summary=short
  --keep_going
)
# parked_memory_test measures the process's RSS and mappings with a million
# parked coroutines (6 TB of reserved stack address space). Under qemu-user
# /proc/self/status is the qemu process's, whose RSS adds qemu's own memory
# (translated code, its per-page records of the guest's mappings) to mco's,
# so the bound it checks means nothing there; and it is the suite's heaviest
# test natively (minutes, ~5 GB): emulated, it grew past 2 GB in its first
# minute before it was stopped.
excluded=(//tests:parked_memory_test)
excluded_why=("measures RSS and mappings, which under qemu-user are qemu's")
if ! binfmt_ok; then
  echo "aarch64_test: warning: the kernel cannot run AArch64 executables" \
    "(no binfmt_misc registration for qemu-aarch64, and registering one" \
    "failed); excluding the tests that start AArch64 programs" >&2
  excluded+=(//tests:launcher_test //tests:net_samples_test)
  excluded_why+=("starts mco-run (needs binfmt_misc)" "starts mco-run (needs binfmt_misc)")
  flags+=(--test_filter=-StackOverflowDeathTest.*:WakerShutdownDeathTest.*)
  excluded+=("StackOverflowDeathTest.* WakerShutdownDeathTest.*")
  excluded_why+=("threadsafe death tests re-execute the binary (needs binfmt_misc)")
fi

targets=()
extra=()
for a in "$@"; do
  if [[ $a == //* || $a == -//* ]]; then targets+=("$a"); else extra+=("$a"); fi
done
((${#targets[@]})) || targets=(//tests/...)
for t in "${excluded[@]}"; do
  [[ $t == //* ]] && targets+=("-$t")
done

log=$(mktemp "${TMPDIR:-/tmp}/mco-aarch64.XXXXXX.log")
echo "aarch64_test: bazel test ${targets[*]} for aarch64 under $QEMU" \
  "(log: $log)" >&2
set +e
bazel --output_base="$OUTPUT_BASE" test "${flags[@]}" "${extra[@]}" \
  --color=no --curses=no -- "${targets[@]}" </dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# Bazel's per-target results (tools/count_results.sh).
read -r passed failed < <(tools/count_results.sh "$log")
passed=${passed:-0}
failed=${failed:-0}
if ((rc != 0 && failed == 0)); then failed=1; fi  # the build failed

echo
echo "aarch64_test: excluded under qemu-user:"
for i in "${!excluded[@]}"; do
  echo "  ${excluded[$i]}: ${excluded_why[$i]}"
done
echo "aarch64_test: $((SECONDS - start)) s in total"
echo "aarch64: ${passed} passed, ${failed} failed, ${#excluded[@]} excluded"
exit "$rc"
