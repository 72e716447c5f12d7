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
    liblua5.1-0-dev   # Lua 5.1 for EVAL scripts
    lua-cjson-dev     # the cjson library scripts use
    lua-bitop-dev     # the bit library scripts use
    tcl               # the Tcl test suite (tclsh 8.6)
    redis-tools       # redis-cli, redis-benchmark
    redis-server      # side-by-side comparisons in tests and bench/
    clang-format      # make format-check
    clang             # libFuzzer target (make test-fuzz)
    libclang-rt-14-dev # libFuzzer and sanitizer runtimes for clang
    util-linux        # script(1), taskset for tests and bench/
    procps
    python3           # tests/clients: redis-py suite (Debian's python3)
    python3-redis     # redis-py 4.x
    libhiredis-dev    # tests/clients: hiredis suite
    libhttp-parser-dev # the HTTP endpoints' request parser (server/http.c)
    curl              # tests/cli/http.sh
    python3-prometheus-client # tests/cli/http.sh parses /metrics with it
    nutcracker        # twemproxy: tests/cli/twemproxy.sh, deploy/twemproxy.yml
    podman            # make image, tests/cli/image.sh (daemonless, as root)
    runc              # podman's runtime here (crun refuses the hybrid cgroup layout)
    catatonit         # the pause process of a pod's infra container (podman kube play)
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# tests/clients runs whatever node and npm are on PATH (a machine may have
# them from elsewhere, e.g. a nodejs package that bundles npm and conflicts
# with Debian's npm), so Debian's are installed only when a command is missing.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
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
for service in redis-server nutcracker; do
    if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
        $SUDO systemctl stop "$service" || true
    fi
done
