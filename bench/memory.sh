#!/usr/bin/env bash
# Bytes per key of respite next to redis-server: loads N keys (16-byte keys,
# 32-byte values) into each, then the same with a TTL on every key, and
# prints bytes per key from used_memory and from RSS, each as the growth
# over the empty server divided by N, plus respite/redis ratios and the
# overhead beyond the 48 payload bytes.
#
# Usage: bench/memory.sh [--keys N] [--respite BIN] [--redis BIN]
#
# Both servers load the same protocol stream through redis-cli --pipe.
# used_memory is each server's own figure (respite: live bytes jemalloc
# counts for it; Redis: its zmalloc counter); RSS is from /proc/PID/statm
# and includes allocator slack, so it is the figure the OS sees.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"

bench_common_options --respite --redis
keys=1000000
while [ $# -gt 0 ]; do
	case $1 in
	--keys) keys=$2; shift 2 ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done
bench_require servers

bench_server_dir

# RESP for N SETs of 16-byte keys and 32-byte values, optionally with EX.
gen() {
	LC_ALL=C awk -v n="$keys" -v ttl="$1" "$BENCH_AWK"'BEGIN {
		v = bench_value(32, "v");
		for (i = 0; i < n; i++) {
			k = sprintf("key:%012d", i);
			if (ttl) printf "*5\r\n$3\r\nSET\r\n$16\r\n%s\r\n$32\r\n%s\r\n$2\r\nEX\r\n$6\r\n100000\r\n", k, v;
			else printf "*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n$32\r\n%s\r\n", k, v;
		}
	}'
}
gen 0 >"$SERVER_DIR/plain.resp"
gen 1 >"$SERVER_DIR/ttl.resp"

rss_of() { echo $(($(awk '{print $2}' "/proc/$1/statm") * $(getconf PAGESIZE))); }

# measure NAME BIN STREAM -> "used_per_key rss_per_key"
measure() {
	server_start "$1" "$2" || exit 1
	local port=${SERVER_PORT[$1]} pid=${SERVER_PID[$1]}
	local u0 r0 u1 r1
	u0=$(info_field "$port" used_memory); r0=$(rss_of "$pid")
	timeout 300 redis-cli -p "$port" --pipe <"$3" >/dev/null
	[ "$(timeout 10 redis-cli -p "$port" dbsize)" = "$keys" ] || { echo "load failed on $1" >&2; exit 1; }
	u1=$(info_field "$port" used_memory); r1=$(rss_of "$pid")
	server_stop "$1"
	awk -v u0="$u0" -v u1="$u1" -v r0="$r0" -v r1="$r1" -v n="$keys" \
		'BEGIN { printf "%.1f %.1f\n", (u1 - u0) / n, (r1 - r0) / n }'
}

printf '%d keys, 16-byte keys + 32-byte values (48 payload bytes per key)\n\n' "$keys"
printf '| data set | respite used B/key | redis used B/key | ratio | respite RSS B/key | redis RSS B/key | ratio | respite overhead B/key |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for kind in plain ttl; do
	read -r ru rr < <(measure respite "$respite" "$SERVER_DIR/$kind.resp")
	read -r du dr < <(measure redis "$redis" "$SERVER_DIR/$kind.resp")
	awk -v k="$kind" -v ru="$ru" -v rr="$rr" -v du="$du" -v dr="$dr" 'BEGIN {
		printf "| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.1f |\n",
			(k == "ttl" ? "with TTL" : "no TTL"), ru, du, ru / du, rr, dr, rr / dr, ru - 48 }'
done
