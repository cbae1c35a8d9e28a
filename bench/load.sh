#!/usr/bin/env bash
# Load benchmark: the same small upstream measured directly, through an nginx reverse proxy and through
# ReliAPI's /t/ and /proxy/http routes, with wrk, in one run. On a shared, noisy machine one measurement
# says little, so the cases run in several interleaved rounds (nginx, /t/, /proxy/http, nginx, ...) and
# each round's ratios gateway/nginx are computed from measurements taken a few seconds apart; the
# median round is reported. Usage: bench/load.sh [seconds per case, default 10] [connections, default 64]
# [rounds, default 3]. Needs wrk and nginx (installed from Debian's packages if missing and running as root).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-10}
connections=${2:-64}
rounds=${3:-3}
threads=2
out="$root/bench/out"
mkdir -p "$out"
source "$root/bin/find-java"

for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    apt-get install -y -q "$tool" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$tool" >/dev/null; }
  fi
done

UP=18081; PROXY=18082; GW=18083
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The upstream and the reference reverse proxy, both nginx.
cat > "$out/nginx.conf" <<CONF
worker_processes auto;
pid $out/nginx.pid;
error_log $out/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  upstream backend { server 127.0.0.1:$UP; keepalive 128; }
  server {
    listen 127.0.0.1:$UP;
    location / { default_type application/json; return 200 '{"id":123,"name":"benchmark","ok":true}'; }
  }
  server {
    listen 127.0.0.1:$PROXY;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
nginx -c "$out/nginx.conf" -g 'daemon off;' &
pids+=($!)

cat > "$out/gateway.yaml" <<CONF
server: {host: 127.0.0.1, port: $GW}
targets:
  up: {base_url: "http://127.0.0.1:$UP", timeout_ms: 5000}
CONF
[ -f "$root/target/reliapi.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
"$JAVA_HOME/bin/java" -Xms512m -Xmx512m -jar "$root/target/reliapi.jar" --config "$out/gateway.yaml" > "$out/gateway.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$GW/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

cat > "$out/envelope.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"target":"up","method":"GET","path":"/users/123"}'
LUA

# wrk output -> "rps p50_ms p99_ms"
measure() {
  local url=$1; shift
  wrk -t$threads -c$connections -d${duration}s --latency "$@" "$url" > "$out/wrk.txt" 2>&1
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$out/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$out/wrk.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$out/wrk.txt")
  [ -z "$errors" ] || echo "  ($url: $errors)" >&2
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() { # wrk prints 1.23ms / 850.00us / 1.02s
  local v=$1
  case "$v" in
    *us) awk -v x="${v%us}" 'BEGIN {printf "%.3f", x/1000}' ;;
    *ms) awk -v x="${v%ms}" 'BEGIN {printf "%.3f", x}' ;;
    *s) awk -v x="${v%s}" 'BEGIN {printf "%.3f", x*1000}' ;;
  esac
}

echo "warming up the gateway ..." >&2
wrk -t$threads -c$connections -d5s "http://127.0.0.1:$GW/t/up/users/123" >/dev/null
wrk -t$threads -c$connections -d5s -s "$out/envelope.lua" "http://127.0.0.1:$GW/proxy/http" >/dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
row() { printf '%-22s %10.0f %9s %9s %12s %12s\n' "$@"; }
read -r d_rps d_p50 d_p99 < <(measure "http://127.0.0.1:$UP/users/123")
printf '\n%s, %d s per case, %d connections, %d wrk threads, %d cores, %d rounds\n' "$(date -u +%Y-%m-%dT%H:%MZ)" \
  "$duration" "$connections" "$threads" "$(nproc)" "$rounds"
printf '%-22s %10s %9s %9s %12s %12s\n' case req/s p50_ms p99_ms "rps/nginx" "p99/nginx"
summary=()
for round in $(seq 1 "$rounds"); do
  read -r n_rps n_p50 n_p99 < <(measure "http://127.0.0.1:$PROXY/users/123")
  read -r t_rps t_p50 t_p99 < <(measure "http://127.0.0.1:$GW/t/up/users/123")
  read -r e_rps e_p50 e_p99 < <(measure "http://127.0.0.1:$GW/proxy/http" -s "$out/envelope.lua")
  echo "round $round"
  row nginx-proxy "$n_rps" "$n_p50" "$n_p99" 1.00 1.00
  row "reliapi /t/" "$t_rps" "$t_p50" "$t_p99" "$(ratio "$t_rps" "$n_rps")" "$(ratio "$t_p99" "$n_p99")"
  row "reliapi /proxy/http" "$e_rps" "$e_p50" "$e_p99" "$(ratio "$e_rps" "$n_rps")" "$(ratio "$e_p99" "$n_p99")"
  summary+=("$(ratio "$t_rps" "$n_rps") $(ratio "$t_p99" "$n_p99") $(ratio "$e_rps" "$n_rps") $(ratio "$e_p99" "$n_p99")")
done
row direct "$d_rps" "$d_p50" "$d_p99" "" ""
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
printf '\nmedian over %d rounds: /t/ throughput %s of nginx, p99 %sx; /proxy/http throughput %s of nginx, p99 %sx\n' "$rounds" \
  "$(printf '%s\n' "${summary[@]}" | awk '{print $1}' | median)" "$(printf '%s\n' "${summary[@]}" | awk '{print $2}' | median)" \
  "$(printf '%s\n' "${summary[@]}" | awk '{print $3}' | median)" "$(printf '%s\n' "${summary[@]}" | awk '{print $4}' | median)"
