#!/usr/bin/env bash
# The HTTP endpoints (http-port): /healthz, /readyz and /metrics, read with
# curl as a kubelet probe or a Prometheus scrape would, /metrics parsed by
# Debian's prometheus_client (the Python client's text parser) and checked
# against INFO under redis_exporter's names; and the bad requests: other
# methods, unknown paths, malformed and oversized requests, more
# connections than allowed. The server must keep serving through all of it.
#
# Usage: tests/cli/http.sh --host H --port P (the server under test is not
# used: this starts its own from CLI_SERVER_BIN, which run.sh exports;
# redis-server has no HTTP endpoints, so against it this only says so)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cli_parse_args "$@"
bin=${CLI_SERVER_BIN:?CLI_SERVER_BIN: the server binary}
case $(basename "$bin") in
redis-server*)
	echo "# redis-server has no HTTP endpoints: nothing to check"
	echo "0 passed, 0 failed"
	exit 0
	;;
esac
dir=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	[ "$CLI_FAILED" -eq 0 ] && rm -rf "$dir"
}
trap cleanup EXIT
python=/usr/bin/python3 # Debian's, with python3-prometheus-client

for _ in 1 2 3 4 5; do
	port=$(free_port)
	hport=$(free_port)
	(cd "$dir" && exec "$bin" --port "$port" --bind 127.0.0.1 --http-port "$hport" >"$dir/server.log" 2>&1) &
	pid=$!
	for _ in $(seq 1 100); do
		[ "$(timeout 5 redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && break 2
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
done
cli() { timeout 10 redis-cli -p "$port" "$@"; }
# get PATH [curl options]: "STATUS BODY", the body's newlines as spaces.
get() {
	local path=$1
	shift
	timeout 10 curl -s -o "$dir/body" -w '%{http_code}' "$@" "http://127.0.0.1:$hport$path" >"$dir/code"
	echo "$(cat "$dir/code") $(tr '\n' ' ' <"$dir/body" | sed 's/ $//')"
}
check_grep "the log names the HTTP port" "HTTP endpoints /metrics /healthz /readyz on 127.0.0.1:$hport" "$dir/server.log"
check_eq "GET /healthz" "200 ok" "$(get /healthz)"
check_eq "GET /readyz" "200 ready" "$(get /readyz)"
check_eq "CONFIG GET http-port" "http-port $hport" "$(cli config get http-port | tr '\n' ' ' | sed 's/ $//')"

# Traffic with known counts, then a scrape.
cli flushall >/dev/null
for i in 1 2 3; do cli set "k$i" v >/dev/null; done
cli setex t 100 v >/dev/null
cli get k1 >/dev/null
cli get nosuch >/dev/null
cli get nosuch2 >/dev/null
cli get product:404 >/dev/null
cli nosuchcommand >/dev/null 2>&1
cli select 3 >/dev/null
redis-cli -p "$port" -n 3 set other v >/dev/null
timeout 10 curl -s -D "$dir/headers" -o "$dir/metrics" "http://127.0.0.1:$hport/metrics"
check_grep "GET /metrics: Prometheus text format 0.0.4" "^Content-Type: text/plain; version=0.0.4" "$dir/headers"
info=$(cli info everything | tr -d '\r')
field() { echo "$info" | awk -F: -v k="$1" '$1 == k { print $2 }'; }
out=$("$python" - "$dir/metrics" <<'EOF'
import sys
from prometheus_client.parser import text_string_to_metric_families
samples = {}
for fam in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in fam.samples:
        key = s.name + "".join("|%s=%s" % kv for kv in sorted(s.labels.items()))
        samples[key] = (fam.type, s.value)
def show(key):
    t, v = samples.get(key, ("missing", -1))
    return "%s:%g" % (t, v)
for key in sys.argv[2:] if len(sys.argv) > 2 else [
        "redis_up", "redis_keyspace_hits_total", "redis_keyspace_misses_total",
        "redis_commands_total|cmd=set", "redis_commands_total|cmd=setex", "redis_db_keys|db=db0",
        "redis_db_keys_expiring|db=db0", "redis_db_keys|db=db3", "redis_db_keys|db=db15",
        "redis_errors_total|err=ERR", "redis_connected_clients",
        "respite_keyspace_prefix_misses_total|prefix=product:"]:
    print(key, show(key))
print("families", len({k.split("|")[0] for k in samples}))
t, v = samples.get("redis_memory_used_bytes", ("missing", -1))
print("memory_used_positive", t == "gauge" and v > 0)
print("instance_info", [k for k in samples if k.startswith("redis_instance_info|")][:1])
EOF
)
rc=$?
check_eq "prometheus_client parses /metrics" 0 "$rc"
m() { echo "$out" | awk -v k="$1" '$1 == k { print $2 }'; }
check_eq "redis_up" "gauge:1" "$(m redis_up)"
check_eq "keyspace hits as INFO counts them" "counter:$(field keyspace_hits)" "$(m redis_keyspace_hits_total)"
check_eq "keyspace misses as INFO counts them" "counter:$(field keyspace_misses)" "$(m redis_keyspace_misses_total)"
check_eq "redis_commands_total{cmd=set} (3 and 1 in db 3)" "counter:4" "$(m 'redis_commands_total|cmd=set')"
check_eq "redis_commands_total{cmd=setex}" "counter:1" "$(m 'redis_commands_total|cmd=setex')"
check_eq "redis_db_keys{db=db0} (DBSIZE)" "gauge:$(cli dbsize)" "$(m 'redis_db_keys|db=db0')"
check_eq "redis_db_keys_expiring{db=db0}" "gauge:1" "$(m 'redis_db_keys_expiring|db=db0')"
check_eq "redis_db_keys{db=db3}" "gauge:1" "$(m 'redis_db_keys|db=db3')"
check_eq "empty databases as zeros, as redis_exporter" "gauge:0" "$(m 'redis_db_keys|db=db15')"
check_eq "redis_errors_total{err=ERR} (the unknown command)" "counter:$(field errorstat_ERR | sed 's/count=//')" \
	"$(m 'redis_errors_total|err=ERR')"
check_eq "respite_keyspace_prefix_misses_total{prefix=product:} (INFO prefixstats)" "counter:1" \
	"$(m 'respite_keyspace_prefix_misses_total|prefix=product:')"
check_eq "redis_memory_used_bytes is a positive gauge" True "$(m memory_used_positive)"
if [ "$(m families)" -ge 60 ] 2>/dev/null; then
	ok "$(m families) metric families"
else
	fail "only $(m families) metric families"
fi
check_grep "redis_instance_info carries the version and the policy" \
	'^redis_instance_info\{role="master",redis_version="7\.4\.0",.*maxmemory_policy="allkeys-lru",tcp_port="'"$port"'"' "$dir/metrics"

# Bad requests: each gets its status, none stops the server.
check_eq "HEAD /healthz: 200, no body" "200 0" \
	"$(timeout 10 curl -s -I -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$hport/healthz")"
check_eq "POST /metrics is 405" "405 method not allowed" "$(get /metrics -X POST)"
check_eq "unknown path is 404" "404 not found: try /metrics, /healthz or /readyz" "$(get /admin)"
check_eq "a query string is ignored" "200 ok" "$(get '/healthz?verbose=1')"
check_eq "a 300-byte path is 414" "414 URI too long" "$(get "/$(head -c 300 /dev/zero | tr '\0' a)")"
check_eq "a 9 KB header is 431" "431 request too large" \
	"$(get /healthz -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' b)")"
raw=$(timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$hport"'; printf "GARBAGE\x01\x02 not http\r\n\r\n" >&3; head -c 200 <&3' 2>/dev/null | head -n 1 | tr -d '\r')
check_eq "a request that is not HTTP is 400" "HTTP/1.1 400 Bad Request" "$raw"
# A silent connection is closed after the idle limit (5 s).
start=$(date +%s)
timeout 20 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$hport"'; cat <&3 >/dev/null'
check_eq "a connection that sends nothing is closed within 7 s" yes \
	"$([ $(($(date +%s) - start)) -le 7 ] && echo yes || echo no)"
# 100 connections at once (64 are allowed): some are refused, none hangs,
# and the endpoint answers after.
conns=()
for _ in $(seq 1 100); do
	timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$hport"'; sleep 2' 2>/dev/null &
	conns+=($!)
done
wait "${conns[@]}"
check_eq "after 100 connections at once, /healthz still answers" "200 ok" "$(get /healthz)"
check_eq "and so does the Redis port" PONG "$(cli ping)"
check_eq "the server is alive" yes "$(kill -0 "$pid" 2>/dev/null && echo yes || echo no)"
cli shutdown nosave >/dev/null 2>&1
for _ in $(seq 1 100); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
check_eq "SHUTDOWN closes the HTTP port too" refused \
	"$(timeout 5 curl -s -o /dev/null "http://127.0.0.1:$hport/healthz" && echo open || echo refused)"
pid=""

echo "$CLI_PASSED passed, $CLI_FAILED failed"
[ "$CLI_FAILED" -eq 0 ]
