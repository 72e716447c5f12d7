#!/usr/bin/env bash
# redis-cli and Lua: --eval of a script file, SCRIPT LOAD "$(cat file)" then EVALSHA, nested replies.
#
# Usage: tests/cli/scripting.sh [--host H] [--port P]
#
# `redis-cli --eval FILE k1 k2 , a1 a2` sends EVAL with the file's bytes,
# then 2 k1 k2 a1 a2: the words before a lone "," are keys, the rest
# arguments ("k2,a1" is one key). When stdout is not a TTY, replies are
# printed raw, one array element a line, errors without "(error)". Flushes
# the server's data and its script cache first.
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cli_parse_args "$@"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rcli flushall >/dev/null
rcli script flush >/dev/null

# The counts come first: a nil (a missing KEYS[1]) ends a Lua table.
cat >"$tmp/echo.lua" <<'EOF'
-- Returns how many keys and arguments it got, then the first two of each.
return {#KEYS, #ARGV, KEYS[1], KEYS[2], ARGV[1], ARGV[2]}
EOF

cat >"$tmp/ratelimit.lua" <<'EOF'
-- A fixed-window rate limiter: KEYS[1] counts the calls of this window,
-- ARGV[1] is the limit, ARGV[2] the window in seconds. 1 allowed, 0 denied.
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
if n > tonumber(ARGV[1]) then
  return 0
end
return 1
EOF

# lines: the reply's lines joined by spaces.
lines() {
	tr '\n' ' ' | sed 's/ $//'
}

check_eq "--eval echo.lua key1 key2 , arg1 arg2" "2 2 key1 key2 arg1 arg2" \
	"$(rcli --eval "$tmp/echo.lua" key1 key2 , arg1 arg2 | lines)"
check_eq "--eval without a comma: all keys" "2 0 key1 key2" "$(rcli --eval "$tmp/echo.lua" key1 key2 | lines)"
check_eq "--eval , arg1: no keys" "0 1" "$(rcli --eval "$tmp/echo.lua" , arg1 | lines)"
check_eq "--eval key2,arg1: a comma inside a word is part of the key" "2 0 key1 key2,arg1" \
	"$(rcli --eval "$tmp/echo.lua" key1 key2,arg1 | lines)"
check_eq "--eval: spaces and quotes stay inside their word" "2 2 k y k'2 a \"b\" c" \
	"$(rcli --eval "$tmp/echo.lua" 'k y' "k'2" , 'a "b"' c | lines)"

got=""
for _ in 1 2 3 4 5; do
	got="$got $(rcli --eval "$tmp/ratelimit.lua" cli:rate , 3 60)"
done
check_eq "--eval ratelimit.lua x5, limit 3" "1 1 1 0 0" "${got# }"
check_eq "rate limiter counted the calls" 5 "$(rcli get cli:rate)"
ttl=$(rcli ttl cli:rate)
if [ "$ttl" -gt 0 ] 2>/dev/null && [ "$ttl" -le 60 ]; then
	ok "rate limiter window TTL in (0, 60]: $ttl"
else
	fail "rate limiter window TTL: expected (0, 60], got '$ttl'"
fi
rcli set cli:text abc >/dev/null
rcli --eval "$tmp/ratelimit.lua" cli:text , 3 60 >"$tmp/err" 2>&1
check_grep "--eval: a redis.call error names the script's sha and line" \
	'^ERR value is not an integer or out of range script: [0-9a-f]{40}, on @user_script:3\.$' "$tmp/err"

# SCRIPT LOAD "$(cat file)": $(...) drops the trailing newline, so the sha is
# that of the file without it.
want_sha=$(printf '%s' "$(cat "$tmp/echo.lua")" | sha1sum | cut -c1-40)
sha=$(rcli script load "$(cat "$tmp/echo.lua")")
check_eq "SCRIPT LOAD \"\$(cat echo.lua)\": the SHA1 of the text" "$want_sha" "$sha"
check_eq "SCRIPT EXISTS" 1 "$(rcli script exists "$sha")"
check_eq "EVALSHA sha 2 key1 key2 arg1 arg2" "2 2 key1 key2 arg1 arg2" \
	"$(rcli evalsha "$sha" 2 key1 key2 arg1 arg2 | lines)"
check_eq "EVALSHA with 0 keys: KEYS[1] is nil and ends the table" "0 2" "$(rcli evalsha "$sha" 0 arg1 arg2 | lines)"
check_eq "SCRIPT FLUSH" OK "$(rcli script flush)"
check_eq "SCRIPT EXISTS after FLUSH" 0 "$(rcli script exists "$sha")"
check_eq "EVALSHA after FLUSH" "NOSCRIPT No matching script. Please use EVAL." "$(rcli evalsha "$sha" 0 2>&1)"
check_eq "--eval after FLUSH (EVAL needs no cache)" "0 0" "$(rcli --eval "$tmp/echo.lua" | lines)"

# Nested arrays: --no-raw draws the tree, --raw prints the leaves a line
# each, --csv flattens them into one line. Lua false is a nil reply.
nested="return {1, 'two', {3, {'four'}}, redis.status_reply('OK'), false}"
check_eq "--no-raw EVAL nested tables" "$(printf '%s\n' '1) (integer) 1' '2) "two"' \
	'3) 1) (integer) 3' '   2) 1) "four"' '4) OK' '5) (nil)')" "$(rcli --no-raw eval "$nested" 0)"
check_eq "--raw EVAL nested tables" "1 two 3 four OK " "$(rcli --raw eval "$nested" 0 | lines)"
check_eq "--csv EVAL nested tables" '1,"two",3,"four","OK",NULL' "$(rcli --csv eval "$nested" 0)"
check_eq "--csv EVAL error_reply" 'ERROR,"MYERR custom failure"' \
	"$(rcli --csv eval "return redis.error_reply('MYERR custom failure')" 0)"

rcli flushall >/dev/null
rcli script flush >/dev/null
cli_done
