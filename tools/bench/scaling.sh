#!/usr/bin/env bash
# The scaling study of tools/bench/README.md: how spawn, channel throughput
# and echo throughput change from 1 worker to all, and how memory grows with
# the number of parked coroutines (at the default 6 MiB stack and at 64 KiB).
# Prints one line per measurement; run tools/bench/compare.sh first once so
# the Go echo client is built (it is the load generator here too).
#
#   tools/bench/scaling.sh [--full]     # --full: idle_mem up to 1,000,000
set -euo pipefail
cd "$(dirname "$0")/../.."
full=0
[[ "${1:-}" == "--full" ]] && full=1

bazel build -c opt --noshow_progress //tools/bench/suite:mco_suite \
  //launcher:mco-run //samples/echo_server:echo_server.so >/dev/null 2>&1
bin="$(bazel info -c opt bazel-bin 2>/dev/null)"
suite="${bin}/tools/bench/suite/mco_suite"
cores="$(nproc)"
go_client="${MCO_BENCH_GO_DIR:-/tmp/mco-bench-go-$(id -u)}/bin/echo_client"

echo "# $(date -u +%F) $(nproc) vCPUs, load average $(cut -d' ' -f1 /proc/loadavg)"
for w in 1 "${cores}"; do
  "${suite}" spawn --workers="${w}"
  "${suite}" chan_mpmc --workers="${w}"
  "${suite}" chan_pingpong --workers="${w}"
done

counts=(10000 100000)
[[ "${full}" == 1 ]] && counts+=(1000000)
for n in "${counts[@]}"; do
  "${suite}" idle_mem --n="${n}"
  "${suite}" idle_mem --n="${n}" --stack=64K | sed 's/$/ stack=64K/'
done
"${suite}" timers --stack=64K | sed 's/$/ stack=64K/'

if [[ ! -x "${go_client}" ]]; then
  echo "echo: skipped (no ${go_client}; run tools/bench/compare.sh --only echo)"
  exit 0
fi
for w in 1 "${cores}"; do
  log="$(mktemp)"
  "${bin}/launcher/mco-run" --workers "${w}" \
    "${bin}/samples/echo_server/echo_server.so" -- 127.0.0.1:0 >"${log}" &
  server=$!
  port=""
  for _ in $(seq 100); do
    port="$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\).*/\1/p' "${log}")"
    [[ -n "${port}" ]] && break
    sleep 0.1
  done
  echo "echo server workers=${w}: $("${go_client}" --addr="127.0.0.1:${port}")"
  kill -TERM "${server}"
  wait "${server}" || true
  rm -f "${log}"
done
