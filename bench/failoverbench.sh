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
source "$root/bench/failover-env.sh"
if [ -z "$config" ]; then
  config="$out/failoverbench-$profile.yaml"
  "${bench[@]}" config --wall-port "$WALL" --profile "$profile" > "$config"
fi
start_gateway "$config" "$out/failoverbench-gateway.log"
"${bench[@]}" run --gateway "http://127.0.0.1:$GW/v1" --wall-port "$WALL" --profile "$profile" \
  --out "$out/failover-scorecard-$profile.md"
