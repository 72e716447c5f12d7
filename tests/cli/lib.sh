# Shared helpers for the redis-cli checks and the benchmarks: results, server start/stop.
# shellcheck shell=bash disable=SC2034
#
# Sourced, never run. Everything talks to 127.0.0.1 only. Every wait here is
# bounded, so a server that hangs or dies turns into a FAIL line, never a
# stuck script.

CLI_HOST=127.0.0.1
CLI_PORT=${RESPITE_PORT:-6379}
CLI_PASSED=0
CLI_FAILED=0

# cli_parse_args: the common options of every check script (--host, --port).
cli_parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--host) CLI_HOST=$2; shift 2 ;;
		--port) CLI_PORT=$2; shift 2 ;;
		*) echo "unknown option: $1 (use --host H --port P)" >&2; exit 2 ;;
		esac
	done
}

ok() {
	CLI_PASSED=$((CLI_PASSED + 1))
	echo "ok: $*"
}

fail() {
	CLI_FAILED=$((CLI_FAILED + 1))
	echo "FAIL: $*"
}

# check_eq DESCRIPTION EXPECTED ACTUAL: on failure, print both values.
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# check_grep DESCRIPTION PATTERN FILE: FILE has a line matching the extended regex.
check_grep() {
	if grep -aEq -- "$2" "$3"; then
		ok "$1"
	else
		fail "$1: no line matches /$2/ in: $(head -c 400 "$3" | tr '\r\n' '  ')"
	fi
}

# cli_done: the exit status of a check script.
cli_done() {
	[ "$CLI_FAILED" -eq 0 ]
	exit $?
}

# rcli ARGS...: redis-cli against the server under test, never more than 30 s.
rcli() {
	timeout 30 redis-cli -h "$CLI_HOST" -p "$CLI_PORT" "$@"
}

# ---------------------------------------------------------------------------
# Servers. A script may run several (the benchmarks run three), so each one
# has a name and its pid and port live in these arrays.

declare -A SERVER_PID SERVER_PORT SERVER_BIN SERVER_LOG
SERVER_DIR=${SERVER_DIR:-}

# port_in_use PORT: true if something accepts connections on 127.0.0.1:PORT.
port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port: print a port nobody listens on. Racy by nature, so server_start
# retries on another port if the server cannot bind.
free_port() {
	local i p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 30000))
		if ! port_in_use "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# server_wait_ready PORT PID: up to 10 s for PING to answer PONG.
server_wait_ready() {
	local _
	for _ in $(seq 1 100); do
		kill -0 "$2" 2>/dev/null || return 1
		if [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# server_start NAME BINARY [CPU [EXTRA]]: start BINARY on a free loopback
# port, pinned to CPU with taskset if given (an empty CPU pins nothing).
# redis-server gets --save "" --appendonly no so it never touches the disk;
# every binary also gets the words of $RESPITE_SERVER_ARGS, and this one the
# words of EXTRA. The server runs in $SERVER_DIR so nothing lands in the
# caller's directory.
server_start() {
	local name=$1 bin=$2 cpu=${3:-} extra=${4:-} port pid _ log
	local -a args pin=()
	if [ ! -x "$bin" ]; then
		echo "server binary not found or not executable: $bin" >&2
		return 1
	fi
	if [ -z "$SERVER_DIR" ]; then
		echo "server_start: SERVER_DIR is not set" >&2
		return 1
	fi
	[ -n "$cpu" ] && pin=(taskset -c "$cpu")
	for _ in 1 2 3 4 5; do
		port=$(free_port) || return 1
		args=(--port "$port" --bind 127.0.0.1)
		case $(basename "$bin") in
		redis-server*) args+=(--save "" --appendonly no) ;;
		# Pogocache (bench/compare.sh's optional peer) has flags of its own.
		pogocache*) args=(-p "$port" -h 127.0.0.1) ;;
		esac
		# shellcheck disable=SC2206 # split into words on purpose
		case $(basename "$bin") in
		pogocache*) args+=($extra) ;;
		*) args+=(${RESPITE_SERVER_ARGS:-} $extra) ;;
		esac
		log="$SERVER_DIR/$name.log"
		(cd "$SERVER_DIR" && exec "${pin[@]}" "$bin" "${args[@]}") >"$log" 2>&1 &
		pid=$!
		if server_wait_ready "$port" "$pid"; then
			SERVER_PID[$name]=$pid
			SERVER_PORT[$name]=$port
			SERVER_BIN[$name]=$bin
			SERVER_LOG[$name]=$log
			return 0
		fi
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	echo "could not start $bin; last log lines:" >&2
	tail -n 20 "$log" >&2
	return 1
}

# server_alive NAME
server_alive() {
	[ -n "${SERVER_PID[$1]:-}" ] && kill -0 "${SERVER_PID[$1]}" 2>/dev/null
}

# server_stop NAME: SIGTERM, up to 5 s to exit, then SIGKILL. Only ever
# signals the pid this script started.
server_stop() {
	local pid=${SERVER_PID[$1]:-} _
	[ -n "$pid" ] || return 0
	if kill -TERM "$pid" 2>/dev/null; then
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	unset "SERVER_PID[$1]"
}

server_stop_all() {
	local name
	for name in "${!SERVER_PID[@]}"; do
		server_stop "$name"
	done
}

# proc_cpu_ticks PID: utime+stime of PID in clock ticks (fields 14 and 15 of
# /proc/PID/stat, counted after the ")" that closes the command name, since
# the name may contain spaces).
proc_cpu_ticks() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	# Now field 1 is the state, i.e. field 3 of the full line.
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $stat
	echo $((${12} + ${13}))
}

# ---------------------------------------------------------------------------
# Benchmark scaffolding shared by bench/*.sh.

# usage [STATUS]: prints the calling script's header comment (up to its
# `set -u`) as its help, and exits.
usage() {
	sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit "${1:-0}"
}

# Options. A bench script names the common options it takes, which also
# sets their defaults, and parses the rest in its own case loop, handing
# every word it does not know to bench_option:
#
#	bench_common_options --respite --redis --quick --markdown
#	keys=1000000
#	while [ $# -gt 0 ]; do
#		case $1 in
#		--keys) keys=$2; shift 2 ;;
#		*) bench_option "$@"; shift "$bench_shift" ;;
#		esac
#	done
#
# The common options, the variable each sets and its default:
#
#	--respite BIN          respite       $repo/src/respite-server
#	--redis BIN            redis         the redis-server on PATH
#	--server-cpu C         server_cpu    0
#	--client-cpu C         client_cpu    1
#	--quick                quick         0 (1 if given)
#	--rounds N             rounds        3
#	--markdown FILE        markdown      "" (none)
#	--raw FILE             raw           "" (none)
#	--respite-args ARGS    respite_args  ""
#
# A script only accepts the ones it names, so that an option it would
# ignore is an error rather than silently nothing; a default it wants
# otherwise it sets after bench_common_options. $repo is the caller's, the
# checkout it runs from.

BENCH_OPTIONS=""

# bench_common_options OPTION...: the common options this script takes
# (spelled as on the command line), each set to its default.
bench_common_options() {
	local o
	for o in "$@"; do
		# shellcheck disable=SC2154 # $repo is the calling script's
		case $o in
		--respite) respite=$repo/src/respite-server ;;
		--redis) redis=$(command -v redis-server || echo /usr/bin/redis-server) ;;
		--server-cpu) server_cpu=0 ;;
		--client-cpu) client_cpu=1 ;;
		--quick) quick=0 ;;
		--rounds) rounds=3 ;;
		--markdown) markdown="" ;;
		--raw) raw="" ;;
		--respite-args) respite_args="" ;;
		*) echo "bench_common_options: no common option $o" >&2; exit 2 ;;
		esac
	done
	BENCH_OPTIONS=" $* "
}

# bench_option WORD...: called with the words left on the command line,
# takes the first: one of the common options this script named (and its
# value), -h or --help (prints the help and exits 0), or anything else
# (says so, prints the help to stderr and exits 2). Sets bench_shift to the
# number of words it took, for the caller to shift.
bench_option() {
	bench_shift=2
	case $1 in
	-h | --help) usage 0 ;;
	esac
	case $BENCH_OPTIONS in
	*" $1 "*) ;;
	*) echo "unknown option: $1" >&2; usage 2 >&2 ;;
	esac
	case $1 in
	--respite) respite=$2 ;;
	--redis) redis=$2 ;;
	--server-cpu) server_cpu=$2 ;;
	--client-cpu) client_cpu=$2 ;;
	--quick) quick=1; bench_shift=1 ;;
	--rounds) rounds=$2 ;;
	--markdown) markdown=$2 ;;
	--raw) raw=$2 ;;
	--respite-args) respite_args=$2 ;;
	esac
}

# bench_require WHAT...: exits 2 with a message unless every WHAT is there:
# "servers" (the --respite and --redis binaries), "redis-benchmark", or
# "perl" (with IO::Socket::INET and Time::HiRes, which the samplers use).
bench_require() {
	local what f
	for what in "$@"; do
		case $what in
		servers)
			for f in "$respite" "$redis"; do
				if [ ! -x "$f" ]; then
					echo "not executable: $f (use --respite BIN / --redis BIN; --respite $redis compares redis with itself)" >&2
					exit 2
				fi
			done
			;;
		redis-benchmark)
			command -v redis-benchmark >/dev/null || { echo "redis-benchmark not found" >&2; exit 2; } ;;
		perl)
			perl -MIO::Socket::INET -MTime::HiRes -e 1 2>/dev/null ||
				{ echo "perl with IO::Socket::INET and Time::HiRes is needed" >&2; exit 2; } ;;
		*) echo "bench_require: nothing called $what" >&2; exit 2 ;;
		esac
	done
}

# bench_pin SERVER_CPU CLIENT_CPU: sets server_pin (a CPU for server_start)
# and client_pin (a taskset prefix array), both empty when the machine has
# fewer than 2 cores or no taskset.
bench_pin() {
	server_pin=$1
	client_pin=(taskset -c "$2")
	if [ "$(nproc)" -lt 2 ] || ! command -v taskset >/dev/null; then
		echo "warning: fewer than 2 cores or no taskset: servers and client are not pinned" >&2
		server_pin=""
		client_pin=()
	fi
}

# bench_server_dir: a scratch SERVER_DIR, removed with every server this
# script started when it exits (also on Ctrl-C or TERM).
cleanup() {
	server_stop_all
	rm -rf "$SERVER_DIR"
}
bench_server_dir() {
	SERVER_DIR=$(mktemp -d)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
}

# info_field PORT FIELD: one field of INFO, "n/a" if the server has none.
info_field() {
	local v
	v=$(timeout 10 redis-cli -p "$1" info 2>/dev/null | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2; exit }')
	echo "${v:-n/a}"
}

# Value sizes and prefilled keys.

# bench_bytes OPTION SIZE: prints SIZE in bytes: 1234, or 64kb, 64mb, 1gb
# (powers of 1024, any case, as in redis.conf), more than 0. Anything else
# it names OPTION in a complaint and fails:
#	maxmemory_bytes=$(bench_bytes --maxmemory "$maxmemory") || exit 2
bench_bytes() {
	local n=${2,,} b=0
	if [[ $n =~ ^([0-9]+)(kb|mb|gb)?$ ]]; then
		# 10# so that a leading 0 is not octal.
		b=$((10#${BASH_REMATCH[1]}))
		case ${BASH_REMATCH[2]} in
		kb) b=$((b * 1024)) ;;
		mb) b=$((b * 1024 * 1024)) ;;
		gb) b=$((b * 1024 * 1024 * 1024)) ;;
		esac
	fi
	if [ "$b" -le 0 ]; then
		echo "$1: want bytes or Nkb/Nmb/Ngb, got '$2'" >&2
		return 1
	fi
	echo "$b"
}

# bench_check_sizes OPTION BYTES...: fails, naming OPTION, unless every
# BYTES is a value size of at least one byte. redis-benchmark -d takes 0
# or a word as 1, so a prefill of anything else would not be the values
# the load then writes.
bench_check_sizes() {
	local s
	for s in "${@:2}"; do
		[[ $s =~ ^[1-9][0-9]*$ ]] || { echo "$1: want byte counts, got '$s'" >&2; return 1; }
	done
}

# BENCH_AWK: awk functions for the scripts' RESP generators, put in front
# of the program: LC_ALL=C awk "$BENCH_AWK"'BEGIN { ... }' (LC_ALL=C so
# that lengths count bytes).
#
#   bench_value(bytes, c)  a value of BYTES bytes, every one c. Built in
#                          awk rather than passed in with -v, since one
#                          argument is limited to 128 KiB and a value is
#                          not; by doubling, since mawk's sprintf("%*s")
#                          stops at 8 KiB.
BENCH_AWK='
function bench_value(bytes, c,    v) {
	bytes += 0
	if (bytes <= 0) return ""
	v = c
	while (2 * length(v) <= bytes) v = v v
	return v substr(v, 1, bytes - length(v))
}
'

# bench_prefill NAME BYTES KEYSPACE: flushes server NAME, then writes every
# key redis-benchmark -r KEYSPACE makes (key:N with BYTES bytes, counter:N
# with 0, for N < KEYSPACE) through redis-cli --pipe, up to 300 s. The
# first run then overwrites like the ones after it instead of inserting
# into an empty table, and every GET hits. Fails with redis-cli's report
# unless it saw no errors.
bench_prefill() {
	local name=$1 port=${SERVER_PORT[$1]} out
	timeout 30 redis-cli -h 127.0.0.1 -p "$port" flushall >/dev/null
	out=$(LC_ALL=C awk -v n="$3" -v size="$2" "$BENCH_AWK"'BEGIN {
		v = bench_value(size, "x")
		for (i = 0; i < n; i++) {
			printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$%d\r\n%s\r\n", i, size, v
			printf "*3\r\n$3\r\nSET\r\n$20\r\ncounter:%012d\r\n$1\r\n0\r\n", i
		}
	}' | timeout 300 redis-cli -h 127.0.0.1 -p "$port" --pipe 2>&1)
	if ! printf '%s\n' "$out" | grep -q '^errors: 0,'; then
		echo "prefill of $name failed: $out" >&2
		return 1
	fi
}
