#!/usr/bin/env bash
# Hit ratio under the same maxmemory: respite (default policy, allkeys-lfu) next to redis-server (allkeys-lru, allkeys-lfu) on Zipf cache-aside workloads.
#
# Usage: bench/hitratio.sh [--quick] [--respite BIN] [--redis BIN] [--client BIN]
#            [--keys N] [--maxmemory BYTES|Nkb|Nmb|Ngb] [--requests N] [--rate RPS]
#            [--value-size B] [--warmup FRACTION] [--seed S]
#            [--scan-every K] [--scan-len L] [--workloads "zipf99 zipf80 scan99"]
#            [--configs "respite respite-lfu redis-lru redis-lfu"]
#            [--server-cpu C] [--client-cpu C] [--markdown FILE]
#
# For each workload and each server configuration, one server at a time,
# started fresh with --maxmemory BYTES (the same number of bytes for all)
# and pinned to --server-cpu, while build/hitratio, pinned to --client-cpu,
# replays the workload at a fixed rate:
#
#   zipf99  GET a key drawn from Zipf(0.99) over --keys keys, SET it on a miss
#   zipf80  the same with Zipf(0.8): a flatter distribution, more misses
#   scan99  zipf99 plus, every --scan-every GETs, --scan-len GETs and SETs of
#           keys never used again (a batch job walking through the cache)
#
# Configurations: "respite" is respite with no --maxmemory-policy, so its
# default is what is measured; "respite-lfu" gets allkeys-lfu; "redis-lru"
# and "redis-lfu" are redis-server with allkeys-lru and allkeys-lfu.
#
# The workload is the same for every server: the same seed draws the same
# keys in the same order. The rate is fixed (GETs per second) because both
# servers' LRU clocks tick in seconds and LFU counters decay by the minute:
# the same stream at another rate gives other hit ratios. The first
# --warmup of the GETs fills the cache and is not counted.
#
# Defaults: 2,000,000 keys of 100 bytes (about 290 MB in respite, 400 MB in
# redis) against 24 MB, 1,600,000 GETs at 40,000 a second with the first
# half as warm-up: 40 s a run (48 s with scans), 12 runs, 9 minutes.
# --quick: 400,000 keys, 4 MB, 240,000 GETs, about 1.5 minutes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"

command_line=$(printf '%q ' "$0" "$@"); command_line=${command_line% }
bench_common_options --respite --redis --quick --server-cpu --client-cpu --markdown
client=$repo/build/hitratio
keys=""
maxmemory=""
requests=""
rate=40000
value_size=100
warmup=0.5
seed=1
scan_every=10000
scan_len=2000
workloads="zipf99 zipf80 scan99"
configs="respite respite-lfu redis-lru redis-lfu"

while [ $# -gt 0 ]; do
	case $1 in
	--client) client=$2; shift 2 ;;
	--keys) keys=$2; shift 2 ;;
	--maxmemory) maxmemory=$2; shift 2 ;;
	--requests) requests=$2; shift 2 ;;
	--rate) rate=$2; shift 2 ;;
	--value-size) value_size=$2; shift 2 ;;
	--warmup) warmup=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--scan-every) scan_every=$2; shift 2 ;;
	--scan-len) scan_len=$2; shift 2 ;;
	--workloads) workloads=${2//,/ }; shift 2 ;;
	--configs) configs=${2//,/ }; shift 2 ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done

# Options left unset take the full or the --quick default.
if [ "$quick" -eq 1 ]; then
	: "${keys:=400000}" "${maxmemory:=4mb}" "${requests:=240000}"
else
	: "${keys:=2000000}" "${maxmemory:=24mb}" "${requests:=1600000}"
fi

maxmemory_bytes=$(bench_bytes --maxmemory "$maxmemory") || exit 2

for w in $workloads; do
	case $w in zipf99 | zipf80 | scan99) ;; *) echo "unknown workload: $w (zipf99 zipf80 scan99)" >&2; exit 2 ;; esac
done
for c in $configs; do
	case $c in respite | respite-lfu | redis-lru | redis-lfu) ;; *) echo "unknown config: $c" >&2; exit 2 ;; esac
done
bench_require servers
if [ "$client" = "$repo/build/hitratio" ]; then
	make -s -C "$repo" build/hitratio >&2 || { echo "could not build build/hitratio" >&2; exit 2; }
fi
[ -x "$client" ] || { echo "not executable: $client" >&2; exit 2; }

bench_pin "$server_cpu" "$client_cpu"
page=$(getconf PAGESIZE)

bench_server_dir
results=$SERVER_DIR/results.tsv
: >"$results"


# config_get PORT NAME: the value CONFIG GET answers, "n/a" if none.
config_get() {
	local v
	v=$(timeout 10 redis-cli -p "$1" config get "$2" 2>/dev/null | sed -n 2p)
	echo "${v:-n/a}"
}

# kv KEY TEXT: the value of KEY=... in a line of key=value words.
kv() {
	printf '%s\n' "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2; exit }'
}

# workload_args NAME: the client options of a workload.
workload_args() {
	case $1 in
	zipf99) echo "--alpha 0.99" ;;
	zipf80) echo "--alpha 0.8" ;;
	scan99) echo "--alpha 0.99 --scan-every $scan_every --scan-len $scan_len" ;;
	esac
}

# config_bin NAME, config_policy NAME: the binary and the --maxmemory-policy of a configuration.
config_bin() {
	case $1 in respite*) echo "$respite" ;; *) echo "$redis" ;; esac
}
config_policy() {
	case $1 in
	respite) echo "" ;;
	*-lru) echo "allkeys-lru" ;;
	*-lfu) echo "allkeys-lfu" ;;
	esac
}

# Each run's GETs, scans included, at the rate, and a generous bound.
gets_per_run=$requests
case " $workloads " in *" scan99 "*) gets_per_run=$((requests + requests / scan_every * scan_len)) ;; esac
run_limit=$(awk -v g="$gets_per_run" -v r="$rate" 'BEGIN { print (r > 0 ? int(3 * g / r) : 600) + 60 }')

# measure WORKLOAD CONFIG: one fresh server, one client run, the figures
# after it; appends a line to $results.
measure() {
	local workload=$1 config=$2 bin policy port pid out rc
	bin=$(config_bin "$config")
	policy=$(config_policy "$config")
	local server_args="--maxmemory $maxmemory_bytes"
	[ -n "$policy" ] && server_args+=" --maxmemory-policy $policy"
	RESPITE_SERVER_ARGS="${RESPITE_SERVER_ARGS:-} $server_args" server_start "$config" "$bin" "$server_pin" || exit 1
	port=${SERVER_PORT[$config]}
	pid=${SERVER_PID[$config]}
	local got_mm got_policy
	got_mm=$(config_get "$port" maxmemory)
	got_policy=$(config_get "$port" maxmemory-policy)
	if [ "$got_mm" != "$maxmemory_bytes" ]; then
		echo "$config: CONFIG GET maxmemory says $got_mm, not $maxmemory_bytes" >&2
		exit 1
	fi
	# shellcheck disable=SC2046 # workload_args is a list of words
	out=$(timeout "$run_limit" "${client_pin[@]}" "$client" --port "$port" --keys "$keys" \
		--requests "$requests" --rate "$rate" --value-size "$value_size" --warmup "$warmup" \
		--seed "$seed" --max-seconds "$((run_limit - 10))" $(workload_args "$workload") 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q '^hits='; then
		echo "$workload $config: client failed (exit $rc): $out" >&2
		server_alive "$config" || { echo "$config died; last log lines:" >&2; tail -n 20 "${SERVER_LOG[$config]}" >&2; }
		exit 1
	fi
	out=$(printf '%s\n' "$out" | grep '^hits=')
	local used evicted dbsize rss
	used=$(info_field "$port" used_memory)
	evicted=$(info_field "$port" evicted_keys)
	dbsize=$(timeout 10 redis-cli -p "$port" dbsize 2>/dev/null)
	rss=$(($(awk '{ print $2 }' "/proc/$pid/statm") * page))
	server_alive "$config" || { echo "$config died; last log lines:" >&2; tail -n 20 "${SERVER_LOG[$config]}" >&2; exit 1; }
	server_stop "$config"

	# Anything that should not happen goes into the notes column.
	local notes="" v
	for v in set_oom set_errors get_errors wrong_values; do
		[ "$(kv $v "$out")" != 0 ] && notes+="$v=$(kv $v "$out") "
	done
	if awk -v a="$(kv rate "$out")" -v r="$rate" 'BEGIN { exit !(r > 0 && a < 0.98 * r) }'; then
		notes+="rate=$(kv rate "$out") "
	fi
	[ "$used" != n/a ] && [ "$used" -gt $((maxmemory_bytes + maxmemory_bytes / 100)) ] && notes+="used>maxmemory+1% "
	# A cache that evicted fewer keys than half of what it holds was full
	# only near the end: the run measured mostly a cache still filling.
	if [ "$evicted" = 0 ]; then
		notes+="no-eviction "
	elif [ "$evicted" != n/a ] && [ -n "$dbsize" ] && [ "$evicted" -lt $((dbsize / 2)) ]; then
		notes+="few-evictions "
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$workload" "$config" "$got_policy" \
		"$(kv hit_ratio "$out")" "$dbsize" "$evicted" "$used" "$rss" "$(kv rate "$out")" \
		"$(kv lag_max_ms "$out")" "${notes% }" >>"$results"
	printf '  [%4ds] %-7s %-12s %-12s %s  used_memory=%s rss=%s evicted_keys=%s dbsize=%s\n' \
		$(($(date +%s) - start)) "$workload" "$config" "$got_policy" "$out" "$used" "$rss" "$evicted" "$dbsize" >&2
}

cat <<EOF
# $command_line
# bench/hitratio.sh $(date -u '+%Y-%m-%d %H:%M UTC')
# host: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
# respite: $respite
# redis:   $redis ($("$redis" --version | grep -o 'v=[^ ]*'))
# client:  $client; servers on cpu ${server_pin:-any}, client on cpu ${client_pin[2]:-any}, one server at a time, each started fresh
# maxmemory $maxmemory_bytes bytes ($maxmemory) for every server; $keys keys, values of $value_size bytes, seed $seed
# $requests GETs a run at $rate a second (scan99: $scan_len scan GETs every $scan_every on top), first $warmup of them not counted
EOF

start=$(date +%s)
for w in $workloads; do
	for c in $configs; do
		measure "$w" "$c"
	done
done

# report text|md: one row a run, in run order.
report() {
	awk -F'\t' -v fmt="$1" '
	function mb(x) { return x == "n/a" || x == "" ? "n/a" : sprintf("%.1f", x / 1048576) }
	BEGIN {
		if (fmt == "md") {
			print "| workload | server | policy | hit ratio | keys held | evicted_keys | used_memory MB | RSS MB | rate | notes |"
			print "|---|---|---|--:|--:|--:|--:|--:|--:|---|"
			line = "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
		} else {
			printf "%-8s %-8s %-22s %9s %10s %12s %8s %8s %7s  %s\n", "workload", "server", "policy", "hit-ratio", "keys-held", "evicted", "used-MB", "rss-MB", "rate", "notes"
			line = "%-8s %-8s %-22s %9s %10s %12s %8s %8s %7s  %s\n"
		}
	}
	{
		server = $2 ~ /^respite/ ? "respite" : "redis"
		policy = $2 == "respite" ? "default (" $3 ")" : $3
		printf line, $1, server, policy, $4, $5, $6, mb($7), mb($8), $9, $11
	}' "$results"
}

echo
echo "# hit ratio = hits / (hits + misses) over the counted GETs; keys held = DBSIZE, used_memory (INFO) and RSS (/proc/PID/statm) at the end of the run"
report text
echo
report md
if [ -n "$markdown" ]; then
	{
		echo "$(date -u '+%Y-%m-%d'), $(nproc) cores: maxmemory $maxmemory_bytes bytes, $keys keys, $value_size-byte values, $requests GETs at $rate/s (first $warmup not counted), seed $seed; scan99 adds $scan_len one-shot keys every $scan_every GETs. Command: \`$command_line\`"
		echo
		report md
	} >"$markdown"
	echo
	echo "# markdown written to $markdown"
fi
echo "# total $(($(date +%s) - start)) s"
