#!/usr/bin/env bash
# redis-cli interactive mode, driven through a pseudo-terminal made by script(1).
#
# Usage: tests/cli/interactive.sh [--host H] [--port P]
#
# redis-cli only starts its line editor when stdin is a TTY, and on start it
# sends COMMAND DOCS to build its help and argument hints. A server that
# errors on COMMAND DOCS still works (redis-cli falls back to built-in help),
# so that is checked directly; a server that never answers it leaves the
# prompt hanging, which the bounded waits below turn into a FAIL.
#
# Keys are typed only once the previous answer is on screen: linenoise puts
# the terminal in raw mode with TCSAFLUSH, which discards anything typed
# before the first prompt.
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cli_parse_args "$@"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/screen

if ! command -v script >/dev/null; then
	fail "interactive: script(1) from util-linux is needed to make a pty"
	cli_done
fi

rcli del foo >/dev/null

# COMMAND DOCS, as redis-cli sends it at start: any reply but an error.
if ! docs=$(rcli command docs get 2>&1) || printf '%s\n' "$docs" | grep -qE '^(ERR|-|\(error\))'; then
	fail "COMMAND DOCS GET: $(printf '%s' "$docs" | head -c 200)"
else
	ok "COMMAND DOCS GET replies without an error"
fi

# wait_screen PATTERN: up to 5 s for a screen line to match PATTERN.
wait_screen() {
	local _
	for _ in $(seq 1 100); do
		grep -aEq -- "$1" "$out" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

prompt="^$CLI_HOST:$CLI_PORT> "
# Each step: what to type, then what the answer looks like on screen. Lines
# on a pty end in \r\n, so answers are matched up to the \r.
typer() {
	wait_screen "$prompt" || { printf '\004'; return; }
	sleep 0.1
	printf 'set foo bar\r'
	wait_screen $'^OK\r' || { printf '\004'; return; }
	printf 'get foo\r'
	wait_screen $'^"bar"\r' || { printf '\004'; return; }
	printf 'ping\r'
	wait_screen $'^PONG\r' || { printf '\004'; return; }
	printf 'quit\r'
	# Keep the pipe open until redis-cli is gone, or script(1) may end the
	# session on stdin EOF before the last answer is written.
	sleep 1
}

: >"$out"
start=$(date +%s%N)
typer | REDISCLI_HISTFILE=/dev/null timeout 20 \
	script -qec "stty cols 200 rows 50; exec redis-cli -h $CLI_HOST -p $CLI_PORT" /dev/null >"$out" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))

if [ $rc -eq 124 ]; then
	fail "interactive: redis-cli did not finish within 20 s (hang at start or on a command)"
else
	ok "interactive: session ended by itself in ${ms} ms (exit $rc)"
fi
check_grep "interactive: prompt shown" "$prompt" "$out"
check_grep "interactive: set foo bar -> OK" $'^OK\r' "$out"
check_grep "interactive: get foo -> \"bar\"" $'^"bar"\r' "$out"
check_grep "interactive: ping -> PONG" $'^PONG\r' "$out"
if grep -aq '(error)' "$out"; then
	fail "interactive: an error was shown: $(grep -a '(error)' "$out" | head -n 3 | tr '\r\n' '  ')"
else
	ok "interactive: no error shown"
fi

# Where the server keeps Redis's command statistics, the COMMAND DOCS that
# redis-cli sent at start must have neither failed nor been rejected.
stats=$(rcli info commandstats 2>/dev/null | tr -d '\r' | grep '^cmdstat_command|docs:')
if [ -n "$stats" ]; then
	if printf '%s' "$stats" | grep -qE 'failed_calls=[1-9]|rejected_calls=[1-9]'; then
		fail "interactive: COMMAND DOCS failed at least once: $stats"
	else
		ok "interactive: COMMAND DOCS counted without failures ($stats)"
	fi
fi

cli_done
