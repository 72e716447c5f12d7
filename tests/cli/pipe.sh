#!/usr/bin/env bash
# redis-cli --pipe: mass insertion of 1,000,000 keys in RESP, then inline input.
#
# Usage: tests/cli/pipe.sh [--host H] [--port P] [--keys N]
#
# The RESP stream (about 50 MB for a million keys) is written by awk straight
# into redis-cli, which takes well under a second to generate; redis-cli then
# appends an ECHO of a random marker and counts replies until it sees it.
# Flushes the server first.
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
keys=1000000
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--keys) keys=$2; shift 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
cli_parse_args "${args[@]}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rcli flushall >/dev/null

# gen_set N: RESP for SET key:i value:i, i in [0, N).
gen_set() {
	LC_ALL=C awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			k = "key:" i
			v = "value:" i
			printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
		}
	}'
}

start=$(date +%s%N)
gen_set "$keys" | timeout 60 redis-cli -h "$CLI_HOST" -p "$CLI_PORT" --pipe >"$tmp/mass" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check_eq "--pipe $keys SETs: redis-cli exit status" 0 "$rc"
check_grep "--pipe $keys SETs: errors: 0, replies: $keys (${ms} ms)" "^errors: 0, replies: $keys\$" "$tmp/mass"
check_eq "--pipe $keys SETs: DBSIZE" "$keys" "$(rcli dbsize)"
last=$((keys - 1))
check_eq "--pipe: GET key:$last" "value:$last" "$(rcli get "key:$last")"
check_eq "--pipe: GET key:0" "value:0" "$(rcli get key:0)"

# Inline commands, \r\n and bare \n line ends, with empty lines: an empty
# inline line is skipped by the server and gets no reply, so 5 commands
# give 5 replies. INCR of a non-number gives the one error.
rcli flushall >/dev/null
printf 'SET inline:a 1\r\n\r\nSET inline:b "two words"\n\nINCR inline:c\r\n\n\nINCR inline:b\r\nPING\n' |
	timeout 30 redis-cli -h "$CLI_HOST" -p "$CLI_PORT" --pipe >"$tmp/inline" 2>&1
check_grep "--pipe inline with empty lines: errors: 1, replies: 5" '^errors: 1, replies: 5$' "$tmp/inline"
check_eq "--pipe inline: GET inline:a" 1 "$(rcli get inline:a)"
check_eq "--pipe inline: quoted argument" "two words" "$(rcli get inline:b)"
check_eq "--pipe inline: INCR inline:c" 1 "$(rcli get inline:c)"
check_eq "--pipe inline: DBSIZE" 3 "$(rcli dbsize)"

rcli flushall >/dev/null
cli_done
