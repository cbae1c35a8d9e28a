#!/usr/bin/env bash
# Three gateways sharing one Redis Cluster (3 primaries, 3 replicas) beside one gateway keeping its state
# in memory, under the same wrk load, in one run (issue 17, item 6). Two workloads through /t/: keyed POSTs
# (a new Idempotency-Key per request: a claim before the upstream call, a completion after) and GETs
# answered from a shared cache (one read). Three wrk processes (one per client, one connection third each)
# drive the three cluster gateways, or all drive the one in-memory gateway, so both sides see the same
# connections. Cases are interleaved in rounds; ratios cluster/memory are per round, the median is printed.
# Everything (nginx upstream, six redis-server, four JVMs, wrk) shares this machine's cores.
# Usage: bench/cluster.sh [seconds per case, default 10] [connections in all, default 48] [rounds, default 3]
# WAIT_REPLICAS=1 bench/cluster.sh ... runs the cluster gateways with redis.wait_replicas: 1.
# Needs wrk, nginx and redis-server (installed from Debian's packages if missing and running as root).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-10}
connections=${2:-48}
rounds=${3:-3}
out="$root/bench/out/cluster"
mkdir -p "$out"
source "$root/bin/find-java"

for tool in wrk:wrk nginx:nginx-light redis-server:redis-server redis-cli:redis-tools; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    apt-get install -y -q "${tool#*:}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${tool#*:}" >/dev/null; }
  fi
done

UP=18181; MEM=18190; GWS=(18191 18192 18193); NODES=(17101 17102 17103 17104 17105 17106)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

cat > "$out/nginx.conf" <<CONF
worker_processes 1;
pid $out/nginx.pid;
error_log $out/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$UP;
    location / { default_type application/json; return 200 '{"id":123,"name":"benchmark","ok":true}'; }
  }
}
CONF
nginx -c "$out/nginx.conf" -g 'daemon off;' &
pids+=($!)

# The cluster: a node answering nothing for 1 s is failed over; a missing primary leaves the rest serving.
for port in "${NODES[@]}"; do
  rm -rf "$out/node-$port"; mkdir -p "$out/node-$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$out/node-$port" --cluster-enabled yes \
    --cluster-config-file nodes.conf --cluster-port $((port + 1000)) --cluster-node-timeout 1000 \
    --cluster-require-full-coverage no --repl-diskless-sync-delay 0 --save "" --appendonly no \
    --maxmemory 256mb --maxmemory-policy noeviction --logfile "$out/node-$port/redis.log" &
  pids+=($!)
done
for port in "${NODES[@]}"; do
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${NODES[@]}") --cluster-replicas 1 --cluster-yes > "$out/create.log" 2>&1
for _ in $(seq 1 200); do
  ok=1; synced=0
  for port in "${NODES[@]}"; do
    redis-cli -p "$port" cluster info | grep -q cluster_state:ok || ok=0
    redis-cli -p "$port" info replication | grep -q master_link_status:up && synced=$((synced + 1))
  done
  [ $ok = 1 ] && [ $synced = 3 ] && break; sleep 0.1
done
nodes=$(printf '"redis://127.0.0.1:%s", ' "${NODES[@]}"); nodes="[${nodes%, }]"

gateway_yaml() { # gateway_yaml PORT REDIS_BLOCK
  cat <<CONF
server: {host: 127.0.0.1, port: $1, cache_max_bytes: 67108864, idempotency_max_bytes: 134217728}
$2
clients:
  - {name: bench-1, key_env: BENCH_1, quota: {idempotency_records: 100000000}}
  - {name: bench-2, key_env: BENCH_2, quota: {idempotency_records: 100000000}}
  - {name: bench-3, key_env: BENCH_3, quota: {idempotency_records: 100000000}}
targets:
  up: {base_url: "http://127.0.0.1:$UP", timeout_ms: 5000, cache: {ttl_s: 3600, shared: true}, idempotency: {ttl_s: 600}}
CONF
}
[ -f "$root/target/reliapi.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
start_gateway() { # start_gateway PORT REDIS_BLOCK
  gateway_yaml "$1" "$2" > "$out/gateway-$1.yaml"
  BENCH_1=k1 BENCH_2=k2 BENCH_3=k3 "$JAVA_HOME/bin/java" -Xms768m -Xmx768m -jar "$root/target/reliapi.jar" \
    --config "$out/gateway-$1.yaml" > "$out/gateway-$1.log" 2>&1 &
  pids+=($!)
}
start_gateway "$MEM" ""
for port in "${GWS[@]}"; do
  start_gateway "$port" "redis: {mode: cluster, nodes: $nodes, wait_replicas: ${WAIT_REPLICAS:-0}}"
done
for port in "$MEM" "${GWS[@]}"; do
  for _ in $(seq 1 200); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] && break; sleep 0.1; done
done

cat > "$out/keyed.lua" <<'LUA'
-- A new idempotency key per request; args: the client's key and a prefix unique to this wrk process.
local n = 0
function init(args) apikey = args[1]; prefix = args[2] .. "-" .. math.random(1e9) end
function request()
  n = n + 1
  return wrk.format("POST", "/t/up/pay", {["X-API-Key"] = apikey, ["Idempotency-Key"] = prefix .. "-" .. n,
    ["Content-Type"] = "application/json"}, "{}")
end
LUA
cat > "$out/cached.lua" <<'LUA'
function init(args) apikey = args[1] end
function request() return wrk.format("GET", "/t/up/items/1", {["X-API-Key"] = apikey}) end
LUA

to_ms() { # wrk prints 1.23ms / 850.00us / 1.02s
  local v=$1
  case "$v" in
    *us) awk -v x="${v%us}" 'BEGIN {printf "%.3f", x/1000}' ;;
    *ms) awk -v x="${v%ms}" 'BEGIN {printf "%.3f", x}' ;;
    *s) awk -v x="${v%s}" 'BEGIN {printf "%.3f", x*1000}' ;;
  esac
}
# measure WORKLOAD SECONDS PORT1 PORT2 PORT3 -> "rps p50_ms p99_ms": three wrk at once, one per client
# and port; req/s summed, p50 the median of the three, p99 the worst of the three.
measure() {
  local workload=$1 seconds=$2; shift 2
  local i=0 wpids=()
  for port in "$@"; do
    i=$((i + 1))
    wrk -t1 -c$((connections / 3)) -d"${seconds}s" --latency -s "$out/$workload.lua" "http://127.0.0.1:$port" \
      -- "k$i" "w$i-$RANDOM" > "$out/wrk-$i.txt" 2>&1 &
    wpids+=($!)
  done
  wait "${wpids[@]}"
  local rps=0 p50s=() p99=0
  for n in 1 2 3; do
    rps=$(awk -v a="$rps" '/Requests\/sec/ {printf "%.0f", a + $2}' "$out/wrk-$n.txt")
    p50s+=("$(to_ms "$(awk '$1=="50%" {print $2}' "$out/wrk-$n.txt")")")
    p99=$(awk -v a="$p99" -v b="$(to_ms "$(awk '$1=="99%" {print $2}' "$out/wrk-$n.txt")")" 'BEGIN {print (b > a ? b : a)}')
    grep -q "Non-2xx" "$out/wrk-$n.txt" && echo "  ($workload on $*: $(grep Non-2xx "$out/wrk-$n.txt"))" >&2
  done
  echo "$rps $(printf '%s\n' "${p50s[@]}" | sort -n | sed -n 2p) $p99"
}

echo "warming up ..." >&2
for workload in keyed cached; do
  measure "$workload" 5 "$MEM" "$MEM" "$MEM" >/dev/null
  measure "$workload" 5 "${GWS[@]}" >/dev/null
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
row() { printf '%-28s %10s %9s %9s %12s %12s\n' "$@"; }
printf '\n%s, %d s per case, %d connections, %d cores, %d rounds, wait_replicas %s, load average %s\n' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$duration" "$connections" "$(nproc)" "$rounds" "${WAIT_REPLICAS:-0}" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
row case req/s p50_ms p99_ms rps/memory p99/memory
summary=()
for round in $(seq 1 "$rounds"); do
  echo "round $round"
  line=""
  for workload in keyed cached; do
    read -r m_rps m_p50 m_p99 < <(measure "$workload" "$duration" "$MEM" "$MEM" "$MEM")
    read -r c_rps c_p50 c_p99 < <(measure "$workload" "$duration" "${GWS[@]}")
    row "$workload: 1 gateway, memory" "$m_rps" "$m_p50" "$m_p99" 1.00 1.00
    row "$workload: 3 gateways, cluster" "$c_rps" "$c_p50" "$c_p99" "$(ratio "$c_rps" "$m_rps")" "$(ratio "$c_p99" "$m_p99")"
    line+="$(ratio "$c_rps" "$m_rps") $(ratio "$c_p99" "$m_p99") "
  done
  summary+=("$line")
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
col() { printf '%s\n' "${summary[@]}" | awk -v c="$1" '{print $c}' | median; }
printf '\nmedian over %d rounds, 3 gateways on the cluster against 1 in memory: keyed throughput %s, p99 %sx; ' \
  "$rounds" "$(col 1)" "$(col 2)"
printf 'cached throughput %s, p99 %sx\n' "$(col 3)" "$(col 4)"
echo "scripts run per primary (idempotency records of one client live on one primary):"
for port in "${NODES[@]}"; do
  role=$(redis-cli -p "$port" role | head -1)
  if [ "$role" = master ]; then
    echo "  $port: $(redis-cli -p "$port" info commandstats | grep -E '^cmdstat_(evalsha|get|set):' | cut -d, -f1 | tr '\r\n' '  ')"
  fi
done
