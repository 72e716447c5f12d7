#!/usr/bin/env bash
# Throughput and server CPU per request of respite next to redis-server, with a second redis-server as A/A control.
#
# Usage: bench/compare.sh [--quick] [--respite BIN] [--redis BIN] [--rounds N]
#            [--tests "set get incr mset hset hget hgetall sadd spop sismember lpush rpush
#                     lpop rpop lrange_100 lrange_600 zadd zpopmin"]
#            [--pipelines "1 16"] [--sizes "64 4096"]
#            [--clients N] [--keyspace N] [--requests N] [--requests-pipelined N]
#            [--server-cpu C] [--client-cpu C] [--respite-args "ARGS"]
#            [--pogocache BIN] [--markdown FILE] [--raw FILE]
#
# Tests are redis-benchmark's (-t) names, plus three scripts (Lua, the
# same on every server): evalsha (EVALSHA of `return redis.call('get',
# KEYS[1])`), limiter (EVALSHA of a rate limiter: INCR, and EXPIRE on the
# first hit) and eval (EVAL of the GET script, the body sent every time).
#
# Hashes and sets (in the default tests after set get incr mset):
#   hset, hget, hgetall  HSET hash:N field:5 VALUE (-d bytes), HGET hash:N
#                        field:5, HGETALL hash:N, on keyspace/10 hashes of
#                        10 fields (field:0..field:9) with values of -d bytes
#                        (listpack encoded at -d 64, hashtable at -d 4096).
#   sadd, spop           redis-benchmark's own: SADD myset element:N, SPOP
#                        myset, on one set of keyspace members (hashtable).
#   sismember            SISMEMBER myset element:N, always a hit.
#   lpush, rpush,        redis-benchmark's own, on one list (mylist) of
#   lpop, rpop           -d byte elements; before each pop run the list is
#                        topped up as the set is for SPOP, and checked
#                        after it; after every list run it is put back to
#                        600 elements.
#   lrange_100,          LRANGE mylist 0 99 and 0 599 (redis-benchmark's
#   lrange_600           rows of those names, on the 600-element list).
#   zadd, zpopmin        redis-benchmark's own: ZADD myzset SCORE
#                        element:N (a random score with -r), ZPOPMIN myzset,
#                        on one sorted set of keyspace members (skiplist),
#                        topped up before each ZPOPMIN run as the set is for
#                        SPOP, checked and put back after it.
# Every SADD finds its member there already, as every SET overwrites. Before
# each SPOP run the set is topped up with as many members as the run pops
# (-n, plus clients x pipeline that redis-benchmark may send beyond it), so
# no SPOP finds it empty; after it, the script checks that the run popped
# them (else the run counts as failed) and puts the set back as it was.
# --respite-args passes options to respite only, e.g. "--io-threads 2" to
# price the shard locks a script takes when there are several threads.
#
# Pogocache (--pogocache BIN, or $POGOCACHE; ../shared/anchors/ has a
# script that builds it) joins as a fourth server, one thread, for the
# tests it speaks (set get incr: it has no MSET, hashes, sets or scripts);
# the table then gains its rate and CPU and respite's ratios to them ("-"
# where it does not run). Without it the script runs as before.
#
# Three servers run for the whole benchmark: respite, redis A and redis B
# (the same redis-server binary twice). They are all pinned to one core and
# redis-benchmark to another, and only one server is under load at a time,
# so each gets the core to itself. Runs are interleaved: for each test, one
# run on every server, and a round repeats every test; the server that goes
# first rotates each round so none is always first after a pause. Each cell
# of the table is the median over the rounds.
#
# Server CPU is utime+stime from /proc/PID/stat read before and after each
# run, in clock ticks (10 ms at the usual 100 Hz), reported as CPU seconds
# per million requests: the cost of the work, which holds up better on a
# noisy machine than requests per second.
#
# redis A against redis B is the A/A control: identical servers, so any
# distance of that ratio from 1.00 is noise of this machine and run order.
# A respite/redis ratio closer to 1.00 than the A/A spread says nothing.
#
# Before each value size, every server is flushed and filled with all the
# keys the tests touch, so every SET overwrites and every GET hits, in every
# round alike. Requests per run: 200k unpipelined, 1M pipelined; MSET (10 keys
# a request) and HGETALL (10 values a reply) get a fifth and values of 1 KiB
# or more half, to keep runs a few seconds each; the list tests get a tenth
# of that at 1 KiB or more (a top-up is -n elements), LRANGE_100 a fifth
# and LRANGE_600 a twenty-fifth (a tenth and a hundredth at 1 KiB). --quick divides all by 10.
# A full run takes 15 to 25 minutes (the string tests alone 5 to 10).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"

bench_common_options --respite --redis --quick --rounds --server-cpu --client-cpu \
	--respite-args --markdown --raw
tests="set get incr mset hset hget hgetall sadd spop sismember lpush rpush lpop rpop lrange_100 lrange_600 zadd zpopmin"
pogocache=${POGOCACHE:-}
pipelines="1 16"
sizes="64 4096"
clients=50
keyspace=100000
requests=200000
requests_pipelined=1000000

while [ $# -gt 0 ]; do
	case $1 in
	--tests) tests=${2//,/ }; shift 2 ;;
	--pipelines) pipelines=${2//,/ }; shift 2 ;;
	--sizes) sizes=${2//,/ }; shift 2 ;;
	--clients) clients=$2; shift 2 ;;
	--keyspace) keyspace=$2; shift 2 ;;
	--requests) requests=$2; shift 2 ;;
	--requests-pipelined) requests_pipelined=$2; shift 2 ;;
	--pogocache) pogocache=$2; shift 2 ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done

bench_require servers redis-benchmark
# shellcheck disable=SC2086 # one size a word on purpose
bench_check_sizes --sizes $sizes || exit 2
[ "$quick" -eq 1 ] && requests=$((requests / 10)) && requests_pipelined=$((requests_pipelined / 10))

# Pinning needs two cores and taskset; without them the numbers are still
# comparable with each other, just noisier.
bench_pin "$server_cpu" "$client_cpu"
clk=$(getconf CLK_TCK)

bench_server_dir
[ -n "$raw" ] || raw=$SERVER_DIR/raw.tsv
: >"$raw"

servers="respite redis redisB"
server_start respite "$respite" "$server_pin" "$respite_args" || exit 1
server_start redis "$redis" "$server_pin" || exit 1
server_start redisB "$redis" "$server_pin" || exit 1
if [ -n "$pogocache" ]; then
	server_start pogocache "$pogocache" "$server_pin" "--threads 1" || exit 1
	servers="$servers pogocache"
fi

# pogo_runs TEST: whether Pogocache takes part in TEST.
pogo_runs() {
	case $1 in set | get | incr) return 0 ;; esac
	return 1
}

# requests_for TEST PIPELINE SIZE
requests_for() {
	local n=$requests
	[ "$2" -gt 1 ] && n=$requests_pipelined
	case $1 in
	mset | hgetall | lrange_100) n=$((n / 5)) ;;
	lrange_600) n=$((n / 25)) ;;
	esac
	[ "$3" -ge 1024 ] && n=$((n / 2))
	if [ "$3" -ge 1024 ]; then
		case $1 in lpush | rpush | lpop | rpop) n=$((n / 10)) ;; lrange_*) n=$((n / 4)) ;; esac
	fi
	[ "$n" -ge 1000 ] || n=1000
	echo "$n"
}

# The script tests' bodies; SCRIPT LOAD gives the same sha on every server.
script_get="return redis.call('get', KEYS[1])"
script_limiter="local n = redis.call('incr', KEYS[1]) if n == 1 then redis.call('expire', KEYS[1], 60) end return n"

# load_scripts SERVER: caches both scripts (SCRIPT FLUSH is never sent, and
# FLUSHALL keeps scripts), setting sha_get and sha_limiter.
load_scripts() {
	local port=${SERVER_PORT[$1]}
	sha_get=$(redis-cli -p "$port" script load "$script_get")
	sha_limiter=$(redis-cli -p "$port" script load "$script_limiter")
	if [ ${#sha_get} -ne 40 ] || [ ${#sha_limiter} -ne 40 ]; then
		echo "SCRIPT LOAD failed on $1: $sha_get $sha_limiter" >&2
		return 1
	fi
}

# The hash tests run on hash_keys hashes of 10 fields, as many values as
# the string keys hold; the set tests on one set of keyspace members.
hash_keys=$((keyspace / 10))
[ "$hash_keys" -ge 1 ] || hash_keys=1
has_hash_tests=0 has_set_tests=0 has_list_tests=0 has_zset_tests=0
for t in $tests; do
	case $t in
	hset | hget | hgetall) has_hash_tests=1 ;;
	sadd | spop | sismember) has_set_tests=1 ;;
	lpush | rpush | lpop | rpop | lrange_100 | lrange_600) has_list_tests=1 ;;
	zadd | zpopmin) has_zset_tests=1 ;;
	esac
done
list_base=600 # mylist's length between runs

# pipe_to SERVER: streams stdin into SERVER with redis-cli --pipe, up to
# 300 s; fails with redis-cli's report unless it saw no errors.
pipe_to() {
	local out
	out=$(timeout 300 redis-cli -h 127.0.0.1 -p "${SERVER_PORT[$1]}" --pipe 2>&1)
	if ! printf '%s\n' "$out" | grep -q '^errors: 0,'; then
		echo "loading $1 failed: $out" >&2
		return 1
	fi
}

# set_add SERVER FROM TO: SADD myset element:N for FROM <= N < TO (N in
# redis-benchmark's 12 digits), 1000 members a command.
set_add() {
	LC_ALL=C awk -v from="$2" -v to="$3" 'BEGIN {
		for (i = from; i < to; i += m) {
			m = to - i < 1000 ? to - i : 1000
			printf "*%d\r\n$4\r\nSADD\r\n$5\r\nmyset\r\n", m + 2
			for (j = i; j < i + m; j++) printf "$20\r\nelement:%012d\r\n", j
		}
	}' | pipe_to "$1"
}

# value_of BYTES C: a value of BYTES bytes, every one C (HSET's argument).
value_of() {
	local v
	printf -v v '%*s' "$1" ''
	echo "${v// /$2}"
}

# rcli_to SERVER ARGS...: one redis-cli command to SERVER, up to 30 s.
rcli_to() {
	local port=${SERVER_PORT[$1]}
	shift
	timeout 30 redis-cli -h 127.0.0.1 -p "$port" "$@"
}

# zset_add SERVER FROM TO: ZADD myzset N element:N for FROM <= N < TO,
# 1000 members a command.
zset_add() {
	LC_ALL=C awk -v from="$2" -v to="$3" 'BEGIN {
		for (i = from; i < to; i += m) {
			m = to - i < 1000 ? to - i : 1000
			printf "*%d\r\n$4\r\nZADD\r\n$6\r\nmyzset\r\n", 2 * m + 2
			for (j = i; j < i + m; j++) printf "$%d\r\n%d\r\n$20\r\nelement:%012d\r\n", length(j ""), j, j
		}
	}' | pipe_to "$1"
}

# zset_reset SERVER: myzset holds exactly element:N for N < keyspace.
zset_reset() {
	rcli_to "$1" del myzset >/dev/null
	zset_add "$1" 0 "$keyspace" || return 1
	[ "$(rcli_to "$1" zcard myzset)" = "$keyspace" ] ||
		{ echo "$1: ZCARD myzset is not $keyspace after the fill" >&2; return 1; }
}

# set_reset SERVER: myset holds exactly element:N for N < keyspace.
set_reset() {
	rcli_to "$1" del myset >/dev/null
	set_add "$1" 0 "$keyspace" || return 1
	[ "$(rcli_to "$1" scard myset)" = "$keyspace" ] ||
		{ echo "$1: SCARD myset is not $keyspace after the fill" >&2; return 1; }
}

# list_push SERVER N SIZE: RPUSH mylist of N elements of SIZE bytes, 1000
# a command.
list_push() {
	LC_ALL=C awk -v n="$2" -v size="$3" "$BENCH_AWK"'BEGIN {
		v = bench_value(size, "x")
		for (i = 0; i < n; i += m) {
			m = n - i < 1000 ? n - i : 1000
			printf "*%d\r\n$5\r\nRPUSH\r\n$6\r\nmylist\r\n", m + 2
			for (j = 0; j < m; j++) printf "$%d\r\n%s\r\n", size, v
		}
	}' | pipe_to "$1"
}

# list_reset SERVER SIZE: mylist holds list_base elements of SIZE bytes.
list_reset() {
	rcli_to "$1" del mylist >/dev/null
	list_push "$1" "$list_base" "$2" || return 1
	[ "$(rcli_to "$1" llen mylist)" = "$list_base" ] ||
		{ echo "$1: LLEN mylist is not $list_base after the fill" >&2; return 1; }
}

# prefill_containers SERVER SIZE: after bench_prefill, the hashes (hash:N,
# N < hash_keys, field:0..field:9 with SIZE-byte values) and the set the
# tests use, if any test uses them.
prefill_containers() {
	if [ "$has_hash_tests" -eq 1 ]; then
		LC_ALL=C awk -v n="$hash_keys" -v size="$2" "$BENCH_AWK"'BEGIN {
			v = bench_value(size, "x")
			for (i = 0; i < n; i++) {
				printf "*22\r\n$4\r\nHSET\r\n$17\r\nhash:%012d\r\n", i
				for (f = 0; f < 10; f++) printf "$7\r\nfield:%d\r\n$%d\r\n%s\r\n", f, size, v
			}
		}' | pipe_to "$1" || return 1
		[ "$(rcli_to "$1" hlen hash:000000000000)" = 10 ] ||
			{ echo "$1: HLEN of a prefilled hash is not 10" >&2; return 1; }
	fi
	if [ "$has_set_tests" -eq 1 ]; then
		set_reset "$1" || return 1
	fi
	if [ "$has_list_tests" -eq 1 ]; then
		list_reset "$1" "$2" || return 1
	fi
	if [ "$has_zset_tests" -eq 1 ]; then
		zset_reset "$1" || return 1
	fi
}

# pop_check SERVER TEST N BEFORE SIZE: after an SPOP, ZPOPMIN, LPOP or RPOP run of
# N requests, true if it popped at least N members or elements and left
# some; then restores the set or list.
pop_check() {
	local after status=0 count=scard key=myset
	case $2 in lpop | rpop) count=llen key=mylist ;; zpopmin) count=zcard key=myzset ;; esac
	after=$(rcli_to "$1" "$count" "$key")
	if ! [[ $after =~ ^[0-9]+$ ]] || [ "$after" -eq 0 ] || [ $(($4 - after)) -lt "$3" ]; then
		echo "$1: $2 run of $3 requests took ${count^^} $key from $4 to $after" >&2
		status=1
	fi
	if [ "$2" = spop ]; then
		set_reset "$1" || return 2
	elif [ "$2" = zpopmin ]; then
		zset_reset "$1" || return 2
	else
		list_reset "$1" "$5" || return 2
	fi
	return "$status"
}

# run_one SERVER TEST PIPELINE SIZE N: one redis-benchmark run. Prints
# "RPS CPU_S_PER_MREQ", or "err err" if the run failed or reported an error.
run_one() {
	local name=$1 test=$2 p=$3 size=$4 n=$5 pid=${SERVER_PID[$1]} t0 t1 rps
	local out=$SERVER_DIR/run.out err=$SERVER_DIR/run.err
	local range=$keyspace before=""
	local -a what
	case $test in # what redis-benchmark runs, on the prefilled keys
	evalsha) what=(EVALSHA "$sha_get" 1 key:__rand_int__) ;;
	limiter) what=(EVALSHA "$sha_limiter" 1 counter:__rand_int__) ;;
	eval) what=(EVAL "$script_get" 1 key:__rand_int__) ;;
	hset) what=(HSET hash:__rand_int__ field:5 "$(value_of "$size" y)") range=$hash_keys ;;
	hget) what=(HGET hash:__rand_int__ field:5) range=$hash_keys ;;
	hgetall) what=(HGETALL hash:__rand_int__) range=$hash_keys ;;
	sismember) what=(SISMEMBER myset element:__rand_int__) ;;
	lrange_100) what=(LRANGE mylist 0 99) ;;
	lrange_600) what=(LRANGE mylist 0 599) ;;
	*) what=(-t "$test") ;;
	esac
	# Top up myset or mylist with as many as the run pops: -n, and up to a
	# pipeline a client more, which redis-benchmark may send.
	case $test in
	spop)
		set_add "$name" "$keyspace" $((keyspace + n + clients * p)) >&2 || { echo "err err"; return; }
		before=$(rcli_to "$name" scard myset)
		;;
	zpopmin)
		zset_add "$name" "$keyspace" $((keyspace + n + clients * p)) >&2 || { echo "err err"; return; }
		before=$(rcli_to "$name" zcard myzset)
		;;
	lpop | rpop)
		list_push "$name" $((n + clients * p)) "$size" >&2 || { echo "err err"; return; }
		before=$(rcli_to "$name" llen mylist)
		;;
	esac
	t0=$(proc_cpu_ticks "$pid")
	timeout 600 "${client_pin[@]}" redis-benchmark -h 127.0.0.1 -p "${SERVER_PORT[$name]}" \
		-n "$n" -P "$p" -c "$clients" -d "$size" -r "$range" --csv "${what[@]}" >"$out" 2>"$err"
	local rc=$?
	t1=$(proc_cpu_ticks "$pid")
	rps=$(awk -F'"' 'NR == 2 { print $4 }' "$out")
	# Pogocache has no CONFIG: redis-benchmark warns it could not read it.
	if [ $rc -ne 0 ] || [ -z "$rps" ] ||
		grep -av 'Could not fetch server CONFIG' "$out" "$err" | grep -aiqE 'error|warning|could not'; then
		echo "$name $test -P $p -d $size: redis-benchmark failed (exit $rc): $(cat "$err" "$out" | head -n 3 | cut -c 1-300 | tr '\n' ' ')" >&2
		[ -n "$before" ] && pop_check "$name" "$test" 0 "$before" "$size" >&2
		echo "err err"
		return
	fi
	if [ -n "$before" ] && ! pop_check "$name" "$test" "$n" "$before" "$size" >&2; then
		echo "err err"
		return
	fi
	# Pushes grew the list: back to its base for the next runs.
	case $test in lpush | rpush) list_reset "$name" "$size" >&2 || { echo "err err"; return; } ;; esac
	awk -v rps="$rps" -v dt=$((t1 - t0)) -v clk="$clk" -v n="$n" \
		'BEGIN { printf "%s %.3f\n", rps, dt / clk / (n / 1e6) }'
}

for s in $servers; do [ "$s" = pogocache ] || load_scripts "$s" || exit 1; done

cat <<EOF
# bench/compare.sh $(date -u '+%Y-%m-%d %H:%M UTC')
# host: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
# respite: $respite
# redis:   $redis ($("$redis" --version | grep -o 'v=[^ ]*'))
# client:  $(redis-benchmark --version); servers on cpu ${server_pin:-any}, client on cpu ${client_pin[2]:-any}
# $rounds rounds, -c $clients -r $keyspace, requests $requests unpipelined / $requests_pipelined pipelined (mset, hgetall /5, size >= 1024 /2)
# hash tests on $hash_keys hashes of 10 fields (-r $hash_keys), set tests on one set of $keyspace members
# pogocache: ${pogocache:-not in this run}
EOF

read -r -a order <<<"$servers"
start=$(date +%s)
for size in $sizes; do
	# Every key the tests touch, so every SET overwrites and every GET hits.
	for s in $servers; do
		bench_prefill "$s" "$size" "$keyspace" || exit 1
		[ "$s" = pogocache ] || prefill_containers "$s" "$size" || exit 1
	done
	for round in $(seq 1 "$rounds"); do
		for p in $pipelines; do
			for test in $tests; do
				n=$(requests_for "$test" "$p" "$size")
				for i in "${!order[@]}"; do
					s=${order[$(((i + round - 1) % ${#order[@]}))]}
					[ "$s" = pogocache ] && ! pogo_runs "$test" && continue
					read -r rps cpu < <(run_one "$s" "$test" "$p" "$size" "$n")
					printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$test" "$p" "$size" "$round" "$n" "$rps" "$cpu" >>"$raw"
					printf '  [%4ds] round %d  %-9s -P %-2s -d %-5s %-7s n=%-8s rps=%-10s cpu-s/Mreq=%s\n' \
						$(($(date +%s) - start)) "$round" "$test" "$p" "$size" "$s" "$n" "$rps" "$cpu" >&2
					if ! server_alive "$s"; then
						echo "$s died; last log lines:" >&2
						tail -n 20 "${SERVER_LOG[$s]}" >&2
						exit 1
					fi
				done
			done
		done
	done
done

# The table: medians over rounds of rps and CPU per server, then ratios of
# the medians. A failed run is left out of its median; a cell with no
# successful run shows "err".
report() {
	awk -F'\t' -v fmt="$1" -v pogo="$([ -n "$pogocache" ] && echo 1 || echo 0)" '
	function median(list,    a, n, i, j, t) {
		n = split(list, a, " ")
		if (n == 0) return ""
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function ratio(x, y) { return (x == "" || y == "" || y + 0 == 0) ? "err" : sprintf("%.2f", x / y) }
	function num(x, f) { return x == "" ? "err" : sprintf(f, x) }
	{
		key = $2 " " $3 " " $4
		if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key }
		if ($7 != "err") { rps[key, $1] = rps[key, $1] " " $7; cpu[key, $1] = cpu[key, $1] " " $8 }
	}
	END {
		if (fmt == "md") {
			printf "| test | pipeline | size | rps respite | rps redis | rps redis-B | respite/redis | A/A redis-B/redis | cpu-s/Mreq respite | cpu-s/Mreq redis | cpu respite/redis | cpu A/A |"
			if (pogo) printf " rps pogocache | respite/pogocache | cpu-s/Mreq pogocache | cpu respite/pogocache |"
			printf "\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
			if (pogo) printf "--:|--:|--:|--:|"
			printf "\n"
			line = "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
			pline = " %s | %s | %s | %s |"
		} else {
			printf "%-9s %3s %5s %11s %11s %11s %8s %8s %9s %9s %8s %8s", "test", "P", "size", "rps-respite", "rps-redis", "rps-redisB", "ratio", "A/A", "cpu-resp", "cpu-redis", "cpu-rat", "cpu-A/A"
			if (pogo) printf " %11s %8s %9s %8s", "rps-pogo", "r/pogo", "cpu-pogo", "cpu-r/p"
			printf "\n"
			line = "%-9s %3s %5s %11s %11s %11s %8s %8s %9s %9s %8s %8s"
			pline = " %11s %8s %9s %8s"
		}
		for (k = 1; k <= nkeys; k++) {
			split(keys[k], f, " ")
			r1 = median(rps[keys[k], "respite"]); r2 = median(rps[keys[k], "redis"]); r3 = median(rps[keys[k], "redisB"])
			c1 = median(cpu[keys[k], "respite"]); c2 = median(cpu[keys[k], "redis"]); c3 = median(cpu[keys[k], "redisB"])
			printf line, toupper(f[1]), f[2], f[3], num(r1, "%.0f"), num(r2, "%.0f"), num(r3, "%.0f"),
				ratio(r1, r2), ratio(r3, r2), num(c1, "%.3f"), num(c2, "%.3f"), ratio(c1, c2), ratio(c3, c2)
			if (pogo) {
				r4 = median(rps[keys[k], "pogocache"]); c4 = median(cpu[keys[k], "pogocache"])
				if (r4 == "") printf pline, "-", "-", "-", "-"
				else printf pline, num(r4, "%.0f"), ratio(r1, r4), num(c4, "%.3f"), ratio(c1, c4)
			}
			printf "\n"
		}
	}' "$raw"
}

echo
echo "# medians of $rounds rounds; ratio = respite/redis (rps: higher is better for respite; cpu: lower is)"
report text
echo
report md
if [ -n "$markdown" ]; then
	{
		echo "Medians of $rounds rounds, $(date -u '+%Y-%m-%d'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), -c $clients -r $keyspace; cpu-s/Mreq = server CPU seconds per million requests."
		echo
		report md
	} >"$markdown"
	echo
	echo "# markdown written to $markdown"
fi
echo "# total $(($(date +%s) - start)) s"
