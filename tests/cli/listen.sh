#!/usr/bin/env bash
# Where the server listens: a unix socket (unixsocket, unixsocketperm, port 0
# for no TCP), bind by host name, and the refusals (nowhere to listen, a host
# name that does not resolve). redis-cli -s and redis-benchmark -s are the
# clients, as an operator would use them.
#
# Usage: tests/cli/listen.sh --host H --port P (the server under test is not
# used: this starts its own from CLI_SERVER_BIN, which run.sh exports)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cli_parse_args "$@"
bin=${CLI_SERVER_BIN:?CLI_SERVER_BIN: the server binary}
dir=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
	[ "$CLI_FAILED" -eq 0 ] && rm -rf "$dir"
}
trap cleanup EXIT
extra=()
case $(basename "$bin") in
redis-server*) extra=(--save "" --appendonly no) ;;
esac
alive() { kill -0 "$1" 2>/dev/null && echo yes || echo no; }
sock=$dir/respite.sock

# wait_sock_pong PID: up to 10 s for PING on the socket, less if PID exits.
wait_sock_pong() {
	for _ in $(seq 1 100); do
		[ "$(timeout 5 redis-cli -s "$sock" ping 2>/dev/null)" = PONG ] && return 0
		[ "$(alive "$1")" = no ] && return 1
		sleep 0.1
	done
	return 1
}

# wait_exit PID: up to 10 s for PID to exit.
wait_exit() {
	for _ in $(seq 1 100); do
		[ "$(alive "$1")" = no ] && return 0
		sleep 0.1
	done
	return 1
}

# A stale file where the socket goes is replaced, as Redis does.
: >"$sock"
(cd "$dir" && exec "$bin" --port 0 --unixsocket "$sock" --unixsocketperm 700 "${extra[@]}" \
	>"$dir/unix.log" 2>&1) &
pid=$!
pids+=("$pid")
if wait_sock_pong "$pid"; then
	ok "port 0 and unixsocket: PING over the socket (a stale file there replaced)"
else
	fail "no PONG over $sock: $(tail -n 5 "$dir/unix.log" | tr '\n' ' ')"
fi
check_eq "the socket's mode is unixsocketperm 700" "srwx------" "$(stat -c %A "$sock" 2>/dev/null)"
check_eq "CONFIG GET unixsocketperm (octal)" "unixsocketperm 700" \
	"$(timeout 5 redis-cli -s "$sock" config get unixsocketperm | tr '\n' ' ' | sed 's/ $//')"
check_eq "CONFIG GET unixsocket" "unixsocket $sock" \
	"$(timeout 5 redis-cli -s "$sock" config get unixsocket | tr '\n' ' ' | sed 's/ $//')"
info=$(timeout 5 redis-cli -s "$sock" client info)
case $info in
*"addr=$sock:0 laddr=$sock:0 "*"flags=U "*) ok "CLIENT INFO: addr and laddr are the path, flags U" ;;
*) fail "CLIENT INFO over the socket: $info" ;;
esac
server_info=$(timeout 5 redis-cli -s "$sock" info server | tr -d '\r')
check_eq "INFO tcp_port is 0" "tcp_port:0" "$(echo "$server_info" | grep '^tcp_port:')"
# Redis 7.0 (Debian's) has no listener lines; 7.2 and respite do.
has_listeners=$(echo "$server_info" | grep -q '^redis_version:7\.0\.' && echo no || echo yes)
if [ "$has_listeners" = yes ]; then
	check_eq "INFO lists the unix listener, no TCP one" "listener1:name=unix,bind=$sock" \
		"$(echo "$server_info" | grep '^listener')"
fi
big=$(head -c 3000000 /dev/zero | tr '\0' 'v')
printf '%s' "$big" | timeout 10 redis-cli -s "$sock" -x set big >/dev/null
check_eq "a 3 MB value in and out over the socket" 3000000 \
	"$(timeout 10 redis-cli -s "$sock" strlen big)"
out=$(timeout 60 redis-benchmark -s "$sock" -t set,get,lpush -n 20000 -P 16 -c 20 -q 2>&1 | tr '\r' '\n')
if echo "$out" | grep -q '^GET: ' && ! echo "$out" | grep -qi 'error'; then
	ok "redis-benchmark -s: SET, GET and LPUSH pipelined over the socket, no errors"
else
	fail "redis-benchmark -s: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
fi
check_eq "CONFIG SET unixsocketperm is refused (immutable)" \
	"ERR CONFIG SET failed (possibly related to argument 'unixsocketperm') - can't set immutable config" \
	"$(timeout 5 redis-cli -s "$sock" config set unixsocketperm 777)"
# TCP comes and goes with CONFIG SET port; the socket stays.
port=$(free_port)
timeout 5 redis-cli -s "$sock" config set bind 127.0.0.1 >/dev/null
check_eq "CONFIG SET port opens TCP next to the socket" "OK PONG" \
	"$(timeout 5 redis-cli -s "$sock" config set port "$port") $(timeout 5 redis-cli -p "$port" ping)"
timeout 5 redis-cli -p "$port" config set port 0 >/dev/null
check_eq "CONFIG SET port 0 closes TCP, the socket still answers" "refused PONG" \
	"$(timeout 5 redis-cli -p "$port" ping >/dev/null 2>&1 && echo open || echo refused) $(timeout 5 redis-cli -s "$sock" ping)"
timeout 5 redis-cli -s "$sock" shutdown nosave >/dev/null 2>&1
wait_exit "$pid"
check_eq "SHUTDOWN removes the socket file" no "$([ -e "$sock" ] && echo yes || echo no)"
check_grep "the log says so" "Removing the unix socket file" "$dir/unix.log"

# Nowhere to listen: port 0 and no unixsocket.
timeout 10 "$bin" --port 0 "${extra[@]}" >"$dir/nowhere.log" 2>&1
rc=$?
check_eq "port 0 without unixsocket: the server exits" yes "$([ "$rc" -ne 124 ] && echo yes || echo no)"
check_grep "saying it is configured to listen nowhere" "Configured to not listen anywhere, exiting" \
	"$dir/nowhere.log"

# bind by host name: localhost is 127.0.0.1 (IPv4: no colon in the name).
for _ in 1 2 3 4 5; do
	port=$(free_port)
	(cd "$dir" && exec "$bin" --port "$port" --bind localhost "${extra[@]}" >"$dir/host.log" 2>&1) &
	pid=$!
	pids+=("$pid")
	for _ in $(seq 1 100); do
		[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] && break 2
		[ "$(alive "$pid")" = no ] && break
		sleep 0.1
	done
done
check_eq "bind localhost: PING on 127.0.0.1" PONG "$(timeout 5 redis-cli -h 127.0.0.1 -p "$port" ping)"
if [ "$has_listeners" = yes ]; then
	check_eq "INFO shows the name it was given" "listener0:name=tcp,bind=localhost,port=$port" \
		"$(timeout 5 redis-cli -p "$port" info server | tr -d '\r' | grep '^listener0')"
fi
check_eq "CONFIG SET bind to a name that does not resolve fails, the old socket stays" \
	"ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses. PONG" \
	"$(timeout 5 redis-cli -p "$port" config set bind nosuchhost.invalid) $(timeout 5 redis-cli -p "$port" ping)"
timeout 5 redis-cli -p "$port" shutdown nosave >/dev/null 2>&1
wait_exit "$pid"

timeout 10 "$bin" --port "$(free_port)" --bind nosuchhost.invalid "${extra[@]}" >"$dir/badhost.log" 2>&1
check_grep "a bind name that does not resolve stops the start, as in Redis" \
	"Could not create server TCP listening socket nosuchhost.invalid:[0-9]+: " "$dir/badhost.log"

echo "$CLI_PASSED passed, $CLI_FAILED failed"
[ "$CLI_FAILED" -eq 0 ]
