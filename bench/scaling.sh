#!/usr/bin/env bash
# How respite's throughput, latency and CPU per request change with --io-threads, next to redis-server with one and with several I/O threads.
#
# Usage: bench/scaling.sh [--quick] [--respite BIN] [--redis BIN] [--rounds N]
#            [--io-threads "1 2 ..."] [--redis-io-threads N] [--client-threads T]
#            [--tests "set get"] [--pipelines "1 16"] [--size B] [--clients N]
#            [--keyspace N] [--requests N] [--requests-pipelined N]
#            [--timeout S] [--markdown FILE] [--raw FILE]
#
# Server configurations, all running for the whole benchmark:
#
#   respite --io-threads K   for each K of --io-threads (default 1 2 ... up
#                            to the CPUs available, nproc, and at least 1 2)
#   redis   --io-threads 1   the single-threaded reference
#   redis   --io-threads M   M = --redis-io-threads (default: the largest K),
#                            with --io-threads-do-reads yes; Redis's threads
#                            only read and write sockets, commands still run
#                            on its main thread
#
# The client is redis-benchmark --threads T (2) so that one client thread
# is not what limits a multi-threaded server, -c 50 -r 100000 -d 64, one
# test (-t) per run. Nothing is pinned: a server with K threads must be
# allowed K cores, and on a small machine there are no cores left to give
# the client alone, so the client shares the cores with the server under
# load. On 2 cores the client's 2 threads and a 2-thread server compete:
# the numbers say what this machine can do with client and server on it,
# not what the server would do alone. Only one server is under load at a
# time; the idle ones cost nothing.
#
# Runs are interleaved: each round runs every test at every pipeline depth
# on every configuration back to back, the first configuration rotating
# each round, so slow drift of the machine hits all alike. Each cell is the
# median over the rounds (3). Latency is redis-benchmark's own p50 and p99
# over all requests of the run. Requests per second are not the figure
# redis-benchmark --threads reports, which is rounded to its 250 ms timer
# (see run_one), but the rate at its last progress tick; a run too short
# for one (only with --quick) keeps the rounded figure, marked "~".
# Server CPU is utime+stime of the whole process (all its threads) from
# /proc/PID/stat before and after each run, in CPU seconds per million
# requests. For every configuration the table also gives rps and CPU per
# request relative to the same server with the first (lowest) thread count:
# the scaling factor, and what the extra threads cost per request.
#
# Before the rounds every server is flushed and filled with all the keys the
# tests touch, so every SET overwrites and every GET hits. Requests per run:
# 200k unpipelined, 1M pipelined (a few seconds each); --quick divides both
# by 10. Progress goes to stderr, one line a run; the tables (text, then
# markdown) to stdout; --markdown FILE also writes the markdown table with a
# caption, --raw FILE keeps every run as tab-separated "server test
# pipeline round requests rps p50 p99 cpu-s/Mreq rps-source reported-rps".
# Every run is bounded by --timeout (300 s). With 2 CPUs (4
# configurations) a full run takes 4 to 6 minutes, --quick under 1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"

command_line=$(printf '%q ' "$0" "$@"); command_line=${command_line% }
bench_common_options --respite --redis --quick --rounds --markdown --raw
cpus=$(nproc)
max_threads=$((cpus > 2 ? cpus : 2))
io_threads=$(seq -s ' ' 1 "$max_threads")
redis_io_threads=""
client_threads=2
tests="set get"
pipelines="1 16"
size=64
clients=50
keyspace=100000
requests=200000
requests_pipelined=1000000
run_timeout=300

while [ $# -gt 0 ]; do
	case $1 in
	--io-threads) io_threads=${2//,/ }; shift 2 ;;
	--redis-io-threads) redis_io_threads=$2; shift 2 ;;
	--client-threads) client_threads=$2; shift 2 ;;
	--tests) tests=${2//,/ }; shift 2 ;;
	--pipelines) pipelines=${2//,/ }; shift 2 ;;
	--size) size=$2; shift 2 ;;
	--clients) clients=$2; shift 2 ;;
	--keyspace) keyspace=$2; shift 2 ;;
	--requests) requests=$2; shift 2 ;;
	--requests-pipelined) requests_pipelined=$2; shift 2 ;;
	--timeout) run_timeout=$2; shift 2 ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done

bench_require servers redis-benchmark
bench_check_sizes --size "$size" || exit 2
for k in $io_threads $redis_io_threads $client_threads $rounds; do
	case $k in
	'' | *[!0-9]* | 0) echo "not a positive number: '$k'" >&2; exit 2 ;;
	esac
done
if [ -z "$redis_io_threads" ]; then
	# shellcheck disable=SC2086 # one number a line on purpose
	redis_io_threads=$(printf '%s\n' $io_threads | sort -n | tail -n 1)
	[ "$redis_io_threads" -ge 2 ] || redis_io_threads=2
fi
[ "$quick" -eq 1 ] && requests=$((requests / 10)) && requests_pipelined=$((requests_pipelined / 10))
clk=$(getconf CLK_TCK)

bench_server_dir
[ -n "$raw" ] || raw=$SERVER_DIR/raw.tsv
: >"$raw"

# The configurations, named FAMILY-THREADS, in table order. Extra server
# arguments go through lib.sh's $RESPITE_SERVER_ARGS, set for one call.
servers=""
for k in $io_threads; do servers="$servers respite-$k"; done
servers="$servers redis-1"
[ "$redis_io_threads" -gt 1 ] && servers="$servers redis-$redis_io_threads"
servers=${servers# }
for s in $servers; do
	k=${s##*-}
	case $s in
	respite-*)
		RESPITE_SERVER_ARGS="${RESPITE_SERVER_ARGS:-} --io-threads $k" server_start "$s" "$respite" || exit 1 ;;
	redis-1)
		RESPITE_SERVER_ARGS="${RESPITE_SERVER_ARGS:-} --io-threads 1" server_start "$s" "$redis" || exit 1 ;;
	redis-*)
		RESPITE_SERVER_ARGS="${RESPITE_SERVER_ARGS:-} --io-threads $k --io-threads-do-reads yes" \
			server_start "$s" "$redis" || exit 1 ;;
	esac
done

# server_threads NAME: "io-threads=K (T OS threads)", the setting as the
# server reports it and the threads its process has, to see that the
# setting took effect.
server_threads() {
	local set
	set=$(timeout 10 redis-cli -h 127.0.0.1 -p "${SERVER_PORT[$1]}" config get io-threads 2>/dev/null | sed -n 2p)
	echo "io-threads=${set:-?} ($(find "/proc/${SERVER_PID[$1]}/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l) OS threads)"
}

# run_one SERVER TEST PIPELINE N: one redis-benchmark run. Prints
# "RPS P50_MS P99_MS CPU_S_PER_MREQ RPS_SOURCE REPORTED_RPS", or six "err"
# if the run failed, timed out or reported an error.
#
# With --threads, redis-benchmark notices that the last request is done only
# in its 250 ms progress timer, so the time it reports, and its requests
# per second, are rounded up to that timer: a 2 s run reads up to 12% slow,
# and runs of similar speed all read alike (N / 0.75 s, N / 1 s, ...). So
# the output is not --csv but the plain one, which prints a progress line
# at every tick of that timer; its "overall" rate is the requests finished
# by that tick over the exact time since the start. The last such line,
# written while requests were still in flight, is the throughput (source
# "tick"). A run too short for two ticks with requests done (under about
# half a second: only with --quick) falls back to the rounded summary
# (source "summary"), since a single early tick also weighs the start-up. p50 and p99 come from the
# "latency summary (msec)" table, whose columns are found by their header
# names; both are from the run's whole latency histogram, which the
# rounding does not touch.
run_one() {
	local name=$1 test=$2 p=$3 n=$4 pid=${SERVER_PID[$1]} t0 t1 vals
	local out=$SERVER_DIR/run.out err=$SERVER_DIR/run.err
	t0=$(proc_cpu_ticks "$pid")
	timeout -k 5 "$run_timeout" redis-benchmark -h 127.0.0.1 -p "${SERVER_PORT[$name]}" \
		--threads "$client_threads" -t "$test" -n "$n" -P "$p" -c "$clients" -d "$size" \
		-r "$keyspace" --precision 3 >"$out" 2>"$err"
	local rc=$?
	t1=$(proc_cpu_ticks "$pid")
	vals=$(tr '\r' '\n' <"$out" | awk '
		/ rps=.*\(overall: [0-9.]+\)/ {
			match($0, / rps=[0-9.]+ \(overall: [0-9.]+\)/)
			v = substr($0, RSTART, RLENGTH); sub(/.*overall: /, "", v); sub(/\)/, "", v)
			if (v + 0 > 0) { tick = v; ticks++ }
		}
		/throughput summary:/ { summary = $3 }
		/latency summary \(msec\):/ { want = 1; next }
		want == 1 { for (i = 1; i <= NF; i++) col[$i] = i; want = 2; next }
		want == 2 { p50 = ("p50" in col) ? $col["p50"] : ""; p99 = ("p99" in col) ? $col["p99"] : ""; want = 0 }
		END {
			if (summary == "" || p50 == "" || p99 == "") exit
			if (ticks >= 2) printf "%s %s %s tick %s\n", tick, p50, p99, summary
			else printf "%s %s %s summary %s\n", summary, p50, p99, summary
		}')
	if [ $rc -ne 0 ] || [ -z "$vals" ] || [ -z "$t1" ] || grep -aiqE 'error|warning|could not' "$out" "$err"; then
		[ $rc -eq 124 ] && echo "$name $test -P $p: redis-benchmark timed out after $run_timeout s" >&2
		echo "$name $test -P $p: redis-benchmark failed (exit $rc): $(tr '\r' '\n' <"$err" | head -n 3 | tr '\n' ' ') $(tr '\r' '\n' <"$out" | grep -v 'rps=' | head -n 3 | tr '\n' ' ')" >&2
		echo "err err err err err err"
		return
	fi
	read -r rps p50 p99 source reported <<<"$vals"
	awk -v rps="$rps" -v p50="$p50" -v p99="$p99" -v src="$source" -v rep="$reported" \
		-v dt=$((t1 - t0)) -v clk="$clk" -v n="$n" \
		'BEGIN { printf "%.0f %s %s %.3f %s %.0f\n", rps, p50, p99, dt / clk / (n / 1e6), src, rep }'
}

header() {
	cat <<EOF
# bench/scaling.sh $(date -u '+%Y-%m-%d %H:%M UTC')
# command: $command_line
# host: $(uname -srm), $cpus CPUs available (nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
# respite: $respite
# redis:   $redis ($("$redis" --version | grep -o 'v=[^ ]*'))
# client:  $(redis-benchmark --version) --threads $client_threads -c $clients -r $keyspace -d $size, $rounds rounds, requests $requests unpipelined / $requests_pipelined pipelined
# nothing pinned: the client shares the $cpus CPUs with the server under load
EOF
	for s in $servers; do
		printf '# %-10s %s\n' "$s" "$(server_threads "$s")"
	done
}
header

read -r -a order <<<"$servers"
nserv=${#order[@]}
start=$(date +%s)
# Every key the tests touch, so every SET overwrites and every GET hits.
for s in $servers; do bench_prefill "$s" "$size" "$keyspace" || exit 1; done
for round in $(seq 1 "$rounds"); do
	for p in $pipelines; do
		n=$requests
		[ "$p" -gt 1 ] && n=$requests_pipelined
		for test in $tests; do
			for i in $(seq 0 $((nserv - 1))); do
				s=${order[$(((i + round - 1) % nserv))]}
				read -r rps p50 p99 cpu source reported < <(run_one "$s" "$test" "$p" "$n")
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$test" "$p" "$round" "$n" \
					"$rps" "$p50" "$p99" "$cpu" "$source" "$reported" >>"$raw"
				printf '  [%4ds] round %d  %-4s -P %-2s %-10s n=%-8s rps=%-8s (%-7s reported %-8s) p50=%-7s p99=%-7s cpu-s/Mreq=%s\n' \
					$(($(date +%s) - start)) "$round" "$test" "$p" "$s" "$n" "$rps" "$source" "$reported" "$p50" "$p99" "$cpu" >&2
				if ! server_alive "$s"; then
					echo "$s died; last log lines:" >&2
					tail -n 20 "${SERVER_LOG[$s]}" >&2
					exit 1
				fi
			done
		done
	done
done

# Redis turns its I/O threads off when there are few pending clients; its
# counters show whether they did any work at all.
redis_threaded=""
[ "$redis_io_threads" -gt 1 ] && redis_threaded=$(timeout 10 redis-cli -h 127.0.0.1 -p "${SERVER_PORT[redis-$redis_io_threads]}" info stats 2>/dev/null |
	tr -d '\r' | grep -E '^io_threaded_(reads|writes)_processed:' | tr '\n' ' ')

# The table: medians over rounds, then ratios of the medians. "x1" columns
# divide by the same family's first configuration (respite-1, redis-1);
# "vs redis-1" divides every rps by redis --io-threads 1. "spread" is
# (max - min) / median of rps over the rounds, a measure of this run's
# noise. A failed run is left out of its median; a cell with no successful
# run shows "err"; "~" before an rps says that at least one of its runs
# was too short for a progress tick and kept redis-benchmark's rounded rate.
report() {
	awk -F'\t' -v fmt="$1" -v servers="$servers" '
	function median(list,    a, n, i, j, t) {
		n = split(list, a, " ")
		if (n == 0) return ""
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function spread(list,    a, n, i, lo, hi, m) {
		n = split(list, a, " ")
		if (n < 2) return "-"
		lo = hi = a[1] + 0
		for (i = 2; i <= n; i++) { if (a[i] + 0 < lo) lo = a[i] + 0; if (a[i] + 0 > hi) hi = a[i] + 0 }
		m = median(list)
		return m + 0 == 0 ? "-" : sprintf("%.0f%%", 100 * (hi - lo) / m)
	}
	function ratio(x, y) { return (x == "" || y == "" || y + 0 == 0) ? "err" : sprintf("%.2f", x / y) }
	function num(x, f) { return x == "" ? "err" : (x == "n/a" ? x : sprintf(f, x)) }
	{
		key = $2 " " $3
		if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key }
		if ($6 != "err") {
			rps[key, $1] = rps[key, $1] " " $6; p50[key, $1] = p50[key, $1] " " $7
			p99[key, $1] = p99[key, $1] " " $8; cpu[key, $1] = cpu[key, $1] " " $9
			if ($10 == "summary") rounded[key, $1] = "~"
		}
	}
	END {
		ns = split(servers, sv, " ")
		for (i = 1; i <= ns; i++) {
			fam = sv[i]; sub(/-[0-9]+$/, "", fam)
			if (!(fam in base)) base[fam] = sv[i]
		}
		if (fmt == "md") {
			print "| test | pipeline | server | io-threads | rps | p50 ms | p99 ms | cpu-s/Mreq | rps x1 | cpu x1 | rps vs redis-1 | spread |"
			print "|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
			line = "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
		} else {
			printf "%-4s %3s %-8s %3s %10s %8s %8s %10s %6s %6s %8s %6s\n", "test", "P", "server", "thr", "rps", "p50-ms", "p99-ms", "cpu-s/Mreq", "rps-x1", "cpu-x1", "vs-redis1", "spread"
			line = "%-4s %3s %-8s %3s %10s %8s %8s %10s %6s %6s %8s %6s\n"
		}
		for (k = 1; k <= nkeys; k++) {
			split(keys[k], f, " ")
			rr = median(rps[keys[k], "redis-1"])
			for (i = 1; i <= ns; i++) {
				s = sv[i]; fam = s; sub(/-[0-9]+$/, "", fam); thr = s; sub(/^.*-/, "", thr)
				b = base[fam]
				r = median(rps[keys[k], s]); c = median(cpu[keys[k], s])
				rb = median(rps[keys[k], b]); cb = median(cpu[keys[k], b])
				printf line, toupper(f[1]), f[2], fam, thr, rounded[keys[k], s] num(r, "%.0f"),
					num(median(p50[keys[k], s]), "%.3f"), num(median(p99[keys[k], s]), "%.3f"), num(c, "%.3f"),
					ratio(r, rb), ratio(c, cb), ratio(r, rr), spread(rps[keys[k], s])
			}
		}
	}' "$raw"
}

caption="Medians of $rounds rounds, $(date -u '+%Y-%m-%d'), $cpus CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), redis-benchmark --threads $client_threads -c $clients -r $keyspace -d $size, nothing pinned: the client shares the CPUs with the server. rps at redis-benchmark's last progress tick (its own figure is rounded to 250 ms), ~ where a run was too short for one; x1 = relative to the same server with its first thread count (rps: scaling factor; cpu: cost per request); spread = (max - min) / median of rps over the rounds."
echo
echo "# medians of $rounds rounds; rps-x1, cpu-x1: relative to the same server's first thread count (respite-${order[0]##*-}, redis-1);"
echo "# vs-redis1: rps / redis --io-threads 1; spread: (max - min) / median of rps. The client shares the $cpus CPUs with the server."
report text
echo
[ -n "$redis_threaded" ] && echo "# redis-$redis_io_threads: $redis_threaded" && echo
report md
if [ -n "$markdown" ]; then
	{
		echo "$caption"
		echo
		report md
	} >"$markdown"
	echo
	echo "# markdown written to $markdown"
fi
echo "# total $(($(date +%s) - start)) s"
