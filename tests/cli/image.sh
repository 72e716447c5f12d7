#!/usr/bin/env bash
# The container image (make image) and the pod (deploy/pod.yaml), run with
# podman as this project runs it (deploy/podman.sh). Each check says what
# it proved: the image's size and user, the saved tar loading into another
# store, read-only root filesystem, start to first PONG, SIGTERM to exit,
# maxmemory derived from the memory limit and no OOM kill under ten times
# the limit written, the unix socket through a volume, the probes and
# /metrics, and `podman kube play` of the pod manifest with the app
# container reaching respite over TCP and over the socket.
#
# Usage: tests/cli/image.sh (after make image app-image; make test-image
# does both). Needs root and podman; says "skip" and passes without them.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"
pm() { timeout 120 "$repo/deploy/podman.sh" "$@"; }
if [ "$(id -u)" -ne 0 ] || ! command -v podman >/dev/null; then
	echo "skip: podman as root is needed for the image checks"
	echo "0 passed, 0 failed"
	exit 0
fi
dir=$(mktemp -d)
chmod 777 "$dir" # the socket volume: the server runs as uid 10001
names=()
cleanup() {
	for n in "${names[@]}"; do pm rm -f -t 0 "$n" >/dev/null 2>&1; done
	pm kube down "$dir/pod.yaml" >/dev/null 2>&1
	[ "$CLI_FAILED" -eq 0 ] && rm -rf "$dir"
}
trap cleanup EXIT

# --- the image itself
size=$(pm image inspect respite:latest --format '{{.Size}}')
if [ -n "$size" ] && [ "$size" -le $((5 * 1024 * 1024)) ]; then
	ok "image respite:latest is $size bytes (at most 5 MB)"
else
	fail "image size '$size' (more than 5 MB, or no image: run make image)"
fi
check_eq "the image runs as a non-root user" "10001:10001" "$(pm image inspect respite:latest --format '{{.Config.User}}')"
check_eq "its entrypoint is the server itself, exec form" "[/respite-server /etc/respite/respite.conf]" \
	"$(pm image inspect respite:latest --format '{{.Config.Entrypoint}}')"
layers=$(pm image inspect respite:latest --format '{{len .RootFS.Layers}}')
check_eq "FROM scratch: the two files in two layers, nothing else" 2 "$layers"
other=(timeout 120 podman --root "$dir/store" --runroot "$dir/run" --storage-driver vfs)
if CONTAINERS_CONF=$repo/deploy/containers.conf "${other[@]}" load -q -i "$repo/build/respite-image.tar" >/dev/null 2>&1 &&
	[ -n "$(CONTAINERS_CONF=$repo/deploy/containers.conf "${other[@]}" images -q localhost/respite:latest)" ]; then
	ok "build/respite-image.tar loads into a fresh image store"
else
	fail "build/respite-image.tar does not load"
fi
CONTAINERS_CONF=$repo/deploy/containers.conf "${other[@]}" rmi -a -f >/dev/null 2>&1

# run NAME PODMAN_ARGS... -- SERVER_ARGS...: a container on free ports.
run() {
	local name=$1
	shift
	local -a pargs=()
	while [ "$1" != "--" ]; do pargs+=("$1"); shift; done
	shift
	names+=("$name")
	pm run -d --name "$name" --read-only "${pargs[@]}" respite:latest \
		--port "$port" --http-port "$hport" --bind 127.0.0.1 "$@" >/dev/null
}
wait_pong() {
	for _ in $(seq 1 200); do
		[ "$(timeout 2 redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && return 0
		sleep 0.01
	done
	return 1
}

# --- start, limits, socket, probes
port=$(free_port)
hport=$(free_port)
start=$(date +%s%N)
run r1 --memory 256m -v "$dir:/run/respite" -- --unixsocket /run/respite/respite.sock --unixsocketperm 777
wait_pong
pong_ms=$((($(date +%s%N) - start) / 1000000))
check_eq "read-only root filesystem, 256 MB limit: PONG" PONG "$(redis-cli -p "$port" ping)"
log=$(pm logs r1 2>&1)
# Log lines: "1:M 04 Dec 2026 15:52:08.932 * ...": the time is field 5.
t0=$(echo "$log" | grep -m1 'starting (pid' | awk '{print $5}')
t1=$(echo "$log" | grep -m1 'Ready to accept' | awk '{print $5}')
ms() { echo "$1" | awk -F: '{ printf "%d", ($1 * 3600 + $2 * 60 + $3) * 1000 }'; }
server_ms=$(($(ms "$t1") - $(ms "$t0")))
if [ "$server_ms" -lt 100 ]; then
	ok "the server is ready $server_ms ms after it starts (goal: under 100 ms); podman run to first PONG: $pong_ms ms"
else
	fail "the server took $server_ms ms from start to ready"
fi
check_eq "it is PID 1 in the container" yes "$(echo "$log" | grep -q 'starting (pid 1)' && echo yes || echo no)"
pid=$(pm inspect r1 --format '{{.State.Pid}}')
check_eq "the process runs as uid 10001" 10001 "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")"
max=$(redis-cli -p "$port" config get maxmemory | tail -n 1)
if [ "$max" -gt $((100 << 20)) ] && [ "$max" -lt $((128 << 20)) ]; then
	ok "maxmemory derived from the 256 MB limit: $max bytes ($((max * 100 / (256 << 20)))%)"
else
	fail "maxmemory '$max' under a 256 MB limit"
fi
check_grep "the log says where maxmemory came from" "from the cgroup memory limit of 268435456 bytes" \
	<(echo "$log")
check_eq "redis-cli -s over the socket in the shared volume" PONG "$(timeout 5 redis-cli -s "$dir/respite.sock" ping)"
check_eq "GET /healthz" 200 "$(timeout 5 curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hport/healthz")"
check_eq "GET /readyz" 200 "$(timeout 5 curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hport/readyz")"
check_grep "GET /metrics: redis_memory_max_bytes is the derived maxmemory" "^redis_memory_max_bytes $max\$" \
	<(timeout 5 curl -s "http://127.0.0.1:$hport/metrics")

# --- ten times the limit written, in three value sizes and a script
total=$((268435456 * 10))
for size in 1024 128 16384; do
	timeout 300 redis-benchmark -p "$port" -t set -d "$size" -r 100000000 -n $((total / size)) -P 16 -c 8 -q \
		>/dev/null 2>&1
done
peak=$(redis-cli -p "$port" info memory | tr -d '\r' | awk -F: '$1 == "used_memory_peak" { print $2 }')
if [ "${peak:-0}" -le $((max + 65536)) ]; then
	ok "SETs of 1 KB, 128 B, 16 KB values: used_memory_peak $peak within maxmemory $max (+ a value)"
else
	fail "SETs: used_memory_peak $peak over maxmemory $max + 64 KB"
fi
timeout 300 redis-benchmark -p "$port" -n $((total / (200 * 1024))) -c 4 -r 100000000 -q \
	EVAL "for i = 1, 200 do redis.call('set', KEYS[1] .. ':' .. i, string.rep('x', 1024)) end" \
	1 "s:__rand_int__" >/dev/null 2>&1
state=$(pm inspect r1 --format '{{.State.Status}} oomkilled={{.State.OOMKilled}}')
check_eq "after 2.5 GB written (1 KB, 128 B, 16 KB values, a script): running, not OOM-killed" \
	"running oomkilled=false" "$state"
peak=$(redis-cli -p "$port" info memory | tr -d '\r' | awk -F: '$1 == "used_memory_peak" { print $2 }')
# Inside a script, what it allocates (its writes, its Lua garbage) may pass
# maxmemory until it ends, as in Redis (see tests/cli/cgroup_memory.sh).
if [ "${peak:-0}" -le $((max + 8388608)) ]; then
	ok "with the script load: used_memory_peak $peak within maxmemory $max + 8 MB"
else
	fail "used_memory_peak $peak over maxmemory $max + 8 MB"
fi

# --- SIGTERM
start=$(date +%s%N)
pm stop -t 10 r1 >/dev/null
stop_ms=$((($(date +%s%N) - start) / 1000000))
code=$(pm inspect r1 --format '{{.State.ExitCode}}')
if [ "$code" = 0 ] && [ "$stop_ms" -lt 2000 ]; then
	ok "SIGTERM (podman stop): exit status 0 in $stop_ms ms (grace period 10 s)"
else
	fail "podman stop: exit status $code after $stop_ms ms"
fi
check_grep "the server logged the signal and its shutdown" "Received SIGTERM" <(pm logs r1 2>&1)
check_eq "and removed its socket file" no "$([ -e "$dir/respite.sock" ] && echo yes || echo no)"

# --- the pod manifest, as shipped but for the ports
port=$(free_port)
hport=$(free_port)
sed -e "s|args: \\[\"--unixsocket\"|args: [\"--port\", \"$port\", \"--http-port\", \"$hport\", \"--bind\", \"127.0.0.1\", \"--unixsocket\"|" \
	-e "s|port: 9121|port: $hport|" -e "s|\"127.0.0.1\", \"6379\"|\"127.0.0.1\", \"$port\"|" \
	"$repo/deploy/pod.yaml" >"$dir/pod.yaml"
if pm kube play "$dir/pod.yaml" >"$dir/play.out" 2>&1; then
	ok "podman kube play deploy/pod.yaml"
else
	fail "podman kube play: $(tail -n 3 "$dir/play.out" | tr '\n' ' ')"
fi
for _ in $(seq 1 100); do
	pm logs respite-demo-app 2>/dev/null | grep -q '^app: ' && break
	sleep 0.1
done
applog=$(pm logs respite-demo-app 2>&1)
check_eq "the app container: misses, then hits over TCP" "tcp first pass: 0 hits 100 misses|tcp second pass: 100 hits 0 misses" \
	"$(echo "$applog" | grep '^tcp' | tr '\n' '|' | sed 's/|$//')"
check_eq "the app container: hits over the shared unix socket, a U client" "unix pass: 100 hits 0 misses|unix client flags U: yes|app: ok" \
	"$(echo "$applog" | grep -E '^(unix|app:)' | tr '\n' '|' | sed 's/|$//')"
check_eq "the sidecar's readiness endpoint (as the kubelet probes it)" 200 \
	"$(timeout 5 curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hport/readyz")"
check_grep "the sidecar derived maxmemory from the pod's 256Mi limit" "from the cgroup memory limit of 268435456" \
	<(pm logs respite-demo-respite 2>&1)
check_grep "and sized its threads by the pod's 1 CPU" "Ready to accept connections tcp \\(1 event-loop thread\\)" \
	<(pm logs respite-demo-respite 2>&1)
pm kube down "$dir/pod.yaml" >/dev/null 2>&1

echo "$CLI_PASSED passed, $CLI_FAILED failed"
[ "$CLI_FAILED" -eq 0 ]
