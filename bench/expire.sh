#!/usr/bin/env bash
# Active expiry: how fast respite and redis-server reclaim a million expired keys nobody reads, and PING latency meanwhile.
#
# Usage: bench/expire.sh [--respite BIN] [--redis BIN] [--keys N] [--ttl MS]
#            [--size BYTES] [--mode pxat|px] [--load-budget MS] [--rounds N]
#            [--timeout S] [--ping-interval-ms MS] [--server-cpu C]
#            [--client-cpu C] [--markdown FILE] [--timeline]
#
# For each server in turn (one at a time, pinned to --server-cpu; loader and
# sampler on --client-cpu):
#
#  1. Load N keys (default 1,000,000) with redis-cli --pipe, all expiring at
#     the same instant T. In the default --mode pxat every key is
#     SET key:i value PXAT T, with T = load start + --load-budget (10000 ms)
#     + --ttl (1000 ms), so the load is over and the server idle before T.
#     --mode px sends SET key:i value PX ttl instead: expiry then starts
#     while the load is still running, and T is the load end + ttl, the
#     moment the last key is expired.
#  2. From the end of the load until every key is gone (bounded by
#     --timeout, 60 s after T), a Perl sampler on one connection sends a PING
#     every --ping-interval-ms (1 ms) and times it, and every 10 ms a DBSIZE.
#     Nothing reads the keys, so only active expiry can reclaim them. PINGs
#     before T are the idle baseline; PINGs from T until the last key is
#     gone are the latency during reclaim.
#  3. INFO memory before T and after the reclaim, INFO stats expired_keys.
#
# Reclaim times are counted from T: "99%" is when DBSIZE first shows at most
# 1% of the keys, "100%" when it shows 0 ("timeout" if not within --timeout).
# This relies on DBSIZE counting expired keys until they are deleted, as
# Redis does. With --rounds N the table shows medians. Needs perl
# (IO::Socket::INET, Time::HiRes).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"

bench_common_options --respite --redis --rounds --server-cpu --client-cpu --markdown
rounds=1
keys=1000000
ttl=1000
size=32
mode=pxat
load_budget=10000
timeout_s=60
ping_interval_ms=1
timeline=0

while [ $# -gt 0 ]; do
	case $1 in
	--keys) keys=$2; shift 2 ;;
	--ttl) ttl=$2; shift 2 ;;
	--size) size=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--load-budget) load_budget=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--ping-interval-ms) ping_interval_ms=$2; shift 2 ;;
	--timeline) timeline=1; shift ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done

case $mode in pxat | px) ;; *) echo "--mode is pxat or px" >&2; exit 2 ;; esac
bench_require servers perl

bench_pin "$server_cpu" "$client_cpu"

bench_server_dir
results=$SERVER_DIR/results.tsv
: >"$results"

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}


# The sampler: PING latency and DBSIZE over one connection until DBSIZE is 0
# or the deadline. Arguments: port, T (ms since the epoch), keys, timeout (s
# after T), PING interval (ms), print a timeline (0/1), and the instant (ms
# since the epoch) from which a PING counts as during the reclaim rather than
# idle baseline. Prints key=value lines.
# A reply slower than 10 s aborts it, so it never hangs.
# shellcheck disable=SC2016 # Perl, not shell
sampler='
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Socket qw(IPPROTO_TCP TCP_NODELAY);
use Time::HiRes qw(time sleep);

my ($port, $t_ref, $keys, $timeout_s, $interval_ms, $timeline, $busy_from) = @ARGV;
my $sock = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port, Proto => "tcp")
	or die "connect: $!\n";
setsockopt($sock, IPPROTO_TCP, TCP_NODELAY, 1);
my $sel = IO::Select->new($sock);
my $buf = "";

sub command {
	my ($cmd) = @_;
	syswrite($sock, $cmd) == length($cmd) or die "write: $!\n";
	my $i;
	while (($i = index($buf, "\r\n")) < 0) {
		$sel->can_read(10) or die "no reply to $cmd in 10 s\n";
		sysread($sock, $buf, 65536, length $buf) or die "server closed the connection\n";
	}
	my $line = substr($buf, 0, $i);
	substr($buf, 0, $i + 2) = "";
	return $line;
}

sub pct {
	my ($p, @v) = @_;
	return "n/a" unless @v;
	@v = sort { $a <=> $b } @v;
	return sprintf("%.3f", $v[int($p * $#v + 0.5)]);
}

my (@base, @during, $t99, $t100, @marks);
my $deadline = $t_ref + $timeout_s * 1000;
my $next_poll = 0;
my $next_mark = 0;
my $dbsize = -1;
while (1) {
	my $t0 = time() * 1000;
	last if $t0 > $deadline;
	my $r = command("PING\r\n");
	my $t1 = time() * 1000;
	die "PING: $r\n" unless $r eq "+PONG";
	if ($t0 < $busy_from) { push @base, $t1 - $t0 } else { push @during, $t1 - $t0 }
	if ($t1 >= $next_poll) {
		$next_poll = $t1 + 10;
		$r = command("DBSIZE\r\n");
		$r =~ /^:(\d+)$/ or die "DBSIZE: $r\n";
		$dbsize = $1;
		my $at = time() * 1000 - $t_ref;
		$t99 = $at if !defined $t99 && $dbsize <= $keys / 100;
		if ($timeline && $at >= $next_mark) {
			push @marks, sprintf("%+.2fs:%d", $at / 1000, $dbsize);
			$next_mark = (int($at / 250) + 1) * 250;
		}
		if ($dbsize == 0) { $t100 = $at; last }
	}
	sleep($interval_ms / 1000) if $interval_ms > 0;
}
printf "t99_s=%s\n", defined $t99 ? sprintf("%.2f", $t99 / 1000) : "timeout";
printf "t100_s=%s\n", defined $t100 ? sprintf("%.2f", $t100 / 1000) : "timeout";
printf "final_dbsize=%d\n", $dbsize;
printf "base_p99_ms=%s\nbase_max_ms=%s\n", pct(0.99, @base), pct(1, @base);
printf "p50_ms=%s\np99_ms=%s\nmax_ms=%s\nsamples=%d\n", pct(0.5, @during), pct(0.99, @during), pct(1, @during), scalar @during;
print "timeline=@marks\n" if $timeline;
'

# kv KEY TEXT: the value of a KEY=value line of TEXT.
kv() {
	printf '%s\n' "$2" | sed -n "s/^$1=//p"
}

# measure NAME BINARY ROUND: one full load/expire/reclaim on a fresh server.
# Appends a line to $results.
measure() {
	local name=$1 bin=$2 round=$3 port t_start t_ref busy_from load_ms out empty before after expired dbsize expiry keyspace
	server_start "$name" "$bin" "$server_pin" || exit 1
	port=${SERVER_PORT[$name]}
	empty=$(info_field "$port" used_memory)

	t_start=$(now_ms)
	if [ "$mode" = pxat ]; then
		t_ref=$((t_start + load_budget + ttl))
		expiry="PXAT $t_ref"
	else
		expiry="PX $ttl"
	fi
	out=$(LC_ALL=C awk -v n="$keys" -v size="$size" -v expiry="$expiry" "$BENCH_AWK"'BEGIN {
		v = bench_value(size, "v")
		split(expiry, e, " ")
		for (i = 0; i < n; i++) {
			k = "key:" i
			printf "*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n",
				length(k), k, size, v, length(e[1]), e[1], length(e[2]), e[2]
		}
	}' | timeout 300 "${client_pin[@]}" redis-cli -p "$port" --pipe 2>&1)
	load_ms=$(($(now_ms) - t_start))
	if ! printf '%s\n' "$out" | grep -q "^errors: 0, replies: $keys\$"; then
		echo "$name: load failed: $(printf '%s' "$out" | tail -n 1)" >&2
		exit 1
	fi
	if [ "$mode" = pxat ]; then
		dbsize=$(timeout 10 redis-cli -p "$port" dbsize)
		if [ "$(now_ms)" -ge "$t_ref" ] || [ "$dbsize" != "$keys" ]; then
			echo "$name: the load (${load_ms} ms, DBSIZE $dbsize) was not over before the keys expired; raise --load-budget" >&2
			exit 1
		fi
		# Let the server settle, then take "before" and start sampling a
		# second ahead of T, for the idle baseline.
		sleep "$(awk -v ms=$((t_ref - $(now_ms) - 1000)) 'BEGIN { print (ms > 0 ? ms / 1000 : 0) }')"
		before=$(info_field "$port" used_memory)
		busy_from=$t_ref
	else
		# Keys are expiring already: no idle baseline, every PING counts.
		t_ref=$(($(now_ms) + ttl))
		before=$(info_field "$port" used_memory)
		busy_from=0
	fi
	keyspace=$(info_field "$port" db0)

	out=$(timeout $((timeout_s + load_budget / 1000 + ttl / 1000 + 30)) "${client_pin[@]}" \
		perl -e "$sampler" "$port" "$t_ref" "$keys" "$timeout_s" "$ping_interval_ms" "$timeline" "$busy_from" 2>&1)
	if ! printf '%s\n' "$out" | grep -q '^t100_s='; then
		echo "$name: sampler failed: $out" >&2
		exit 1
	fi
	after=$(info_field "$port" used_memory)
	expired=$(info_field "$port" expired_keys)
	keyspace="$keyspace -> $(info_field "$port" db0)"
	server_alive "$name" || { echo "$name died; last log lines:" >&2; tail -n 20 "${SERVER_LOG[$name]}" >&2; exit 1; }
	server_stop "$name"

	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$name" "$round" "$load_ms" "$(kv t99_s "$out")" "$(kv t100_s "$out")" "$(kv p99_ms "$out")" "$(kv max_ms "$out")" \
		"$(kv p50_ms "$out")" "$(kv base_p99_ms "$out")" "$empty" "$before" "$after" "$expired" "$(kv samples "$out")" "$(kv final_dbsize "$out")" >>"$results"
	printf '  round %d %-7s load %5d ms  99%% %6ss  100%% %6ss  ping p99 %7s ms  max %7s ms  (idle p99 %s ms)  used_memory %s -> %s  expired_keys %s  INFO keyspace db0 %s\n' \
		"$round" "$name" "$load_ms" "$(kv t99_s "$out")" "$(kv t100_s "$out")" "$(kv p99_ms "$out")" "$(kv max_ms "$out")" "$(kv base_p99_ms "$out")" \
		"$before" "$after" "$expired" "$keyspace" >&2
	[ "$timeline" -eq 1 ] && printf '    timeline %s\n' "$(kv timeline "$out")" >&2
	return 0
}

cat <<EOF
# bench/expire.sh $(date -u '+%Y-%m-%d %H:%M UTC')
# host: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
# respite: $respite
# redis:   $redis ($("$redis" --version | grep -o 'v=[^ ]*'))
# $keys keys of $size bytes, --mode $mode, ttl $ttl ms, PING every $ping_interval_ms ms, $rounds round(s); server on cpu ${server_pin:-any}, client on cpu ${client_pin[2]:-any}
EOF

for round in $(seq 1 "$rounds"); do
	if [ $((round % 2)) -eq 1 ]; then
		measure respite "$respite" "$round"
		measure redis "$redis" "$round"
	else
		measure redis "$redis" "$round"
		measure respite "$respite" "$round"
	fi
done

# report text|md: medians over rounds per server. Times "timeout" sort last.
report() {
	awk -F'\t' -v fmt="$1" '
	function median(list,    a, n, i, j, t) {
		n = split(list, a, " ")
		for (i = 1; i <= n; i++) if (a[i] == "timeout" || a[i] == "n/a") a[i] = 1e18
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		t = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		return t >= 1e17 ? "n/a" : t
	}
	function num(x, f) { return x == "n/a" ? x : sprintf(f, x) }
	function mb(x) { return x == "n/a" ? x : sprintf("%.1f", x / 1048576) }
	function add(k, v) { col[$1, k] = col[$1, k] " " v }
	{
		if (!($1 in seen)) { seen[$1] = 1; names[++n] = $1 }
		add("load", $3 / 1000); add("t99", $4); add("t100", $5); add("p99", $6); add("max", $7)
		add("base", $9); add("empty", $10); add("before", $11); add("after", $12); add("expired", $13)
	}
	END {
		if (fmt == "md") {
			print "| server | load s | reclaim 99% s | reclaim 100% s | ping p99 ms | ping max ms | idle ping p99 ms | used_memory empty MB | before MB | after MB | expired_keys |"
			print "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
			line = "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
		} else {
			printf "%-8s %6s %7s %8s %8s %8s %8s %8s %9s %8s %10s\n", "server", "load-s", "99%-s", "100%-s", "p99-ms", "max-ms", "idle-p99", "empty-MB", "before-MB", "after-MB", "expired"
			line = "%-8s %6s %7s %8s %8s %8s %8s %8s %9s %8s %10s\n"
		}
		for (i = 1; i <= n; i++) {
			s = names[i]
			printf line, s, num(median(col[s, "load"]), "%.2f"), num(median(col[s, "t99"]), "%.2f"),
				num(median(col[s, "t100"]), "%.2f"), num(median(col[s, "p99"]), "%.3f"),
				num(median(col[s, "max"]), "%.3f"), num(median(col[s, "base"]), "%.3f"),
				mb(median(col[s, "empty"])), mb(median(col[s, "before"])), mb(median(col[s, "after"])),
				num(median(col[s, "expired"]), "%d")
		}
	}' "$results"
}

echo
echo "# reclaim times in seconds after T (the instant every key is expired); medians of $rounds round(s)"
report text
echo
report md
if [ -n "$markdown" ]; then
	{
		echo "$keys keys of $size bytes expiring at once (--mode $mode), nobody reading them; medians of $rounds round(s), $(date -u '+%Y-%m-%d'), $(nproc) cores."
		echo
		report md
	} >"$markdown"
	echo
	echo "# markdown written to $markdown"
fi
