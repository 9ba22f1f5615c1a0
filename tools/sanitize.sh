#!/usr/bin/env bash
# Runs the test suite under the sanitizers: ASan+UBSan (with LeakSanitizer)
# and TSan, each in its own Bazel output base, and ends with one plain line
# per config and a total "N passed, N failed" counted from Bazel's
# per-target results (as .ci/run counts them).
#
#   tools/sanitize.sh [asan|tsan|all] [--all-targets] [extra bazel args...]
#
#   asan|tsan|all   which config(s) to run (default: all, ASan first)
#   --all-targets   every test (//tests/... //launcher/... //samples/...)
#                   instead of the default subset
#   extra args      go to `bazel test`, e.g. --test_filter=... or targets
#                   (targets given replace the default set)
#
# The default subset covers the runtime (scheduler, context, stacks, park/
# ready, timers, deadlines, cancellation, locals), chan/select, sync, time,
# net (with HTTP and WebSocket), TLS and the launcher (mco-run end to end);
# it leaves out the containers, queues, files, offload, signals, errors,
# util, Redis and the network samples, which `--all-targets` adds.
#
# Times on this project's 2-core VM, in CI on a clean clone (2026-11-27,
# 81 test targets, cold): ASan (-O0) over every test 532-611 s, TSan (-O1)
# over every test 605-636 s. The build dominates a cold run.
#
# Output bases: ${MCO_SANITIZE_OUTPUT_BASE}-<config>, by default
# /tmp/bazel-mco-<checkout>-<config>: one per config and per checkout, so a
# sanitizer build evicts neither the normal build's cache nor another
# checkout's. No bazel-* symlinks are made (--symlink_prefix=/).
#
# Installs missing packages first (tools/install_deps.sh). Needs no terminal.
# Exits non-zero if a build or a test failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

configs=(asan tsan)
case "${1:-}" in
  asan | tsan) configs=("$1"); shift ;;
  all) shift ;;
  -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
esac

# The default subset (see above).
SUBSET=(
  //tests:cancel_test
  //tests:context_test
  //tests:deadline_test
  //tests:dump_test
  //tests:go_test
  //tests:launcher_test
  //tests:local_test
  //tests:monitor_test
  //tests:run_queue_test
  //tests:scheduler_test
  //tests:scope_test
  //tests:sleep_test
  //tests:stack_test
  //tests:timer_task_test
  //tests:waker_test
  //tests/chan/...
  //tests/sync/...
  //tests/time/...
  //tests/net/...
  //tests/crypto/...
)
ALL=(//tests/... //launcher/... //samples/...)

targets=("${SUBSET[@]}")
args=()
own_targets=0
for a in "$@"; do
  case "$a" in
    --all-targets) targets=("${ALL[@]}") ;;
    //* | @*) args+=("$a"); own_targets=1 ;;
    *) args+=("$a") ;;
  esac
done
if ((own_targets)); then targets=(); fi

tools/install_deps.sh || exit 1

checkout="$(basename "$PWD")-$(printf '%s' "$PWD" | cksum | cut -d' ' -f1)"
base="${MCO_SANITIZE_OUTPUT_BASE:-/tmp/bazel-mco-${checkout}}"

total_passed=0
total_failed=0
summary=()
status=0
for config in "${configs[@]}"; do
  log="$(mktemp "${TMPDIR:-/tmp}/mco-${config}.XXXXXX.log")"
  echo "sanitize: ${config}, logging to ${log}"
  start=$SECONDS
  bazel --output_base="${base}-${config}" test \
    --config="${config}" --symlink_prefix=/ --keep_going \
    --test_summary=short --color=no --curses=no \
    "${args[@]}" -- "${targets[@]}" </dev/null 2>&1 | tee "${log}"
  rc=${PIPESTATUS[0]}
  read -r passed failed < <(tools/count_results.sh "${log}")
  passed=${passed:-0}
  failed=${failed:-0}
  # A failed build is a failure even if no test target could be counted.
  if ((rc != 0 && failed == 0)); then failed=1; fi
  if ((rc != 0 || failed > 0)); then status=1; fi
  summary+=("${config}: ${passed} passed, ${failed} failed in $((SECONDS - start)) s")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
done

for line in "${summary[@]}"; do echo "sanitize: ${line}"; done
echo "${total_passed} passed, ${total_failed} failed"
exit "${status}"
