#!/usr/bin/env bash
# Does maxmemory hold under a write flood? respite and redis-server take ten times their budget in SETs while a sampler watches used_memory and RSS.
#
# Usage: bench/maxmemory.sh [--respite BIN] [--redis BIN] [--maxmemory BYTES|Nkb|Nmb|Ngb]
#            [--policy P] [--factor F] [--sizes "1024 128 4096"] [--pipeline P]
#            [--clients C] [--interval-ms MS] [--server-cpu C] [--client-cpu C]
#            [--markdown FILE]
#
# Both servers run side by side with the same settings: --maxmemory (64mb)
# and --maxmemory-policy (allkeys-lru; redis-server's own default,
# noeviction, would refuse the writes instead). For each value size of
# --sizes in turn, and each server in turn, a load of F x maxmemory bytes
# of values (--factor 10: 640 MB by default) as
# redis-benchmark -t set -d SIZE -r 100000000 -P 16 -c 8: SETs of random
# keys out of a hundred million, so almost every one is a new key and the
# server has to evict about as fast as it is written to. The servers are
# not restarted between sizes: the 128-byte load replaces a cache full of
# 1 KiB values and the 4 KiB load one full of small ones, which is where
# allocator fragmentation (RSS far above used_memory) would show.
#
# Meanwhile a Perl sampler on one connection sends INFO memory every
# --interval-ms (50) and reads the server's /proc/PID/statm, from a second
# before each load until a second after it. The table has a row per load:
#
#   max used_memory        the highest INFO used_memory seen, its ratio to
#                          maxmemory, and how far above maxmemory it was (KB);
#                          "over" counts the samples above maxmemory
#   max RSS                the highest resident set size seen, and RSS minus
#                          maxmemory: what the process costs beyond the budget
#                          (allocator slack, buffers, the table, the binary)
#   evicted_keys, DBSIZE   at the end; used_memory and RSS at the end too
#
# A sample every 50 ms can miss a spike shorter than that; "max" is a lower
# bound of the true peak. Servers on --server-cpu (0), redis-benchmark and
# the sampler on --client-cpu (1). Takes one to two minutes, most of it the
# 128-byte load (5 million SETs a server).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"

command_line=$(printf '%q ' "$0" "$@"); command_line=${command_line% }
bench_common_options --respite --redis --server-cpu --client-cpu --markdown
maxmemory=64mb
policy=allkeys-lru
factor=10
sizes="1024 128 4096"
pipeline=16
clients=8
interval_ms=50

while [ $# -gt 0 ]; do
	case $1 in
	--maxmemory) maxmemory=$2; shift 2 ;;
	--policy) policy=$2; shift 2 ;;
	--factor) factor=$2; shift 2 ;;
	--sizes) sizes=${2//,/ }; shift 2 ;;
	--pipeline) pipeline=$2; shift 2 ;;
	--clients) clients=$2; shift 2 ;;
	--interval-ms) interval_ms=$2; shift 2 ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done

maxmemory_bytes=$(bench_bytes --maxmemory "$maxmemory") || exit 2
bench_require servers redis-benchmark perl
# shellcheck disable=SC2086 # one size a word on purpose
bench_check_sizes --sizes $sizes || exit 2

bench_pin "$server_cpu" "$client_cpu"
page=$(getconf PAGESIZE)

bench_server_dir
results=$SERVER_DIR/results.tsv
: >"$results"


# kv KEY TEXT: the value of KEY=... in a line of key=value words.
kv() {
	printf '%s\n' "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2; exit }'
}

# The sampler: INFO memory over one connection and /proc/PID/statm, every
# interval, until STOPFILE exists or LIMIT seconds pass. Arguments: port,
# pid, interval (ms), stop file, limit (s), maxmemory (bytes), page size.
# Prints one line of key=value words. A reply slower than 10 s ends it.
# shellcheck disable=SC2016 # Perl, not shell
sampler='
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Socket qw(IPPROTO_TCP TCP_NODELAY);
use Time::HiRes qw(time sleep);

my ($port, $pid, $interval_ms, $stop, $limit, $maxmemory, $page) = @ARGV;
my $sock = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port, Proto => "tcp")
	or die "connect: $!\n";
setsockopt($sock, IPPROTO_TCP, TCP_NODELAY, 1);
my $sel = IO::Select->new($sock);
my $buf = "";

# Reads until $buf holds a whole bulk reply; returns its payload.
sub bulk {
	my $deadline = time + 10;
	while (1) {
		if ($buf =~ /^\$(-?\d+)\r\n/) {
			my ($len, $head) = ($1, length($1) + 3);
			die "null reply\n" if $len < 0;
			if (length($buf) >= $head + $len + 2) {
				my $body = substr($buf, $head, $len);
				$buf = substr($buf, $head + $len + 2);
				return $body;
			}
		} elsif ($buf =~ /^[-+:].*\r\n/) {
			die "unexpected reply: $buf";
		}
		my $left = $deadline - time;
		die "no reply within 10 s\n" if $left <= 0 || !$sel->can_read($left);
		my $n = sysread($sock, $buf, 1 << 20, length $buf);
		die "connection closed\n" unless $n;
	}
}

my ($samples, $over, $max_used, $max_rss, $max_info_ms) = (0, 0, 0, 0, 0);
my $start = time;
my $next = $start;
while (!-e $stop && time - $start < $limit) {
	my $t0 = time;
	syswrite($sock, "*2\r\n\$4\r\nINFO\r\n\$6\r\nmemory\r\n") or die "write: $!\n";
	my $info = bulk();
	my $ms = (time - $t0) * 1000;
	$max_info_ms = $ms if $ms > $max_info_ms;
	my ($used) = $info =~ /^used_memory:(\d+)/m;
	die "no used_memory in INFO memory\n" unless defined $used;
	open(my $f, "<", "/proc/$pid/statm") or die "statm: $!\n";
	my (undef, $res) = split " ", scalar <$f>;
	close $f;
	my $rss = $res * $page;
	$samples++;
	$over++ if $used > $maxmemory;
	$max_used = $used if $used > $max_used;
	$max_rss = $rss if $rss > $max_rss;
	$next += $interval_ms / 1000;
	my $wait = $next - time;
	if ($wait > 0) { sleep $wait } else { $next = time }
}
printf "samples=%d over=%d max_used=%d max_rss=%d max_info_ms=%.1f seconds=%.1f\n",
	$samples, $over, $max_used, $max_rss, $max_info_ms, time - $start;
'

# load NAME SIZE: flood one server with SETs of SIZE-byte values while the
# sampler watches it; appends a line to $results.
load() {
	local name=$1 value_size=$2 port=${SERVER_PORT[$1]} pid=${SERVER_PID[$1]} out err rc sampled t0 t1
	local sets=$((factor * maxmemory_bytes / value_size))
	local stop=$SERVER_DIR/stop.$name
	rm -f "$stop"
	timeout 900 "${client_pin[@]}" perl -e "$sampler" "$port" "$pid" "$interval_ms" "$stop" 600 \
		"$maxmemory_bytes" "$page" >"$SERVER_DIR/sampler.$name" 2>&1 &
	local sampler_pid=$!
	sleep 1
	t0=$(date +%s%N)
	out=$(timeout 600 "${client_pin[@]}" redis-benchmark -h 127.0.0.1 -p "$port" -t set -n "$sets" \
		-d "$value_size" -r 100000000 -P "$pipeline" -c "$clients" --csv 2>"$SERVER_DIR/bench.err")
	rc=$?
	t1=$(date +%s%N)
	sleep 1
	touch "$stop"
	wait "$sampler_pid"
	sampled=$(cat "$SERVER_DIR/sampler.$name")
	err=$(grep -ac 'Error from server' "$SERVER_DIR/bench.err")
	if [ $rc -ne 0 ] || ! printf '%s\n' "$sampled" | grep -q '^samples='; then
		echo "$name: load failed (redis-benchmark exit $rc): $(head -n 3 "$SERVER_DIR/bench.err" | tr '\n' ' ') sampler: $sampled" >&2
		server_alive "$name" || { echo "$name died; last log lines:" >&2; tail -n 20 "${SERVER_LOG[$name]}" >&2; }
		exit 1
	fi
	server_alive "$name" || { echo "$name died; last log lines:" >&2; tail -n 20 "${SERVER_LOG[$name]}" >&2; exit 1; }
	local used evicted dbsize rss rps
	used=$(info_field "$port" used_memory)
	evicted=$(info_field "$port" evicted_keys)
	dbsize=$(timeout 10 redis-cli -p "$port" dbsize 2>/dev/null)
	rss=$(($(awk '{ print $2 }' "/proc/$pid/statm") * page))
	rps=$(printf '%s\n' "$out" | awk -F'"' 'NR == 2 { print $4 }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$value_size" "$(kv max_used "$sampled")" \
		"$(kv max_rss "$sampled")" "$(kv samples "$sampled")" "$(kv over "$sampled")" "$evicted" "$dbsize" \
		"$used" "$rss" "$(((t1 - t0) / 1000000))" "$err" "$(kv max_info_ms "$sampled")" >>"$results"
	printf '  %-7s -d %-5s %s SETs in %d ms (%s/s), %s errors; %s; at the end used_memory=%s rss=%s evicted_keys=%s dbsize=%s\n' \
		"$name" "$value_size" "$sets" $(((t1 - t0) / 1000000)) "${rps:-?}" "$err" "$sampled" "$used" "$rss" "$evicted" "$dbsize" >&2
}

cat <<EOF
# $command_line
# bench/maxmemory.sh $(date -u '+%Y-%m-%d %H:%M UTC')
# host: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
# respite: $respite
# redis:   $redis ($("$redis" --version | grep -o 'v=[^ ]*'))
# both: --maxmemory $maxmemory_bytes ($maxmemory) --maxmemory-policy $policy; servers on cpu ${server_pin:-any}, load and sampler on cpu ${client_pin[2]:-any}
# load: for -d in $sizes: redis-benchmark -t set -n $factor*$maxmemory_bytes/d -d d -r 100000000 -P $pipeline -c $clients ($factor x maxmemory of values); INFO memory every $interval_ms ms
EOF

for s in respite redis; do
	bin=$respite
	[ "$s" = redis ] && bin=$redis
	RESPITE_SERVER_ARGS="${RESPITE_SERVER_ARGS:-} --maxmemory $maxmemory_bytes --maxmemory-policy $policy" \
		server_start "$s" "$bin" "$server_pin" || exit 1
done
for size in $sizes; do
	for s in respite redis; do load "$s" "$size"; done
done

# report text|md: one row a load. evicted_keys counts since the server started.
report() {
	awk -F'\t' -v fmt="$1" -v mm="$maxmemory_bytes" '
	function mb(x) { return x == "n/a" || x == "" ? "n/a" : sprintf("%.1f", x / 1048576) }
	BEGIN {
		if (fmt == "md") {
			print "| server | value bytes | max used_memory MB | max used / maxmemory | max over KB | samples over | max RSS MB | max RSS - maxmemory MB | evicted_keys | DBSIZE | end used_memory MB | end RSS MB | load s | errors |"
			print "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
			line = "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
		} else {
			printf "%-8s %5s %9s %9s %8s %8s %8s %11s %10s %9s %8s %8s %7s %6s\n", "server", "-d", "max-used", "used/max", "over-KB", "over", "max-rss", "rss-maxmem", "evicted", "dbsize", "end-used", "end-rss", "load-s", "errors"
			line = "%-8s %5s %9s %9s %8s %8s %8s %11s %10s %9s %8s %8s %7s %6s\n"
		}
	}
	{
		printf line, $1, $2, mb($3), sprintf("%.4f", $3 / mm), sprintf("%.1f", $3 > mm ? ($3 - mm) / 1024 : 0), $6 "/" $5, mb($4), mb($4 - mm), $7, $8, mb($9), mb($10),
			sprintf("%.1f", $11 / 1000), $12
	}' "$results"
}

echo
echo "# MB = 2^20 bytes; maxmemory = $maxmemory_bytes bytes ($(awk -v m="$maxmemory_bytes" 'BEGIN { printf "%.1f", m / 1048576 }') MB); max = highest of the samples; over-KB = max used_memory - maxmemory; over = samples with used_memory > maxmemory"
report text
echo
report md
if [ -n "$markdown" ]; then
	{
		echo "$(date -u '+%Y-%m-%d'), $(nproc) cores: --maxmemory $maxmemory_bytes --maxmemory-policy $policy, $factor x maxmemory of values in SETs of each size in turn (redis-benchmark -r 100000000 -P $pipeline -c $clients), sampled every $interval_ms ms. Command: \`$command_line\`"
		echo
		report md
	} >"$markdown"
	echo
	echo "# markdown written to $markdown"
fi
