#!/usr/bin/env bash
# Big values: a hash of a million fields and a set of a million members,
# built with redis-cli --pipe, walked with HSCAN / SSCAN while they grow
# (every scan step adds 10,000 more, so their tables resize and rehash under
# the cursor), then deleted.
#
# Usage: tests/cli/bigvalue.sh [--host H] [--port P] [--elements N]
#
# Checks SCAN's guarantee on a container: every element present for the
# whole walk is returned at least once, with its value. The pause a delete
# causes is measured by bench/bigvalue.sh, not here. Flushes the server.
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
n=1000000
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--elements) n=$2; shift 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
cli_parse_args "${args[@]}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rcli flushall >/dev/null

# gen TYPE FROM TO: RESP that adds elements [FROM, TO) to "big", 1,000 per
# command: HSET field:i value:i, or SADD member:i.
gen() {
	LC_ALL=C awk -v type="$1" -v from="$2" -v to="$3" 'BEGIN {
		for (i = from; i < to; i += 1000) {
			m = (to - i < 1000) ? to - i : 1000
			if (type == "hash") {
				printf "*%d\r\n$4\r\nHSET\r\n$3\r\nbig\r\n", 2 + 2 * m
				for (j = i; j < i + m; j++) {
					f = "field:" j; v = "value:" j
					printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(f), f, length(v), v
				}
			} else {
				printf "*%d\r\n$4\r\nSADD\r\n$3\r\nbig\r\n", 2 + m
				for (j = i; j < i + m; j++) { s = "member:" j; printf "$%d\r\n%s\r\n", length(s), s }
			}
		}
	}'
}

# walk TYPE: the scan of "big" while it grows by 10,000 elements a call;
# writes the elements (and values) returned, one per line, to
# $tmp/TYPE.scan. Fails after 5,000 calls.
walk() {
	local type=$1 cmd=HSCAN add=HSET cursor=0 calls=0 next=$n
	if [ "$type" = set ]; then
		cmd=SSCAN
		add=SADD
	fi
	: >"$tmp/$type.scan"
	while :; do
		# Not a terminal: redis-cli prints the cursor, then one element a line.
		rcli "$cmd" big "$cursor" COUNT 50000 >"$tmp/reply" || return 1
		cursor=$(head -n 1 "$tmp/reply")
		tail -n +2 "$tmp/reply" >>"$tmp/$type.scan"
		# shellcheck disable=SC2046 # one word per element, on purpose
		rcli "$add" big $(LC_ALL=C awk -v t="$type" -v a="$next" 'BEGIN {
			for (i = a; i < a + 10000; i++)
				if (t == "hash") printf "field:%d value:%d ", i, i; else printf "member:%d ", i }') >/dev/null ||
			return 1
		next=$((next + 10000))
		calls=$((calls + 1))
		[ "$cursor" = 0 ] && break
		if [ "$calls" -ge 5000 ]; then
			echo "FAIL: $cmd did not finish in 5000 calls"
			return 1
		fi
	done
	echo "$calls" >"$tmp/$type.calls"
}

for type in hash set; do
	start=$(date +%s%N)
	out=$(gen "$type" 0 "$n" | timeout 120 redis-cli -h "$CLI_HOST" -p "$CLI_PORT" --pipe 2>&1)
	ms=$((($(date +%s%N) - start) / 1000000))
	if printf '%s\n' "$out" | grep -q "^errors: 0, replies: $((n / 1000))$"; then
		echo "ok: $type of $n elements built with --pipe in $ms ms"
	else
		echo "FAIL: building the $type: $(printf '%s' "$out" | tail -n 1)"
		exit 1
	fi
	if [ "$type" = hash ]; then len=$(rcli hlen big); else len=$(rcli scard big); fi
	check_eq "$type length" "$n" "$len"
	check_eq "$type encoding" hashtable "$(rcli object encoding big)"

	if ! walk "$type"; then
		echo "FAIL: the $type scan"
		exit 1
	fi
	# Every original element, with the right value for a hash.
	if [ "$type" = hash ]; then
		seen=$(LC_ALL=C awk -v n="$n" 'NR % 2 == 1 { f = $0; next }
			{ if (f ~ /^field:[0-9]+$/) { i = substr(f, 7) + 0
				if (i < n && $0 == "value:" i && !(i in s)) { s[i] = 1; c++ } } }
			END { print c + 0 }' "$tmp/hash.scan")
	else
		seen=$(LC_ALL=C awk -v n="$n" '/^member:[0-9]+$/ { i = substr($0, 8) + 0
				if (i < n && !(i in s)) { s[i] = 1; c++ } }
			END { print c + 0 }' "$tmp/set.scan")
	fi
	check_eq "$type scan while growing ($(cat "$tmp/$type.calls") calls, +10000 per call): elements present throughout, each returned" "$n" "$seen"
	grown=$((n + 10000 * $(cat "$tmp/$type.calls")))
	if [ "$type" = hash ]; then len=$(rcli hlen big); else len=$(rcli scard big); fi
	check_eq "$type length after the growth" "$grown" "$len"

	start=$(date +%s%N)
	check_eq "$type DEL" 1 "$(rcli del big)"
	ms=$((($(date +%s%N) - start) / 1000000))
	check_eq "$type gone" 0 "$(rcli exists big)"
	check_eq "server answers after the delete (DEL took $ms ms on the client's clock)" PONG "$(rcli ping)"
done
