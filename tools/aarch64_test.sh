#!/usr/bin/env bash
# Cross-builds the context-switch test for AArch64 Linux (outside Bazel) and
# runs it under qemu-user: runtime/context_aarch64.S + tests/context_test.cc,
# linked against Debian's arm64 googletest (static archives).
#
# Installs what is missing (g++-aarch64-linux-gnu, qemu-user,
# libgtest-dev:arm64, which needs `dpkg --add-architecture arm64`); when
# everything is present it only runs dpkg-query.
#
# Usage: tools/aarch64_test.sh [gtest flags...]   e.g. --gtest_filter=*Fp*
# Exits non-zero if the build or any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}

missing=()
installed g++-aarch64-linux-gnu || missing+=(g++-aarch64-linux-gnu)
if ! command -v qemu-aarch64 >/dev/null &&
  ! command -v qemu-aarch64-static >/dev/null; then
  missing+=(qemu-user)
fi
installed libgtest-dev:arm64 || missing+=(libgtest-dev:arm64)

if ((${#missing[@]})); then
  echo "aarch64_test: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $SUDO dpkg --add-architecture arm64
  fi
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

QEMU=$(command -v qemu-aarch64 || command -v qemu-aarch64-static)
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
"$QEMU" -L /usr/aarch64-linux-gnu "$out/context_test" "$@" || status=$?
echo "aarch64_test: exit status $status, $((SECONDS - start)) s in total" >&2
exit "$status"
