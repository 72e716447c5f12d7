#!/usr/bin/env bash
# Installs the Debian packages respite builds, tests and benchmarks with.
# Run by `make` when something is missing; safe to run again (installs
# only what dpkg does not already have).
set -euo pipefail

PACKAGES=(
    build-essential   # gcc, make
    pkg-config
    libuv1-dev        # event loop
    libjemalloc-dev   # allocator and memory accounting
    tcl               # the Tcl test suite (tclsh 8.6)
    redis-tools       # redis-cli, redis-benchmark
    redis-server      # side-by-side comparisons in tests and bench/
    clang-format      # make format-check
    clang             # libFuzzer target (make test-fuzz)
    libclang-rt-14-dev # libFuzzer and sanitizer runtimes for clang
    util-linux        # script(1), taskset for tests and bench/
    procps
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged redis-server on port 6379; respite's tests and
# benchmarks start their own servers on other ports, so stop it if it runs
# to keep the default port free for `make run`.
if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
    $SUDO systemctl stop redis-server || true
fi
