#!/usr/bin/env bash
# Bytes per key (strings) and per field (hashes, sets, lists, sorted sets) of respite next to
# redis-server, each as the growth of used_memory and of RSS over the empty
# server divided by the number of keys or fields, plus respite/redis ratios
# and respite's overhead beyond the payload bytes.
#
# Usage: bench/memory.sh [--cases strings,hashes,sets,bighash,lists,biglist,zsets,bigzset]
#            [--keys N] [--hashes N] [--hash-fields N] [--sets N]
#            [--set-members N] [--bighash-fields N] [--lists N]
#            [--list-elements N] [--biglist-elements N] [--zsets N]
#            [--zset-members N] [--bigzset-members N]
#            [--respite BIN] [--redis BIN]
#
# Cases (all by default; --cases picks some, comma or space separated):
#   strings  N keys (--keys, 1000000) of 16 bytes with 32-byte values, then
#            the same with a TTL on every key: bytes per key.
#   hashes   --hashes (100000) hashes of --hash-fields (10) fields, 16-byte
#            keys and field names, 32-byte values: bytes per field.
#   sets     --sets (100000) sets of --set-members (10) members, 16-byte
#            keys and members (not integers): bytes per member.
#   bighash  one hash of --bighash-fields (1000000) fields, 16-byte names,
#            32-byte values: bytes per field.
#   lists    --lists (100000) lists of --list-elements (10) 16-byte elements
#            (RPUSH): bytes per element.
#   biglist  one list of --biglist-elements (1000000) 16-byte elements.
#   zsets    --zsets (100000) sorted sets of --zset-members (10) 16-byte
#            members with integer scores in scrambled order (ZADD): bytes
#            per member (payload: the member and an 8-byte score).
#   bigzset  one sorted set of --bigzset-members (1000000) such members.
#
# Both servers load the same protocol stream through redis-cli --pipe
# (containers in commands of at most 1000 fields or members), one server
# at a time, each fresh for every data set. used_memory is each server's
# own figure (respite: live bytes jemalloc counts for it; Redis: its
# zmalloc counter); RSS is from /proc/PID/statm and includes allocator
# slack, so it is the figure the OS sees. Container rows also give the
# encoding each server chose (OBJECT ENCODING of the last key).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$repo/tests/cli/lib.sh"

bench_common_options --respite --redis
cases="strings hashes sets bighash lists biglist zsets bigzset"
keys=1000000
hashes=100000
hash_fields=10
sets=100000
set_members=10
bighash_fields=1000000
lists=100000
list_elements=10
biglist_elements=1000000
zsets=100000
zset_members=10
bigzset_members=1000000
while [ $# -gt 0 ]; do
	case $1 in
	--cases) cases=${2//,/ }; shift 2 ;;
	--keys) keys=$2; shift 2 ;;
	--hashes) hashes=$2; shift 2 ;;
	--hash-fields) hash_fields=$2; shift 2 ;;
	--sets) sets=$2; shift 2 ;;
	--set-members) set_members=$2; shift 2 ;;
	--bighash-fields) bighash_fields=$2; shift 2 ;;
	--lists) lists=$2; shift 2 ;;
	--list-elements) list_elements=$2; shift 2 ;;
	--biglist-elements) biglist_elements=$2; shift 2 ;;
	--zsets) zsets=$2; shift 2 ;;
	--zset-members) zset_members=$2; shift 2 ;;
	--bigzset-members) bigzset_members=$2; shift 2 ;;
	*) bench_option "$@"; shift "$bench_shift" ;;
	esac
done
bench_require servers
for c in $cases; do
	case $c in
	strings | hashes | sets | bighash | lists | biglist | zsets | bigzset) ;;
	*) echo "--cases: no case '$c' (strings, hashes, sets, bighash, lists, biglist, zsets, bigzset)" >&2; exit 2 ;;
	esac
done
for n in "$keys" "$hashes" "$hash_fields" "$sets" "$set_members" "$bighash_fields" "$lists" \
	"$list_elements" "$biglist_elements" "$zsets" "$zset_members" "$bigzset_members"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "counts must be whole numbers of at least 1, got '$n'" >&2; exit 2; }
done
# Member and field names are 16 bytes with a 10-digit (members: 9-digit) number.
[ "$set_members" -le 999999999 ] && [ "$zset_members" -le 999999999 ] &&
	[ "$bigzset_members" -le 999999999 ] && [ "$zsets" -le 99999999999 ] ||
	{ echo "--set-members, --zset-members, --bigzset-members: at most 999999999; --zsets: 99999999999" >&2; exit 2; }
if [ "$list_elements" -gt 99999999 ] || [ "$biglist_elements" -gt 99999999 ] || [ "$lists" -gt 99999999999 ]; then
	echo "--list-elements, --biglist-elements: at most 99999999; --lists: at most 99999999999" >&2
	exit 2
fi
if [ "$hashes" -gt 99999999999 ] || [ "$sets" -gt 999999999999 ]; then
	echo "too many keys for 16-byte names" >&2
	exit 2
fi

bench_server_dir

# has_case NAME: NAME is one of --cases.
has_case() {
	case " $cases " in *" $1 "*) return 0 ;; esac
	return 1
}

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

# gen_containers CMD KEYFMT NKEYS NELEMS: RESP for NKEYS keys (printf
# format KEYFMT, 16 bytes), each given NELEMS elements by CMD (HSET: field
# field:%010d and a 32-byte value; SADD: member member:%09d; RPUSH: element
# element:%08d; ZADD: member member:%09d with a score scrambling the
# insertion order, a multiplicative hash of the index below 2^31) in commands of
# at most 1000 elements, so no query gets large.
gen_containers() {
	LC_ALL=C awk -v cmd="$1" -v kfmt="$2" -v nkeys="$3" -v nel="$4" "$BENCH_AWK"'BEGIN {
		v = bench_value(32, "v");
		for (i = 0; i < nkeys; i++) {
			k = sprintf(kfmt, i);
			for (j = 0; j < nel; j += m) {
				m = nel - j < 1000 ? nel - j : 1000;
				if (cmd == "HSET") {
					printf "*%d\r\n$4\r\nHSET\r\n$16\r\n%s\r\n", 2 + 2 * m, k;
					for (e = j; e < j + m; e++) printf "$16\r\nfield:%010d\r\n$32\r\n%s\r\n", e, v;
				} else if (cmd == "ZADD") {
					printf "*%d\r\n$4\r\nZADD\r\n$16\r\n%s\r\n", 2 + 2 * m, k;
					for (e = j; e < j + m; e++) {
						s = sprintf("%d", (e * 2654435761) % 2147483648);
						printf "$%d\r\n%s\r\n$16\r\nmember:%09d\r\n", length(s), s, e;
					}
				} else if (cmd == "RPUSH") {
					printf "*%d\r\n$5\r\nRPUSH\r\n$16\r\n%s\r\n", 2 + m, k;
					for (e = j; e < j + m; e++) printf "$16\r\nelement:%08d\r\n", e;
				} else {
					printf "*%d\r\n$4\r\nSADD\r\n$16\r\n%s\r\n", 2 + m, k;
					for (e = j; e < j + m; e++) printf "$16\r\nmember:%09d\r\n", e;
				}
			}
		}
	}'
}

rss_of() { echo $(($(awk '{print $2}' "/proc/$1/statm") * $(getconf PAGESIZE))); }

# measure NAME BIN STREAM UNITS DBSIZE [KEY LENCMD LEN]: loads STREAM into a
# fresh server, checks that DBSIZE keys arrived (and that LENCMD KEY, e.g.
# HLEN of the last key, answers LEN), and sets m_used and m_rss to the
# growth of used_memory and RSS over the empty server divided by UNITS,
# and m_enc to OBJECT ENCODING of KEY. Runs in this shell, so that a
# failure exits through the cleanup that stops the server.
measure() {
	local name=$1 port pid u0 r0 u1 r1 got
	server_start "$name" "$2" || exit 1
	port=${SERVER_PORT[$name]} pid=${SERVER_PID[$name]}
	u0=$(info_field "$port" used_memory); r0=$(rss_of "$pid")
	timeout 300 redis-cli -p "$port" --pipe <"$3" >/dev/null
	got=$(timeout 10 redis-cli -p "$port" dbsize)
	[ "$got" = "$5" ] || { echo "load failed on $name: DBSIZE $got, want $5" >&2; exit 1; }
	m_enc=""
	if [ $# -gt 5 ]; then
		got=$(timeout 10 redis-cli -p "$port" "$7" "$6")
		[ "$got" = "$8" ] || { echo "load failed on $name: $7 $6 is $got, want $8" >&2; exit 1; }
		m_enc=$(timeout 10 redis-cli -p "$port" object encoding "$6")
	fi
	u1=$(info_field "$port" used_memory); r1=$(rss_of "$pid")
	server_stop "$name"
	read -r m_used m_rss < <(awk -v u0="$u0" -v u1="$u1" -v r0="$r0" -v r1="$r1" -v n="$4" \
		'BEGIN { printf "%.1f %.1f\n", (u1 - u0) / n, (r1 - r0) / n }')
}

if has_case strings; then
	gen 0 >"$SERVER_DIR/plain.resp"
	gen 1 >"$SERVER_DIR/ttl.resp"
	printf '%d keys, 16-byte keys + 32-byte values (48 payload bytes per key)\n\n' "$keys"
	printf '| data set | respite used B/key | redis used B/key | ratio | respite RSS B/key | redis RSS B/key | ratio | respite overhead B/key |\n'
	printf '|---|---|---|---|---|---|---|---|\n'
	for kind in plain ttl; do
		measure respite "$respite" "$SERVER_DIR/$kind.resp" "$keys" "$keys"
		ru=$m_used rr=$m_rss
		measure redis "$redis" "$SERVER_DIR/$kind.resp" "$keys" "$keys"
		du=$m_used dr=$m_rss
		awk -v k="$kind" -v ru="$ru" -v rr="$rr" -v du="$du" -v dr="$dr" 'BEGIN {
			printf "| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.1f |\n",
				(k == "ttl" ? "with TTL" : "no TTL"), ru, du, ru / du, rr, dr, rr / dr, ru - 48 }'
	done
	rm -f "$SERVER_DIR/plain.resp" "$SERVER_DIR/ttl.resp"
fi

# The container rows: one table, a row a case. Payload per field is the
# element's own bytes (field name and value, or member) plus its share of
# the 16-byte key name.
container_header=0
# container_row LABEL CMD KEYFMT NKEYS NELEMS ELEMENT_BYTES LENCMD
container_row() {
	local label=$1 stream=$SERVER_DIR/containers.resp units=$(($4 * $5)) last
	local ru rr re du dr de
	gen_containers "$2" "$3" "$4" "$5" >"$stream"
	# shellcheck disable=SC2059 # KEYFMT is a format on purpose
	last=$(printf "$3" $(($4 - 1)))
	measure respite "$respite" "$stream" "$units" "$4" "$last" "$7" "$5"
	ru=$m_used rr=$m_rss re=$m_enc
	measure redis "$redis" "$stream" "$units" "$4" "$last" "$7" "$5"
	du=$m_used dr=$m_rss de=$m_enc
	rm -f "$stream"
	if [ "$container_header" -eq 0 ]; then
		container_header=1
		[ "$had_output" -eq 1 ] && echo
		printf 'Containers: 16-byte keys, field names, members and list elements, 32-byte hash values; per field (or member, element) = growth / fields\n\n'
		printf '| data set | respite used B/field | redis used B/field | ratio | respite RSS B/field | redis RSS B/field | ratio | payload B/field | respite overhead B/field | encoding respite / redis |\n'
		printf '|---|---|---|---|---|---|---|---|---|---|\n'
	fi
	awk -v l="$label" -v ru="$ru" -v rr="$rr" -v du="$du" -v dr="$dr" \
		-v pay="$(awk -v b="$6" -v e="$5" 'BEGIN { printf "%.1f", b + 16 / e }')" \
		-v enc="$re / $de" 'BEGIN {
		printf "| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.1f | %.1f | %s |\n",
			l, ru, du, ru / du, rr, dr, rr / dr, pay, ru - pay, enc }'
}

had_output=0
has_case strings && had_output=1
has_case hashes && container_row "$hashes hashes x $hash_fields fields" HSET 'hash:%011d' "$hashes" "$hash_fields" 48 hlen
has_case sets && container_row "$sets sets x $set_members members" SADD 'set:%012d' "$sets" "$set_members" 16 scard
has_case bighash && container_row "1 hash x $bighash_fields fields" HSET 'bighash:%08d' 1 "$bighash_fields" 48 hlen
has_case lists && container_row "$lists lists x $list_elements elements" RPUSH 'list:%011d' "$lists" "$list_elements" 16 llen
has_case biglist && container_row "1 list x $biglist_elements elements" RPUSH 'biglist:%08d' 1 "$biglist_elements" 16 llen
has_case zsets && container_row "$zsets zsets x $zset_members members" ZADD 'zset:%011d' "$zsets" "$zset_members" 24 zcard
has_case bigzset && container_row "1 zset x $bigzset_members members" ZADD 'bigzset:%08d' 1 "$bigzset_members" 24 zcard
exit 0
