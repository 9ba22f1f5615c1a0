#!/usr/bin/env bash
# Prints "PASSED FAILED", the number of test targets that passed and failed,
# from a `bazel test --test_summary=short` log. The last status of each label
# counts; SKIPPED (incompatible) is neither. Used by .ci/run,
# tools/sanitize.sh and tools/aarch64_test.sh.
#
#   read -r passed failed < <(tools/count_results.sh LOG)
set -euo pipefail
awk '
  /^(\/\/|@)[^ ]+ +(\(cached\) +)?(PASSED|FLAKY|FAILED|TIMEOUT|NO STATUS|INCOMPLETE|REMOTE FAILURE|SKIPPED)/ {
    label = $1
    rest = $0
    sub(/^[^ ]+ +(\(cached\) +)?/, "", rest)
    status[label] = rest
  }
  END {
    p = 0; f = 0
    for (l in status) {
      if (status[l] ~ /^(PASSED|FLAKY)/) p++
      else if (status[l] !~ /^SKIPPED/) f++
    }
    print p, f
  }' "$1"
