#!/usr/bin/env bash
# Differential runs of respite against a Redis 7.4 build (tests/diff/
# differential.py): both suites, several seeds each; then COMMAND INFO of
# every command in RESP2 and RESP3 (tests/diff/command_info.py). Not in make test: it
# needs REDIS74, a redis-server built from Redis's 7.4 sources, e.g.
#   git clone --branch 7.4.1 --depth 1 https://github.com/redis/redis /tmp/redis74
#   make -C /tmp/redis74 -j2 BUILD_TLS=no && make test-diff REDIS74=/tmp/redis74/src/redis-server
#
# Usage: tests/diff/run.sh RESPITE_BINARY REDIS74_BINARY [SEEDS] [OPS]
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/../cli/lib.sh"

respite=${1:?usage: run.sh RESPITE_BINARY REDIS74_BINARY [SEEDS] [OPS]}
redis=${2:?usage: run.sh RESPITE_BINARY REDIS74_BINARY [SEEDS] [OPS]}
seeds=${3:-5}
ops=${4:-20000}

SERVER_DIR=$(mktemp -d)
trap 'server_stop_all; rm -rf "$SERVER_DIR"' EXIT
server_start respite "$respite" || exit 1
server_start redis "$redis" || exit 1
"$redis" --version
rc=0
for suite in bitops hfe; do
	for seed in $(seq 1 "$seeds"); do
		python3 "$here/differential.py" --a "${SERVER_PORT[respite]}" --b "${SERVER_PORT[redis]}" \
			--suite "$suite" --seed "$seed" --ops "$ops" || rc=1
	done
done
for proto in 2 3; do
	python3 "$here/command_info.py" "${SERVER_PORT[respite]}" "${SERVER_PORT[redis]}" "$proto" -v || rc=1
done
exit $rc
