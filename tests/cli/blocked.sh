#!/usr/bin/env bash
# 10,000 clients blocked at once: each sends BLPOP on one of 100 lists; the
# server counts them in INFO, keeps serving a fresh client, and 100 pushes
# of 100 elements serve every one of them exactly once (the lists end
# empty and each connection has its reply). The server must run with
# maxclients above 10,000 (run.sh passes 10100).
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"
cli_parse_args "$@"

n=10000
ulimit -n 16384 2>/dev/null || { fail "cannot raise the open files limit to 16384"; cli_done; }
holder_bin=${HOLD_CONNECTIONS:-$here/../../build/hold-connections}
[ -x "$holder_bin" ] || { fail "$holder_bin not built (make build/hold-connections)"; cli_done; }
rcli del $(seq -f 'blk:%g' 0 99) >/dev/null
fifo=$(mktemp -u)
mkfifo "$fifo"
"$holder_bin" "$CLI_HOST" "$CLI_PORT" "$n" blk: <"$fifo" >"$fifo.out" 2>&1 &
holder=$!
exec 3>"$fifo"

for _ in $(seq 1 300); do
	grep -q "^opened\|^error" "$fifo.out" 2>/dev/null && break
	sleep 0.1
done
check_grep "$n connections opened, each sent BLPOP" "^opened $n\$" "$fifo.out"

info_field() { rcli info clients | tr -d '\r' | awk -F: -v f="$1" '$1==f{print $2}'; }
blocked=0
for _ in $(seq 1 200); do
	blocked=$(info_field blocked_clients)
	[ "${blocked:-0}" -ge "$n" ] && break
	sleep 0.1
done
check_eq "INFO blocked_clients counts them" "$n" "$blocked"
check_eq "INFO total_blocking_keys: the 100 lists" 100 "$(info_field total_blocking_keys)"
check_eq "a new client is served while they wait" "PONG" "$(rcli ping)"

start=$(date +%s%N)
for k in $(seq 0 99); do
	# shellcheck disable=SC2046 # 100 elements, one word each
	rcli rpush "blk:$k" $(seq 1 100) >/dev/null
done
for _ in $(seq 1 300); do
	blocked=$(info_field blocked_clients)
	[ "${blocked:-1}" -eq 0 ] && break
	sleep 0.05
done
ms=$((($(date +%s%N) - start) / 1000000))
check_eq "100 pushes of 100 elements serve every waiter (${ms} ms)" 0 "$blocked"
left=0
for k in $(seq 0 99); do left=$((left + $(rcli llen "blk:$k"))); done
check_eq "every element went to one waiter: the lists are empty" 0 "$left"

echo >&3
exec 3>&-
wait "$holder"
check_grep "every connection got its reply" "^served $n\$" "$fifo.out"
rm -f "$fifo" "$fifo.out"
cli_done
