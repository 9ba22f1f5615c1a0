#!/usr/bin/env bash
# Builds mco's libFuzzer targets (tools/fuzz/*_fuzzer.cc) with clang and runs
# each for a bounded time over its checked-in corpus. Exits non-zero if any
# target crashes, hangs, leaks or breaks an invariant.
#
#   tools/fuzz.sh [--time SECONDS] [--out DIR] [TARGET...]
#
#   --time SECONDS  how long each target runs (default 20; env FUZZ_TIME)
#   --out DIR       where to build and work (default: a fresh temp folder,
#                   removed afterwards unless something was found)
#   TARGET          run only these (e.g. duration_fuzzer); default: all
#
# Installs what it needs first (clang 14, libFuzzer, pkg-config; see
# tools/install_deps.sh). Bazel uses gcc, which has no libFuzzer, so the
# targets are compiled here directly, from the few sources each needs,
# against Debian's Abseil. The checked-in corpus is copied, never written:
# new inputs stay in the work folder. What to do with a finding:
# tools/fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

time_each=${FUZZ_TIME:-20}
out=""
only=()
while (($#)); do
  case "$1" in
    --time) time_each=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown flag $1" >&2; exit 2 ;;
    *) only+=("$1"); shift ;;
  esac
done
if ! [[ $time_each =~ ^[0-9]+$ ]] || ((time_each < 1)); then
  echo "fuzz.sh: --time wants a number of seconds, not '$time_each'" >&2
  exit 2
fi

tools/install_deps.sh clang-14 libclang-rt-14-dev pkgconf

# target name -> the sources it is built from (besides its own .cc).
declare -A SOURCES=(
  [http_request_fuzzer]="stdlib/net/http/parser.cc stdlib/net/http/headers.cc"
  [http_chunked_fuzzer]="stdlib/net/http/chunked.cc"
  [http_response_fuzzer]="stdlib/net/http/parser.cc stdlib/net/http/headers.cc"
  [duration_fuzzer]="stdlib/time/duration.cc"
  [address_fuzzer]="stdlib/net/address.cc"
  [byte_size_fuzzer]="stdlib/byte_size.cc"
  [websocket_frame_fuzzer]="stdlib/net/websocket/frame.cc"
  [websocket_handshake_fuzzer]="stdlib/net/websocket/handshake.cc"
  [resp_fuzzer]="stdlib/redis/resp.cc"
  [tls_record_fuzzer]="stdlib/crypto/tls/record.cc"
)
TARGETS=(http_request_fuzzer http_chunked_fuzzer http_response_fuzzer
  duration_fuzzer address_fuzzer byte_size_fuzzer websocket_frame_fuzzer
  websocket_handshake_fuzzer resp_fuzzer tls_record_fuzzer)
if ((${#only[@]})); then
  for t in "${only[@]}"; do
    if [[ -z ${SOURCES[$t]+x} ]]; then
      echo "fuzz.sh: no target '$t' (have: ${TARGETS[*]})" >&2
      exit 2
    fi
  done
  TARGETS=("${only[@]}")
fi

keep=1
if [[ -z $out ]]; then
  out=$(mktemp -d /tmp/mco-fuzz.XXXXXX)
  keep=0
fi
mkdir -p "$out/include" "$out/corpus" "$out/artifacts" "$out/logs"
ln -sfn "$ROOT/stdlib" "$out/include/mco"  # "mco/..." as Bazel maps it

CXX=clang++-14
CXXFLAGS=(-std=c++17 -g -O1 -fno-omit-frame-pointer
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
  -I"$ROOT" -I"$out/include")
read -r -a ABSL_LIBS <<<"$(pkg-config --libs absl_statusor absl_strings)"

start=$(date +%s)
failed=0
summary=()
for t in "${TARGETS[@]}"; do
  read -r -a srcs <<<"${SOURCES[$t]}"
  echo "fuzz: building $t" >&2
  if ! "$CXX" "${CXXFLAGS[@]}" "tools/fuzz/$t.cc" "${srcs[@]}" \
      "${ABSL_LIBS[@]}" -o "$out/$t" 2>"$out/logs/$t.build.log"; then
    cat "$out/logs/$t.build.log" >&2
    summary+=("BUILD FAILED  $t (log: $out/logs/$t.build.log)")
    failed=1
    continue
  fi
  rm -rf "$out/corpus/$t" "$out/artifacts/$t-"*
  mkdir -p "$out/corpus/$t"
  seeds=0
  if [[ -d tools/fuzz/corpus/$t ]]; then
    cp tools/fuzz/corpus/"$t"/* "$out/corpus/$t/" 2>/dev/null || true
    seeds=$(find "$out/corpus/$t" -type f | wc -l)
  fi
  echo "fuzz: running $t for ${time_each}s over $seeds seeds" >&2
  flags=(-max_total_time="$time_each" -timeout=10 -rss_limit_mb=2048
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-")
  if [[ -f tools/fuzz/dict/$t.dict ]]; then
    flags+=(-dict="tools/fuzz/dict/$t.dict")
  fi
  rc=0
  "$out/$t" "$out/corpus/$t" "${flags[@]}" >"$out/logs/$t.log" 2>&1 || rc=$?
  # (A crash on a seed ends the run before any of these is printed.)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/logs/$t.log")
  cov=$( (grep -o 'cov: [0-9]*' "$out/logs/$t.log" || true) | tail -n 1 |
    cut -d' ' -f2)
  found=$(find "$out/corpus/$t" -type f | wc -l)
  if ((rc == 0)); then
    summary+=("ok     $t: ${runs:-?} runs, coverage ${cov:-?} edges, corpus $seeds -> $found")
  else
    failed=1
    artifact=$(ls "$out/artifacts/$t-"* 2>/dev/null | head -n 1 || true)
    summary+=("FAILED $t (exit $rc): ${artifact:-no input saved}; log: $out/logs/$t.log")
    # The report: the invariant or sanitizer line and the stack top.
    grep -m 1 -A 12 -E 'invariant failed|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|ALARM' \
      "$out/logs/$t.log" >&2 || tail -n 20 "$out/logs/$t.log" >&2
  fi
done

echo "fuzz: ${#TARGETS[@]} target(s), ${time_each}s each, $(($(date +%s) - start))s in all"
for line in "${summary[@]}"; do echo "  $line"; done
if ((failed)); then
  echo "fuzz: FAILED; inputs and logs kept in $out (reproduce: $out/TARGET INPUT)"
  exit 1
fi
if ((keep == 0)); then rm -rf "$out"; fi
echo "fuzz: all targets passed"
