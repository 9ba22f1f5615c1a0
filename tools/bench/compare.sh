#!/usr/bin/env bash
# mco against Go: builds both sides of the benchmark suite, runs each
# benchmark for mco and for an equivalent Go program alternately, prints
# medians and ratios, writes tools/bench/RESULTS.md. Exits 0 only if every
# run verified its result. See tools/bench/README.md.
#
#   tools/bench/compare.sh [--runs N] [--only spawn,echo,...] [--full]
#                          [--readme] [--no-build] [--quick] [--list]
set -euo pipefail
cd "$(dirname "$0")/../.."
# The suite's own tools: Go 1.19 (the other side), wrk (the HTTP load), python3.
tools/install_deps.sh golang-go wrk python3
exec python3 tools/bench/compare.py "$@"
