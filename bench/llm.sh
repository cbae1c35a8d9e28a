#!/usr/bin/env bash
# LLM benchmark: a non-streaming chat completion against a mock OpenAI provider that answers after a fixed
# delay, called directly and through ReliAPI's /v1/chat/completions at moderate load; prints p50/p99 of
# both and the latency the gateway adds, beside a bare Vert.x proxy (bench/BareProxy.java) that shows what
# the extra hop alone costs on this machine, and how long each proxy itself holds a request
# (bench/hold-time.sh). Each round calls the provider directly and through a proxy at the same time, half
# the connections each, and the median round is reported (one run on a shared machine is noise).
# Usage: bench/llm.sh [seconds per round, default 20] [connections, default 16] [provider delay ms,
# default 50] [rounds, default 5]. GW_JAVA_OPTS adds JVM options to the gateway's; PIN=1 gives the
# proxies a core of their own. Needs wrk (installed from Debian's packages if missing and running as root).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-20}
connections=${2:-16}
delay=${3:-50}
rounds=${4:-5}
out="$root/bench/out"
mkdir -p "$out"
source "$root/bin/find-java"
command -v wrk >/dev/null 2>&1 || apt-get install -y -q wrk >/dev/null
[ -f "$root/target/reliapi.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)

MOCK=18091; GW=18093; BARE=18095
# PIN=1 puts the proxies on the last core and wrk and the provider on the others, as if the load came from
# another machine (needs taskset; the JVMs then size themselves for the cores they see).
load=(); proxy=()
if [ "${PIN:-0}" = 1 ]; then
  last=$(($(nproc) - 1))
  load=(taskset -c "0-$((last - 1))"); proxy=(taskset -c "$last")
fi
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
"${load[@]}" "$JAVA_HOME/bin/java" -cp "$root/target/reliapi.jar" "$root/bench/MockProvider.java" "$MOCK" "$delay" > "$out/mock.log" 2>&1 &
pids+=($!)
"${proxy[@]}" "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -cp "$root/target/reliapi.jar" "$root/bench/BareProxy.java" "$BARE" "$MOCK" \
  > "$out/bare.log" 2>&1 &
bare_pid=$!
pids+=($!)
cat > "$out/llm.yaml" <<CONF
server: {host: 127.0.0.1, port: $GW}
targets:
  openai:
    base_url: "http://127.0.0.1:$MOCK/v1"
    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 256, soft_cost_cap_usd: 0.01, hard_cost_cap_usd: 0.05}
CONF
"${proxy[@]}" "$JAVA_HOME/bin/java" -Xms512m -Xmx512m ${GW_JAVA_OPTS:-} -jar "$root/target/reliapi.jar" --config "$out/llm.yaml" > "$out/llm-gateway.log" 2>&1 &
gw_pid=$!
pids+=($!)
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$GW/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$MOCK/v1/chat/completions" -d '{}' && break; sleep 0.1; done

cat > "$out/chat.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
LUA
to_ms() {
  local v=$1
  case "$v" in
    *us) awk -v x="${v%us}" 'BEGIN {printf "%.3f", x/1000}' ;;
    *ms) awk -v x="${v%ms}" 'BEGIN {printf "%.3f", x}' ;;
    *s) awk -v x="${v%s}" 'BEGIN {printf "%.3f", x*1000}' ;;
  esac
}
# One wrk run of half the connections against $1, its report written to $2.
measure() {
  "${load[@]}" wrk -t1 -c"$((connections / 2))" -d"${duration}s" --latency -s "$out/chat.lua" "$1" > "$2" 2>&1
}
# Prints "req/s p50_ms p99_ms" of the wrk report $1.
summary() {
  echo "$(awk '/Requests\/sec/ {print $2}' "$1") $(to_ms "$(awk '$1=="50%" {print $2}' "$1")") $(to_ms "$(awk '$1=="99%" {print $2}' "$1")")"
  grep -E "Non-2xx|Socket errors" "$1" >&2 || true
}
# Measures the provider directly and through a proxy at the same time, half the connections each: whatever
# else the shared machine does in those seconds (another tenant, the provider's own pauses) then lands on
# both sides of the comparison instead of on whichever case ran at the wrong moment.
paired() {
  measure "http://127.0.0.1:$MOCK/v1/chat/completions" "$out/wrk-direct.txt" &
  local direct=$!
  measure "$1" "$out/wrk-proxy.txt"
  wait "$direct"
  echo "$(summary "$out/wrk-direct.txt") $(summary "$out/wrk-proxy.txt")"
}
# The JIT compiles a path after some ten thousand calls: warm each proxy up at high concurrency first, or a
# moderate-rate run would measure partly interpreted code. Then warm it up again at the measured load: the
# code compiled at saturation meets other branches when the event loop idles between requests, and its
# recompilations (C2 took 0.8-1.4 s of CPU in a 20 s run right after the first warm-up, in bursts of up to
# 180 ms per method) land on the same two cores and show up as the p99 of whichever case runs first.
echo "warming up ..." >&2
wrk -t2 -c128 -d25s -s "$out/chat.lua" "http://127.0.0.1:$GW/v1/chat/completions" >/dev/null
wrk -t2 -c128 -d15s -s "$out/chat.lua" "http://127.0.0.1:$BARE/v1/chat/completions" >/dev/null
for port in "$GW" "$BARE" "$MOCK"; do
  wrk -t1 -c"$connections" -d"${WARM_S:-60}s" -s "$out/chat.lua" "http://127.0.0.1:$port/v1/chat/completions" >/dev/null
done
printf '\n%s, %d s per round, %d connections, provider delay %d ms, %d cores, %d rounds\n' "$(date -u +%Y-%m-%dT%H:%MZ)" \
  "$duration" "$connections" "$delay" "$(nproc)" "$rounds"
printf '%-40s %9s %9s %9s\n' case req/s p50_ms p99_ms
added=()
hop=()
for round in $(seq 1 "$rounds"); do
  read -r d_rps d_p50 d_p99 g_rps g_p50 g_p99 < <(paired "http://127.0.0.1:$GW/v1/chat/completions")
  read -r e_rps e_p50 e_p99 b_rps b_p50 b_p99 < <(paired "http://127.0.0.1:$BARE/v1/chat/completions")
  printf '%-40s %9.0f %9s %9s\n' "round $round: provider direct" "$d_rps" "$d_p50" "$d_p99"
  printf '%-40s %9.0f %9s %9s\n' "round $round: at the same time via reliapi" "$g_rps" "$g_p50" "$g_p99"
  printf '%-40s %9.0f %9s %9s\n' "round $round: provider direct" "$e_rps" "$e_p50" "$e_p99"
  printf '%-40s %9.0f %9s %9s\n' "round $round: at the same time via a bare proxy" "$b_rps" "$b_p50" "$b_p99"
  added+=("$(awk -v a="$g_p50" -v b="$d_p50" -v c="$g_p99" -v d="$d_p99" 'BEGIN {printf "%.2f %.2f", a-b, c-d}')")
  hop+=("$(awk -v a="$b_p50" -v b="$e_p50" -v c="$b_p99" -v d="$e_p99" 'BEGIN {printf "%.2f %.2f", a-b, c-d}')")
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
printf 'added by the gateway, median round: p50 %s ms, p99 %s ms\n' \
  "$(printf '%s\n' "${added[@]}" | awk '{print $1}' | median)" "$(printf '%s\n' "${added[@]}" | awk '{print $2}' | median)"
printf 'added by a bare Vert.x proxy (the hop alone), median round: p50 %s ms, p99 %s ms\n' \
  "$(printf '%s\n' "${hop[@]}" | awk '{print $1}' | median)" "$(printf '%s\n' "${hop[@]}" | awk '{print $2}' | median)"
# The time each proxy itself holds a request (read to write, both ways), traced from its system calls at
# the full measured load; the rest of what it adds above is the hop. Needs perf and ss.
if command -v perf >/dev/null 2>&1 && command -v ss >/dev/null 2>&1; then
  for pair in "$gw_pid $GW reliapi" "$bare_pid $BARE bare-proxy"; do
    set -- $pair
    "${load[@]}" wrk -t1 -c"$connections" -d"$((duration + 3))s" -s "$out/chat.lua" \
      "http://127.0.0.1:$2/v1/chat/completions" >/dev/null &
    driver=$!
    sleep 2
    printf 'held inside %s: %s\n' "$3" "$("$root/bench/hold-time.sh" "$1" "$MOCK" "$duration")"
    wait "$driver"
  done
else
  echo "perf or ss missing: time held inside each proxy not measured" >&2
fi
