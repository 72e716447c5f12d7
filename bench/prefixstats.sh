#!/usr/bin/env bash
# What counting hits and misses by key prefix costs: two respite servers
# side by side, one with prefix-stats-delimiter ":" (the default) and one
# with "" (off), both pinned to one core and redis-benchmark on the other,
# pipelined GETs of redis-benchmark's keys ("key:NNN", so every lookup is
# counted under "key:"), rounds interleaved. Reports requests per second
# and server CPU per million requests (utime+stime from /proc) for each.
#
# Usage: bench/prefixstats.sh [--respite BIN] [--rounds N] [--requests N]
#            [--server-cpu C] [--client-cpu C]
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"
bench_common_options --respite --server-cpu --client-cpu
rounds=3
requests=2000000
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--requests) requests=$2; shift 2 ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done
bench_require redis-benchmark
bench_pin "$server_cpu" "$client_cpu"
bench_server_dir
server_start on "$respite" "$server_cpu" "--prefix-stats-delimiter :" || exit 1
server_start off "$respite" "$server_cpu" || exit 1
redis-cli -p "${SERVER_PORT[off]}" config set prefix-stats-delimiter "" >/dev/null
tck=$(getconf CLK_TCK)
for s in on off; do
	redis-benchmark -p "${SERVER_PORT[$s]}" -t set -r 100000 -n 200000 -P 16 -q >/dev/null 2>&1
done
printf '%-6s %-4s %12s %14s\n' round mode rps cpu-s/Mreq
for r in $(seq 1 "$rounds"); do
	for s in on off; do
		pid=${SERVER_PID[$s]}
		t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
		rps=$(taskset -c "$client_cpu" redis-benchmark -p "${SERVER_PORT[$s]}" -t get -r 100000 \
			-n "$requests" -P 16 -q 2>&1 | tr '\r' '\n' | grep -o 'GET: [0-9.]*' | tail -n 1 | cut -d' ' -f2)
		t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
		printf '%-6s %-4s %12s %14.3f\n' "$r" "$s" "$rps" \
			"$(awk -v t="$((t1 - t0))" -v hz="$tck" -v n="$requests" 'BEGIN { print t / hz / (n / 1000000) }')"
	done
done
echo "# off: $(redis-cli -p "${SERVER_PORT[off]}" info prefixstats | tr -d '\r' | grep '^prefixstat_other')"
echo "# on: $(redis-cli -p "${SERVER_PORT[on]}" info prefixstats | tr -d '\r' | grep '^prefixstat_0')"
