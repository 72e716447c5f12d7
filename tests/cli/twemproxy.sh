#!/usr/bin/env bash
# Scale-out through twemproxy: Debian's nutcracker with deploy/twemproxy.yml
# (ports moved to free ones) in front of three servers, traffic from
# redis-benchmark and redis-py through the proxy, then each server asked
# directly: the keys spread over all three, each key on exactly one, hash
# tags keep keys together, MGET across servers works, MULTI is refused by
# the proxy (as the README says), and when one server goes away the proxy
# ejects it and serves the other two's keys.
#
# Usage: tests/cli/twemproxy.sh [SERVER_BINARY] (redis-server works too)
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"
bin=${1:-$repo/src/respite-server}
for tool in nutcracker redis-benchmark redis-cli /usr/bin/python3; do
	command -v "$tool" >/dev/null || { fail "$tool not found (deps/install.sh)"; echo "0 passed, 1 failed"; exit 1; }
done

SERVER_DIR=$(mktemp -d)
proxy_pid=""
cleanup() {
	[ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null
	server_stop_all
	rm -rf "$SERVER_DIR"
}
trap cleanup EXIT
for s in a b c; do
	server_start "$s" "$bin" || { fail "could not start server $s"; exit 1; }
done
pa=${SERVER_PORT[a]} pb=${SERVER_PORT[b]} pc=${SERVER_PORT[c]}

# The shipped config with this run's ports.
for _ in 1 2 3 4 5; do
	pport=$(free_port)
	sed -e "s/127.0.0.1:22121/127.0.0.1:$pport/" -e "s/127.0.0.1:6380:/127.0.0.1:$pa:/" \
		-e "s/127.0.0.1:6381:/127.0.0.1:$pb:/" -e "s/127.0.0.1:6382:/127.0.0.1:$pc:/" \
		"$repo/deploy/twemproxy.yml" >"$SERVER_DIR/proxy.yml"
	nutcracker -c "$SERVER_DIR/proxy.yml" -o "$SERVER_DIR/proxy.log" -s "$(free_port)" &
	proxy_pid=$!
	for _ in $(seq 1 50); do
		[ "$(timeout 2 redis-cli -p "$pport" set probe 1 2>/dev/null)" = OK ] && break 2
		kill -0 "$proxy_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$proxy_pid" 2>/dev/null
	proxy_pid=""
done
[ -n "$proxy_pid" ] || { fail "nutcracker did not start: $(tail -n 3 "$SERVER_DIR/proxy.log")"; exit 1; }
echo "# nutcracker on 127.0.0.1:$pport over $pa $pb $pc"
for p in "$pa" "$pb" "$pc"; do timeout 5 redis-cli -p "$p" flushall >/dev/null; done

out=$(timeout 120 redis-benchmark -p "$pport" -t set,get,incr,lpush,hset -n 20000 -r 100000 -P 16 -c 20 -q 2>&1 | tr '\r' '\n')
if echo "$out" | grep -q '^HSET: ' && ! echo "$out" | grep -qi 'error'; then
	ok "redis-benchmark through the proxy: SET GET INCR LPUSH HSET, pipelined, no errors"
else
	fail "redis-benchmark through the proxy: $(echo "$out" | grep -v '^$' | tail -n 3 | tr '\n' ' ')"
fi
for p in "$pa" "$pb" "$pc"; do timeout 5 redis-cli -p "$p" flushall >/dev/null; done

res=$(/usr/bin/python3 - "$pport" "$pa" "$pb" "$pc" <<'EOF'
import sys
import redis
proxy = redis.Redis(port=int(sys.argv[1]), socket_timeout=5)
servers = [redis.Redis(port=int(p), socket_timeout=5) for p in sys.argv[2:5]]
n = 3000
pipe = proxy.pipeline(transaction=False)
for i in range(n):
    pipe.set("user:%d" % i, "v%d" % i, ex=300)
pipe.execute()
print("read_back", all(proxy.get("user:%d" % i) == b"v%d" % i for i in range(0, n, 7)))
sizes = [s.dbsize() for s in servers]
print("sizes", " ".join(str(x) for x in sizes))
print("sum", sum(sizes))
print("min_share_ok", min(sizes) >= n * 0.2)
once = all(sum(1 for s in servers if s.exists("user:%d" % i)) == 1 for i in range(0, n, 10))
print("each_once", once)
keys = ["user:%d" % i for i in range(0, 60)]
print("mget", proxy.mget(keys) == [b"v%d" % i for i in range(0, 60)])
for i in range(20):
    proxy.set("{cart:%d}:items" % i, "x")
    proxy.set("{cart:%d}:total" % i, "y")
together = all(sum(1 for s in servers if s.exists("{cart:%d}:items" % i) and s.exists("{cart:%d}:total" % i)) == 1 for i in range(20))
print("hash_tags", together)
try:
    proxy.execute_command("MULTI")
    print("multi", "accepted")
except (redis.ResponseError, redis.ConnectionError) as e:
    print("multi", "refused")
EOF
)
v() { echo "$res" | awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }'; }
check_eq "redis-py through the proxy: 3000 SETs with a TTL read back" True "$(v read_back)"
check_eq "every key is on one server (DBSIZEs add up)" 3000 "$(v sum)"
check_eq "each server holds at least 20% of them ($(v sizes))" True "$(v min_share_ok)"
check_eq "each sampled key exists on exactly one server" True "$(v each_once)"
check_eq "MGET across the three servers" True "$(v mget)"
check_eq "keys sharing a {hash tag} are on the same server" True "$(v hash_tags)"
check_eq "MULTI through the proxy is refused, not half run" refused "$(v multi)"

# One server goes away: ejected after two failures, the others still serve.
kill -KILL "${SERVER_PID[c]}" 2>/dev/null
wait "${SERVER_PID[c]}" 2>/dev/null
unset 'SERVER_PID[c]'
alive=$(/usr/bin/python3 - "$pport" "$pa" "$pb" <<'EOF'
import sys, time
import redis
proxy = redis.Redis(port=int(sys.argv[1]), socket_timeout=5)
servers = [redis.Redis(port=int(p), socket_timeout=5) for p in sys.argv[2:4]]
on_live = [k for k in ("user:%d" % i for i in range(300)) if any(s.exists(k) for s in servers)]
# Requests for the dead server's keys fail until it is ejected.
deadline = time.time() + 10
served = 0
while time.time() < deadline:
    try:
        for i in range(300):
            proxy.set("probe:%d" % i, "x")
        break
    except (redis.ResponseError, redis.ConnectionError, redis.TimeoutError):
        time.sleep(0.2)
ok = all(proxy.get(k) is not None for k in on_live)
print("%s %d" % (ok, len(on_live)))
EOF
)
check_eq "after a server dies, the proxy ejects it and serves the others' keys ($(echo "$alive" | cut -d' ' -f2) keys)" True \
	"$(echo "$alive" | cut -d' ' -f1)"

echo "$CLI_PASSED passed, $CLI_FAILED failed"
[ "$CLI_FAILED" -eq 0 ]
