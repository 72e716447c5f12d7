#!/usr/bin/env bash
# redis-cli options in one-shot mode: -r/-i, --csv, -x, --raw, -n, --scan --pattern.
#
# Usage: tests/cli/options.sh [--host H] [--port P]
#
# When stdout is not a TTY, redis-cli prints replies raw (no quotes, nil as
# an empty line, errors without "(error)"), which is what is compared here.
# Flushes the server first.
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cli_parse_args "$@"

rcli flushall >/dev/null

# -r 5 -i 0.01: the same command five times, 10 ms apart.
check_eq "-r 5 -i 0.01 incr counter: replies" "1 2 3 4 5" "$(rcli -r 5 -i 0.01 incr counter | tr '\n' ' ' | sed 's/ $//')"
check_eq "-r 5: GET counter" 5 "$(rcli get counter)"

# --csv: arrays on one line, comma separated, strings quoted, nil as NULL.
# Arrays come from MGET: respite is a cache of strings, no lists.
rcli mset m:a a m:b b m:c 'c d' >/dev/null
check_eq "--csv mget" '"a","b","c d",NULL' "$(rcli --csv mget m:a m:b m:c no:such:key)"
check_eq "--csv get counter" '"5"' "$(rcli --csv get counter)"
check_eq "--csv incr counter" '6' "$(rcli --csv incr counter)"

# -x: the last argument is all of stdin, newlines included.
check_eq "-x set k: reply" OK "$(printf 'hello\nworld\n' | rcli -x set k)"
check_eq "-x set k: STRLEN counts the trailing newline" 12 "$(rcli strlen k)"
check_eq "--no-raw get k: quoted and escaped" '"hello\nworld\n"' "$(rcli --no-raw get k)"
check_eq "--raw get k: bytes as they are" "$(printf 'hello\nworld')" "$(rcli --raw get k)"
check_eq "--raw mget: one element a line, nil empty" "$(printf 'a\n\nc d')" "$(rcli --raw mget m:a no:such:key m:c)"
check_eq "--raw get missing: empty" "" "$(rcli --raw get no:such:key)"
check_eq "--raw incr: integer" 7 "$(rcli --raw incr counter)"

# -n: database selection, databases do not share keys.
check_eq "-n 1 set dbkey" OK "$(rcli -n 1 set dbkey one)"
check_eq "-n 1 get dbkey" one "$(rcli -n 1 get dbkey)"
check_eq "-n 0 get dbkey: not in db 0" "" "$(rcli -n 0 get dbkey)"
check_eq "-n 1 dbsize" 1 "$(rcli -n 1 dbsize)"

# --scan --pattern, in db 2: 300 matching keys among 450. redis-cli 7.0 sends
# SCAN without COUNT, so the server's default (10 in Redis) makes the cursor
# go round many times. SCAN may repeat a key, never miss one.
{
	for i in $(seq 1 300); do echo "set scan:$i x"; done
	for i in $(seq 1 150); do echo "set other:$i x"; done
} | rcli -n 2 >/dev/null
check_eq "-n 2 dbsize before scan" 450 "$(rcli -n 2 dbsize)"
check_eq "--scan --pattern 'scan:*': distinct keys" 300 \
	"$(rcli -n 2 --scan --pattern 'scan:*' | sort -u | wc -l)"
check_eq "--scan --pattern 'scan:*': nothing else" 0 \
	"$(rcli -n 2 --scan --pattern 'scan:*' | grep -cv '^scan:')"
check_eq "--scan --pattern 'scan:1?': exactly scan:10..19" "$(printf 'scan:1%s\n' 0 1 2 3 4 5 6 7 8 9)" \
	"$(rcli -n 2 --scan --pattern 'scan:1?' | sort -u)"
check_eq "--scan without pattern: all keys" 450 "$(rcli -n 2 --scan | sort -u | wc -l)"

# Commands read from stdin, one a line, when none is on the command line.
check_eq "commands from stdin" "$(printf 'OK\nv\nPONG')" "$(printf 'set s v\nget s\nping\n' | rcli)"

# SUBSCRIBE in a subprocess: redis-cli prints what arrives until it is
# stopped (bounded by timeout); a PUBLISH from here reaches it.
sub_out=$(mktemp)
timeout 5 redis-cli -h "$CLI_HOST" -p "$CLI_PORT" subscribe cli:news >"$sub_out" 2>&1 &
sub_pid=$!
receivers=0
for _ in $(seq 1 50); do
	receivers=$(rcli publish cli:news hello)
	[ "$receivers" = 1 ] && break
	sleep 0.1
done
check_eq "PUBLISH reaches a redis-cli SUBSCRIBE subprocess" 1 "$receivers"
for _ in $(seq 1 50); do
	grep -q '^hello$' "$sub_out" && break
	sleep 0.1
done
check_grep "the subscriber printed the message" '^hello$' "$sub_out"
kill "$sub_pid" 2>/dev/null
wait "$sub_pid" 2>/dev/null
rm -f "$sub_out"

rcli flushall >/dev/null
cli_done
