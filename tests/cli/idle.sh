#!/usr/bin/env bash
# 10,000 idle connections: the server accepts them all, keeps answering a
# fresh client while they are open, counts them in INFO, and lets them go.
# The server must run with maxclients above 10,000 (run.sh passes 10100).
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"
cli_parse_args "$@"

n=10000
# The client side needs a descriptor per connection too.
ulimit -n 16384 2>/dev/null || { fail "cannot raise the open files limit to 16384"; cli_done; }

holder_bin=${HOLD_CONNECTIONS:-$here/../../build/hold-connections}
[ -x "$holder_bin" ] || { fail "$holder_bin not built (make build/hold-connections)"; cli_done; }
fifo=$(mktemp -u)
mkfifo "$fifo"
# The holder opens n sockets, prints how many it got, then waits for a
# line on stdin (or 60 s) and exits, closing them all.
"$holder_bin" "$CLI_HOST" "$CLI_PORT" "$n" <"$fifo" >"$fifo.out" 2>&1 &
holder=$!
exec 3>"$fifo"

for _ in $(seq 1 300); do
	grep -q "^opened\|^error" "$fifo.out" 2>/dev/null && break
	sleep 0.1
done
check_grep "$n connections opened" "^opened $n\$" "$fifo.out"

connected=0
for _ in $(seq 1 100); do
	connected=$(rcli info clients | tr -d '\r' | awk -F: '$1=="connected_clients"{print $2}')
	[ "${connected:-0}" -gt "$n" ] && break
	sleep 0.1
done
if [ "${connected:-0}" -gt "$n" ]; then ok "INFO connected_clients counts them ($connected)"; else fail "connected_clients is '$connected', want more than $n"; fi
check_eq "a new client is served while they are open" "PONG" "$(rcli ping)"
check_eq "SET/GET still work" "v" "$(rcli set idle:k v >/dev/null; rcli get idle:k)"

echo >&3
exec 3>&-
wait "$holder"
rm -f "$fifo" "$fifo.out"

connected=0
for _ in $(seq 1 100); do
	connected=$(rcli info clients | tr -d '\r' | awk -F: '$1=="connected_clients"{print $2}')
	[ "${connected:-0}" -le 2 ] && break
	sleep 0.1
done
if [ "${connected:-99}" -le 2 ]; then ok "closed connections are released"; else fail "connected_clients stayed at $connected"; fi
rcli del idle:k >/dev/null
cli_done
