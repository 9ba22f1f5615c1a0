#!/usr/bin/env bash
# Builds mco-run and a sample module, then runs the module through mco-run.
# Usage: tools/run.sh [SAMPLE] [-- ARGS...]     (SAMPLE defaults to hello)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
sample="hello"
if [[ $# -gt 0 && "$1" != "--" ]]; then sample="$1"; shift; fi
bazel build --noshow_progress --ui_event_filters=-info \
  //launcher:mco-run "//samples/${sample}:${sample}.so"
exec bazel-bin/launcher/mco-run "bazel-bin/samples/${sample}/${sample}.so" "$@"
