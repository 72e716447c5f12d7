#!/usr/bin/env bash
# Big values: a hash of a million fields and a set of a million members,
# built, then deleted, in respite and redis-server, with the event loop's
# longest pause during the delete.
#
# Usage: bench/bigvalue.sh [--respite BIN] [--redis BIN] [--fields N]
#            [--server-cpu C] [--client-cpu C] [--markdown FILE]
#
# For each server in turn (pinned to --server-cpu, one event-loop thread
# for respite so the pause is the whole server's; clients on --client-cpu):
#
#  1. Build the value with redis-cli --pipe: HSET of 1,000 fields (16-byte
#     names, 32-byte values) per command, or SADD of 1,000 16-byte members.
#     Reported: the time and used_memory per element.
#  2. Delete it with DEL, then (after building it again) with UNLINK, while a
#     Perl sampler on a second connection sends a PING every 0.5 ms. It
#     reports how long the delete took to reply and the longest PING round
#     trip from the delete until 300 ms after its reply: the longest time
#     the server did not answer anyone. Also used_memory 1 s after.
#
# Redis runs with its defaults (lazyfree-lazy-user-del no: DEL frees on the
# spot, UNLINK in a background thread); respite with its own (every
# lazyfree-lazy-* yes).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"

bench_common_options --respite --redis --server-cpu --client-cpu --markdown
fields=1000000
while [ $# -gt 0 ]; do
	case $1 in
	--fields) fields=$2; shift 2 ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done
bench_require servers perl
bench_pin "$server_cpu" "$client_cpu"
bench_server_dir

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# build PORT TYPE: the value "big" of TYPE (hash or set) through --pipe.
build() {
	local port=$1 type=$2 out
	out=$(LC_ALL=C awk -v n="$fields" -v type="$type" 'BEGIN {
		for (i = 0; i < n; i += 1000) {
			m = (n - i < 1000) ? n - i : 1000
			if (type == "hash") {
				printf "*%d\r\n$4\r\nHSET\r\n$3\r\nbig\r\n", 2 + 2 * m
				for (j = i; j < i + m; j++)
					printf "$16\r\nfield:%010d\r\n$32\r\nvalue:%026d\r\n", j, j
			} else {
				printf "*%d\r\n$4\r\nSADD\r\n$3\r\nbig\r\n", 2 + m
				for (j = i; j < i + m; j++) printf "$16\r\nmemb:%011d\r\n", j
			}
		}
	}' | timeout 300 "${client_pin[@]}" redis-cli -p "$port" --pipe 2>&1)
	if ! printf '%s\n' "$out" | grep -q "^errors: 0,"; then
		echo "build $type failed: $(printf '%s' "$out" | tail -n 1)" >&2
		exit 1
	fi
}

# The sampler: sends the delete on one connection and PINGs on another
# until 300 ms after the delete's reply. Arguments: port, command. Prints
# key=value lines. Any reply slower than 30 s aborts it.
# shellcheck disable=SC2016 # Perl, not shell
sampler='
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Socket qw(IPPROTO_TCP TCP_NODELAY);
use Time::HiRes qw(time sleep);

my ($port, $cmd) = @ARGV;
my @s = map {
	my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port, Proto => "tcp")
		or die "connect: $!\n";
	setsockopt($c, IPPROTO_TCP, TCP_NODELAY, 1);
	$c
} (0, 1);
my ($del, $ping) = @s;
my $dsel = IO::Select->new($del);
my $psel = IO::Select->new($ping);
my @rtt;
my $t0 = time();
syswrite($del, "*2\r\n\$" . length($cmd) . "\r\n$cmd\r\n\$3\r\nbig\r\n") or die "write: $!\n";
my ($reply_at, $dbuf) = (undef, "");
while (1) {
	my $p0 = time();
	syswrite($ping, "PING\r\n") or die "write: $!\n";
	my $pbuf = "";
	while (index($pbuf, "\r\n") < 0) {
		$psel->can_read(30) or die "no PONG in 30 s\n";
		sysread($ping, $pbuf, 64, length $pbuf) or die "server closed the connection\n";
	}
	push @rtt, (time() - $p0) * 1000;
	if (!defined $reply_at && $dsel->can_read(0)) {
		sysread($del, $dbuf, 64, length $dbuf);
		$reply_at = time() if index($dbuf, "\r\n") >= 0;
	}
	last if defined $reply_at && time() - $reply_at > 0.3;
	die "no reply to $cmd in 30 s\n" if time() - $t0 > 30;
	sleep(0.0005);
}
$dbuf =~ /^:1\r\n/ or die "$cmd replied $dbuf\n";
@rtt = sort { $a <=> $b } @rtt;
printf "reply_ms=%.1f\nmax_ms=%.1f\np99_ms=%.2f\npings=%d\n", ($reply_at - $t0) * 1000,
	$rtt[-1], $rtt[int(0.99 * $#rtt + 0.5)], scalar @rtt;
'

kv() {
	printf '%s\n' "$2" | sed -n "s/^$1=//p"
}

rows=()
for name in respite redis; do
	bin=$respite
	extra="--io-threads 1"
	if [ "$name" = redis ]; then
		bin=$redis
		extra=""
	fi
	server_start "$name" "$bin" "$server_pin" "$extra" || exit 1
	port=${SERVER_PORT[$name]}
	for type in hash set; do
		for cmd in DEL UNLINK; do
			empty=$(info_field "$port" used_memory)
			t=$(now_ms)
			build "$port" "$type"
			build_ms=$(($(now_ms) - t))
			full=$(info_field "$port" used_memory)
			out=$("${client_pin[@]}" perl -e "$sampler" "$port" "$cmd") || exit 1
			sleep 1
			after=$(info_field "$port" used_memory)
			per=$(awk -v a="$full" -v b="$empty" -v n="$fields" 'BEGIN { printf "%.1f", (a - b) / n }')
			rows+=("| $name | $type | $build_ms | $per | $cmd | $(kv reply_ms "$out") | $(kv max_ms "$out") | $(kv p99_ms "$out") | $(((after - empty) / 1024)) |")
		done
	done
	server_stop "$name"
done

{
	echo "$fields elements (hash: 16-byte fields, 32-byte values; set: 16-byte members), one event-loop thread"
	echo
	echo "| server | value | build ms | used B/element | delete | reply ms | longest pause ms | PING p99 ms | used KB above empty 1 s after |"
	echo "|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
} | tee "${markdown:-/dev/null}"
