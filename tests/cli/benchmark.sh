#!/usr/bin/env bash
# redis-benchmark runs to completion without a single error. Speed is not checked.
#
# Usage: tests/cli/benchmark.sh [--host H] [--port P] [--requests N]
#
# redis-benchmark first sends CONFIG GET save and CONFIG GET appendonly and
# prints "ERROR: failed to fetch CONFIG" if either is not an array of at
# least two elements; an error reply to a benchmark command makes it print
# "Error from server: ..." and exit 1. Both count as failures here.
# Flushes the server first.
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
requests=100000
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--requests) requests=$2; shift 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
cli_parse_args "${args[@]}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tests=ping,set,get,incr,mset
# -t ping runs both PING_INLINE and PING_MBULK.
expected="PING_INLINE PING_MBULK SET GET INCR MSET (10 keys)"

rcli flushall >/dev/null

# no_errors NAME FILE: no output line mentions an error.
no_errors() {
	if grep -aiqE 'error|could not|warning' "$2"; then
		fail "$1: $(grep -aiE 'error|could not|warning' "$2" | sort -u | head -n 3 | tr '\n' ' ')"
	else
		ok "$1: no error lines"
	fi
}

# Quiet mode: progress lines are redrawn with \r, keep only the results.
timeout 120 redis-benchmark -h "$CLI_HOST" -p "$CLI_PORT" -t "$tests" -n "$requests" -q >"$tmp/q.raw" 2>&1
rc=$?
tr '\r' '\n' <"$tmp/q.raw" | grep -a 'requests per second' >"$tmp/q"
check_eq "redis-benchmark -t $tests -n $requests -q: exit status" 0 "$rc"
no_errors "redis-benchmark -q" "$tmp/q.raw"
check_eq "redis-benchmark -q: one result per test" 6 "$(wc -l <"$tmp/q")"
sed 's/^/    /' "$tmp/q"

# CSV: stdout holds the results, stderr anything else; each is checked.
n=$((requests / 2))
timeout 120 redis-benchmark -h "$CLI_HOST" -p "$CLI_PORT" -t "$tests" -n "$n" -r 100000 -d 64 --csv \
	>"$tmp/csv" 2>"$tmp/csv.err"
rc=$?
check_eq "redis-benchmark --csv -n $n -r 100000 -d 64: exit status" 0 "$rc"
no_errors "redis-benchmark --csv stderr" "$tmp/csv.err"
no_errors "redis-benchmark --csv stdout" "$tmp/csv"
check_eq "redis-benchmark --csv: header" \
	'"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"' \
	"$(head -n 1 "$tmp/csv")"
check_eq "redis-benchmark --csv: tests" "$expected" \
	"$(tail -n +2 "$tmp/csv" | cut -d'"' -f2 | tr '\n' ' ' | sed 's/ $//')"
zero=$(tail -n +2 "$tmp/csv" | awk -F'"' '!($4 + 0 > 0) { print $2 "=" $4 }' | tr '\n' ' ')
if [ -z "$zero" ] && [ "$(wc -l <"$tmp/csv")" -gt 1 ]; then
	ok "redis-benchmark --csv: every test has a nonzero rps"
else
	fail "redis-benchmark --csv: tests without a positive rps: ${zero:-no results}"
fi

# Its defaults, as an operator runs it first: every test it has (strings,
# lists, sets, hashes, sorted sets, LRANGE, MSET).
n=$((requests / 2))
timeout 300 redis-benchmark -h "$CLI_HOST" -p "$CLI_PORT" -n "$n" -q >"$tmp/all.raw" 2>&1
rc=$?
tr '\r' '\n' <"$tmp/all.raw" | grep -a 'requests per second' >"$tmp/all"
check_eq "redis-benchmark -n $n -q (every test): exit status" 0 "$rc"
no_errors "redis-benchmark -q (every test)" "$tmp/all.raw"
check_eq "redis-benchmark -q (every test): tests" \
	"PING_INLINE PING_MBULK SET GET INCR LPUSH RPUSH LPOP RPOP SADD HSET SPOP ZADD ZPOPMIN LPUSH LRANGE_100 LRANGE_300 LRANGE_500 LRANGE_600 MSET" \
	"$(cut -d' ' -f1 <"$tmp/all" | tr -d ':' | tr '\n' ' ' | sed 's/ $//')"
sed 's/^/    /' "$tmp/all"

check_eq "after the benchmark: the server still answers" PONG "$(rcli ping)"

rcli flushall >/dev/null
cli_done
