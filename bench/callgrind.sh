#!/usr/bin/env bash
# User-space instructions respite executes for a fixed SET/GET load, counted by callgrind.
#
# Usage: bench/callgrind.sh [--respite BIN] [--out FILE] [--respite-args "ARGS"]
#
# Starts BIN (default src/respite-server) under `valgrind --tool=callgrind`
# with one event-loop thread, runs the README's load against it with
# redis-benchmark (SET and GET, 50,000 requests each from 10 clients over
# 10,000 keys, then 100,000 each pipelined 16 deep: 300,000 requests), shuts
# it down and prints the total instruction count (Ir) with the file
# callgrind wrote (`callgrind_annotate FILE` shows where they go).
#
# Instructions, unlike seconds, do not depend on what else the machine is
# doing: the same binary and load give the same count to within a fraction
# of a percent (the batching of requests into reads varies a little from
# run to run). Compare two builds by running this on each. Takes 1-2 min.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"

bench_common_options --respite --respite-args
out=""
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done
command -v valgrind >/dev/null || { echo "valgrind is needed (Debian package valgrind)" >&2; exit 2; }
[ -x "$respite" ] || { echo "not executable: $respite" >&2; exit 2; }

bench_server_dir
[ -n "$out" ] || out=$SERVER_DIR/callgrind.out
port=$(free_port) || exit 1
# shellcheck disable=SC2086 # respite_args split into words on purpose
valgrind --tool=callgrind --callgrind-out-file="$out" "$respite" --port "$port" \
	--bind 127.0.0.1 --io-threads 1 $respite_args >"$SERVER_DIR/server.log" 2>&1 &
pid=$!
# Under valgrind startup is slow: up to 60 s for PING.
for _ in $(seq 1 600); do
	[ "$(timeout 2 redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && break
	kill -0 "$pid" 2>/dev/null || { echo "server died:" >&2; tail "$SERVER_DIR/server.log" >&2; exit 1; }
	sleep 0.1
done
timeout 600 redis-benchmark -p "$port" -t set,get -n 50000 -c 10 -r 10000 -q >/dev/null
timeout 600 redis-benchmark -p "$port" -t set,get -n 100000 -c 10 -r 10000 -P 16 -q >/dev/null
timeout 30 redis-cli -p "$port" shutdown nosave >/dev/null 2>&1
for _ in $(seq 1 600); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
total=$(awk '/^(summary|totals):/ { print $2; exit }' "$out")
[ -n "$total" ] || { echo "no callgrind totals in $out" >&2; exit 1; }
awk -v t="$total" 'BEGIN { printf "instructions: %d (%.1fM)\n", t, t / 1e6 }'
[ "$out" = "$SERVER_DIR/callgrind.out" ] || echo "callgrind file: $out"
