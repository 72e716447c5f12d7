#!/usr/bin/env bash
# Runs every redis-cli / redis-benchmark check against a server started for the run.
#
# Usage: tests/cli/run.sh [SERVER_BINARY]
#
# SERVER_BINARY defaults to src/respite-server; /usr/bin/redis-server must
# pass too. The server gets a free port on 127.0.0.1 and is stopped on exit,
# whatever happens. Each check script prints "ok: ..." and "FAIL: ..." lines
# and exits non-zero on failure; a script that dies without a FAIL line
# still counts as one failure. The last line is "N passed, N failed", and the
# exit status is non-zero if anything failed. Takes about 30 s.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

bin=${1:-$repo/src/respite-server}
checks="options scripting interactive pipe bigvalue benchmark idle blocked daemon listen http"
# daemon.sh, listen.sh and http.sh start servers of their own from this binary.
export CLI_SERVER_BIN=$bin
# idle.sh and blocked.sh hold 10,000 connections at once: give every server room for them.
export RESPITE_SERVER_ARGS="${RESPITE_SERVER_ARGS:-} --maxclients 10100"

SERVER_DIR=$(mktemp -d)
cleanup() {
	server_stop_all
	rm -rf "$SERVER_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in redis-cli redis-benchmark script timeout awk; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL: $tool not found"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

if ! server_start server "$bin"; then
	echo "FAIL: could not start $bin"
	echo "0 passed, 1 failed"
	exit 1
fi
port=${SERVER_PORT[server]}
echo "# $bin on 127.0.0.1:$port (pid ${SERVER_PID[server]})"

passed=0
failed=0
for check in $checks; do
	echo "# $check"
	out=$SERVER_DIR/$check.out
	start=$(date +%s)
	timeout 120 bash "$here/$check.sh" --host 127.0.0.1 --port "$port" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^ok: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $check.sh exited with status $rc"
		f=1
	fi
	echo "# $check: $p passed, $f failed in $(($(date +%s) - start)) s"
	passed=$((passed + p))
	failed=$((failed + f))
	if ! server_alive server; then
		echo "FAIL: the server died during $check; last log lines:"
		tail -n 20 "${SERVER_LOG[server]}" | sed 's/^/    /'
		failed=$((failed + 1))
		break
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
