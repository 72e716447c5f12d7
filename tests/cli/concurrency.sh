#!/usr/bin/env bash
# Correctness under concurrency: starts SERVER_BINARY with several
# event-loop threads and runs build/concurrency against it (exact INCR
# totals, SET NX races, MSET atomicity, expiry and maxmemory under parallel
# clients). The server's log must be free of sanitizer reports, so the
# same script checks a ThreadSanitizer build.
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
echo "# $bin, $threads event-loop threads, 127.0.0.1:$port"
timeout 600 "$client" 127.0.0.1 "$port" --maxmemory 8388608
rc=$?
server_stop server
if grep -qE "ThreadSanitizer|AddressSanitizer|runtime error:" "${SERVER_LOG[server]}"; then
	echo "FAIL: sanitizer report in the server log:"
	grep -m1 -A30 -E "ThreadSanitizer|AddressSanitizer|runtime error:" "${SERVER_LOG[server]}"
	echo "0 passed, 1 failed"
	exit 1
fi
exit $rc
