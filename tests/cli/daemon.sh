#!/usr/bin/env bash
# daemonize yes: the command returns at once, the server runs on in the
# background in a session of its own, its pidfile names it, and SHUTDOWN
# ends it and removes the pidfile. daemonize no is accepted in a config file.
#
# Usage: tests/cli/daemon.sh --host H --port P (the server under test is not
# used: this starts its own from CLI_SERVER_BIN, which run.sh exports)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cli_parse_args "$@"
bin=${CLI_SERVER_BIN:?CLI_SERVER_BIN: the server binary}
dir=$(mktemp -d)
trap '[ "$CLI_FAILED" -eq 0 ] && rm -rf "$dir"' EXIT
extra=()
case $(basename "$bin") in
redis-server*) extra=(--save "" --appendonly no) ;;
esac
alive() { kill -0 "$1" 2>/dev/null && echo yes || echo no; }

# wait_pong PORT [PID]: up to 10 s for PING to answer, less if PID exits.
wait_pong() {
	for _ in $(seq 1 100); do
		[ "$(timeout 5 redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0
		[ -n "${2:-}" ] && [ "$(alive "$2")" = no ] && return 1
		sleep 0.1
	done
	return 1
}

# free_port is racy (another test may take the port first): a server that
# could not bind exits, and the start is tried again on another port.
for _ in 1 2 3 4 5; do
	port=$(free_port)
	rm -f "$dir/d.pid"
	(cd "$dir" && timeout 10 "$bin" --port "$port" --bind 127.0.0.1 --daemonize yes \
		--pidfile "$dir/d.pid" --logfile "$dir/d.log" "${extra[@]}")
	rc=$?
	[ "$rc" -ne 0 ] && break
	wait_pong "$port" && break
done
check_eq "daemonize yes: the command returns at once with status 0" 0 "$rc"
pid=$(cat "$dir/d.pid" 2>/dev/null)
check_eq "daemonize yes: the daemon answers PING" PONG "$(timeout 5 redis-cli -p "$port" ping)"
check_eq "CONFIG GET daemonize" "daemonize yes" \
	"$(timeout 5 redis-cli -p "$port" config get daemonize | tr '\n' ' ' | sed 's/ $//')"
check_eq "the pidfile names the running daemon" yes "$(alive "${pid:-none}")"
check_eq "the daemon leads a session of its own" "$pid" "$(ps -o sid= -p "${pid:-none}" | tr -d ' ')"
timeout 5 redis-cli -p "$port" shutdown nosave >/dev/null 2>&1
for _ in $(seq 1 100); do
	[ "$(alive "${pid:-none}")" = no ] && break
	sleep 0.1
done
check_eq "SHUTDOWN ends the daemon" no "$(alive "${pid:-none}")"
check_eq "and removes its pidfile" no "$([ -e "$dir/d.pid" ] && echo yes || echo no)"

for _ in 1 2 3 4 5; do
	port=$(free_port)
	printf 'daemonize no\nport %s\nbind 127.0.0.1\n' "$port" >"$dir/no.conf"
	(cd "$dir" && exec "$bin" "$dir/no.conf" "${extra[@]}" >"$dir/no.log" 2>&1) &
	fg=$!
	wait_pong "$port" "$fg" && break
	kill "$fg" 2>/dev/null
	wait "$fg" 2>/dev/null
done
check_eq "daemonize no in a config file: serves in the foreground" PONG \
	"$(timeout 5 redis-cli -p "$port" ping)"
check_eq "CONFIG GET daemonize" "daemonize no" \
	"$(timeout 5 redis-cli -p "$port" config get daemonize | tr '\n' ' ' | sed 's/ $//')"
timeout 5 redis-cli -p "$port" shutdown nosave >/dev/null 2>&1
wait "$fg" 2>/dev/null
cli_done
