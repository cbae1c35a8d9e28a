#!/usr/bin/env bash
# failoverbench: the benchmark's sixteen provider faults (src/test/java/io/reliapi/testing/FaultWall.java) streamed
# through ReliAPI's /v1/chat/completions and scored by the benchmark's rules (pass / partial / safe / fail).
# Starts the fault wall on WALL_PORT (default 8401) and a gateway from CONFIG (default: the baseline config for the
# profile, printed by `FailoverBench config`; a given config must route s01..s16, ok, ok-noprefill to the wall),
# then prints the scorecard and writes it to bench/out/failover-scorecard-PROFILE.md.
# Usage: bench/failoverbench.sh [fast|full, default fast] [CONFIG]. fast takes about 3 min, full about 5.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
profile=${1:-fast}
config=${2:-}
out="$root/bench/out"
mkdir -p "$out"
source "$root/bin/find-java"
cd "$root"
WALL=${WALL_PORT:-8401}; GW=${GW_PORT:-18097}
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt >&2
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
bench=("$JAVA_HOME/bin/java" -cp "$cp" io.reliapi.bench.FailoverBench)
if [ -z "$config" ]; then
  config="$out/failoverbench-$profile.yaml"
  "${bench[@]}" config --wall-port "$WALL" --profile "$profile" > "$config"
fi
"$JAVA_HOME/bin/java" -jar target/reliapi.jar --config "$config" --port "$GW" > "$out/failoverbench-gateway.log" 2>&1 &
gw_pid=$!
trap 'kill "$gw_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$GW/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
"${bench[@]}" run --gateway "http://127.0.0.1:$GW/v1" --wall-port "$WALL" --profile "$profile" \
  --out "$out/failover-scorecard-$profile.md"
