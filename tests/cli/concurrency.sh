#!/usr/bin/env bash
# Correctness under concurrency: starts SERVER_BINARY with several
# event-loop threads and runs build/concurrency against it (exact INCR
# totals, SET NX races, MSET atomicity, expiry, exact HINCRBY totals, SMOVE
# and SPOP atomicity, set store commands, hashes and sets changing type,
# and maxmemory under parallel clients). The server's log must be free of
# sanitizer reports, so the same script checks a ThreadSanitizer or an
# AddressSanitizer build (leaks are reported when the server exits).
#
# A ThreadSanitizer build runs the hash and set cases some 15 times
# slower, so against one they do a quarter of their operations
# (CONCURRENCY_SCALE, a percentage, overrides that).
#
# Usage: tests/cli/concurrency.sh SERVER_BINARY [IO_THREADS]
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

bin=${1:?usage: concurrency.sh SERVER_BINARY [IO_THREADS]}
threads=${2:-4}
client=$repo/build/concurrency
[ -x "$client" ] || { echo "FAIL: $client not built"; echo "0 passed, 1 failed"; exit 1; }

SERVER_DIR=$(mktemp -d)
trap 'server_stop_all; rm -rf "$SERVER_DIR"' EXIT
export RESPITE_SERVER_ARGS="--io-threads $threads --maxclients 1000"
if ! server_start server "$bin"; then
	echo "FAIL: could not start $bin"
	echo "0 passed, 1 failed"
	exit 1
fi
port=${SERVER_PORT[server]}
scale=100
grep -q __tsan_init "$bin" && scale=25
scale=${CONCURRENCY_SCALE:-$scale}
echo "# $bin, $threads event-loop threads, 127.0.0.1:$port, operations at $scale%"
timeout 600 "$client" 127.0.0.1 "$port" --maxmemory 8388608 --scale "$scale"
rc=$?
server_stop server
san="ThreadSanitizer|AddressSanitizer|LeakSanitizer|runtime error:"
if grep -qE "$san" "${SERVER_LOG[server]}"; then
	echo "FAIL: sanitizer report in the server log:"
	grep -m1 -A30 -E "$san" "${SERVER_LOG[server]}"
	echo "0 passed, 1 failed"
	exit 1
fi
exit $rc
