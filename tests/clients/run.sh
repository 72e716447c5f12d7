#!/usr/bin/env bash
# Runs the stock-client suites (redis-py, node-redis + ioredis, hiredis) against a server started for the run.
#
# Usage: tests/clients/run.sh [SERVER_BINARY]
#
# SERVER_BINARY defaults to src/respite-server; /usr/bin/redis-server must
# pass too. Two servers are started on free ports on 127.0.0.1: one plain,
# one given a password with CONFIG SET requirepass for the AUTH scenarios.
# Both are stopped on exit, whatever happens. Each suite prints "ok: ...",
# "FAIL: ..." and "skip: ..." lines; a suite that dies without a FAIL line
# still counts as one failure. The last line is "N passed, N failed,
# N skipped" and the exit status is non-zero if anything failed.
#
# Needs python3 with Debian's python3-redis, node and npm, and libhiredis-dev;
# runs deps/install.sh if one is missing. The Node modules are installed from
# node/package-lock.json with `npm ci` when node/node_modules is missing;
# the hiredis binary is built with `make build/hiredis-test` unless
# $HIREDIS_TEST names one. Takes about 10 s once those exist.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/../cli/lib.sh"

bin=${1:-$repo/src/respite-server}
password=clients-test-$$

SERVER_DIR=$(mktemp -d)
cleanup() {
	server_stop_all
	rm -rf "$SERVER_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

setup_failed() {
	echo "FAIL: $*"
	echo "0 passed, 1 failed"
	exit 1
}

# find_python: the python3 that has redis-py. Debian's module lives in
# /usr/bin/python3's dist-packages, which another python3 first on PATH
# (pyenv, a venv) does not see.
find_python() {
	local p
	for p in python3 /usr/bin/python3; do
		if command -v "$p" >/dev/null && "$p" -c 'import redis' 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

have_deps() {
	local tool
	for tool in redis-cli timeout node npm pkg-config; do
		command -v "$tool" >/dev/null || return 1
	done
	find_python >/dev/null && pkg-config --exists hiredis
}

# Like `make`, install what is missing (deps/install.sh is a no-op otherwise).
if ! have_deps; then
	echo "# installing missing packages (deps/install.sh)"
	timeout 600 bash "$repo/deps/install.sh" || setup_failed "deps/install.sh"
	have_deps || setup_failed "need redis-cli, node, npm, python3-redis and libhiredis-dev"
fi
python=$(find_python)

if [ ! -d "$here/node/node_modules" ]; then
	echo "# installing the Node clients (npm ci)"
	(cd "$here/node" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) ||
		setup_failed "npm ci in tests/clients/node"
fi

hiredis_test=${HIREDIS_TEST:-}
if [ -z "$hiredis_test" ]; then
	hiredis_test=$repo/build/hiredis-test
	timeout 120 make -s -C "$repo" build/hiredis-test >/dev/null ||
		setup_failed "could not build build/hiredis-test (libhiredis-dev installed?)"
fi

# The plain server listens on a unix socket too (the sidecar's way in).
socket=$SERVER_DIR/plain.sock
server_start plain "$bin" "" "--unixsocket $socket" || setup_failed "could not start $bin"
server_start auth "$bin" || setup_failed "could not start a second $bin"
port=${SERVER_PORT[plain]}
auth_port=${SERVER_PORT[auth]}
[ "$(timeout 10 redis-cli -h 127.0.0.1 -p "$auth_port" config set requirepass "$password")" = OK ] ||
	setup_failed "CONFIG SET requirepass on the second server"
echo "# $bin on 127.0.0.1:$port, with requirepass on 127.0.0.1:$auth_port"

args=(--host 127.0.0.1 --port "$port" --auth-port "$auth_port" --password "$password" --socket "$socket")
passed=0
failed=0
skipped=0

# suite NAME SECONDS COMMAND...: run one suite with a time limit, add up its lines.
suite() {
	local name=$1 limit=$2 out=$SERVER_DIR/$1.out start rc p f s srv
	shift 2
	echo "# $name"
	start=$(date +%s)
	timeout "$limit" "$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^ok: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	s=$(grep -c '^skip: ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		[ "$rc" -eq 124 ] && echo "FAIL: $name timed out after $limit s" ||
			echo "FAIL: $name exited with status $rc"
		f=1
	fi
	echo "# $name: $p passed, $f failed, $s skipped in $(($(date +%s) - start)) s"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	for srv in plain auth; do
		if ! server_alive "$srv"; then
			echo "FAIL: the $srv server died during $name; last log lines:"
			tail -n 20 "${SERVER_LOG[$srv]}" | sed 's/^/    /'
			failed=$((failed + 1))
			echo "$passed passed, $failed failed, $skipped skipped"
			exit 1
		fi
	done
}

suite python 60 "$python" "$here/python/test_clients.py" "${args[@]}"
suite node 90 node "$here/node/test.mjs" "${args[@]}"
suite hiredis 30 "$hiredis_test" "${args[@]}"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
