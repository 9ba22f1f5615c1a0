#!/usr/bin/env bash
# Installs the Debian packages mco builds with, if any is missing, plus any
# package named as an argument (tools that need more, e.g. the Go benchmarks:
# `tools/install_deps.sh golang-go`). Idempotent and quiet: when everything is
# present it only runs dpkg-query.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap    # Bazel 4.2.3, run offline (third_party/ has stand-ins)
  g++                # the compiler
  libuv1-dev         # event loop: timers, I/O, files, signals, DNS
  libabsl-dev        # containers, synchronisation, absl::Status
  libcli11-dev       # mco-run's command line
  libmimalloc-dev    # allocator behind the heap and the stack pool
  libssl-dev         # mco/crypto/tls: OpenSSL 3
  openssl            # tests/crypto/tls: interop with openssl s_server/s_client
  libgtest-dev       # tests
  libgmock-dev       # tests
  libbenchmark-dev   # microbenchmarks in tools/bench
  curl               # tests/net_samples_test drives http_server with it
  python3            # tests/net/http/client_test runs python3 -m http.server as a peer
  python3-websockets # tests/net/websocket/interop_test: the other WebSocket peer
  chromium           # tests/websocket_chat_test: a real browser on the chat page
  fonts-liberation   # fonts for chromium (a recommendation, which is not installed)
  redis-server       # tests/redis start a real server (Redis 7.0)
  redis-tools        # redis-benchmark, to compare docs/redis.md numbers
)
PACKAGES+=("$@")

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "mco: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
