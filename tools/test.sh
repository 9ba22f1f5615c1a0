#!/usr/bin/env bash
# Runs the whole test suite: installs missing packages, builds, tests.
# Usage: tools/test.sh [extra bazel test flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
exec bazel test //... "$@"
