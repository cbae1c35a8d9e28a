#!/usr/bin/env bash
# The stream commit modes measured (docs/streaming.md): the failoverbench scorecard per mode (none, first_token,
# complete) for a profile, and the time to first byte, first token and end of each mode against the fault wall's
# healthy model. Starts a gateway from the jar per mode with the benchmark's config for that mode.
# Usage: bench/stream-modes.sh [fast|full, default fast] [requests per mode for the timings, default 20].
# Writes bench/out/failover-scorecard-PROFILE-MODE.md and bench/out/stream-ttfb-PROFILE.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
profile=${1:-fast}
requests=${2:-20}
source "$root/bench/failover-env.sh"
for mode in none first_token complete; do
  "${bench[@]}" config --wall-port "$WALL" --profile "$profile" --commit "$mode" > "$out/stream-modes-$mode.yaml"
  start_gateway "$out/stream-modes-$mode.yaml" "$out/stream-modes-gateway.log"
  "${bench[@]}" run --gateway "http://127.0.0.1:$GW/v1" --wall-port "$WALL" --profile "$profile" \
    --system "ReliAPI, stream_commit: $mode" --out "$out/failover-scorecard-$profile-$mode.md" | sed -n '1,25p'
  stop_gateway
done
start_gateway "$out/stream-modes-first_token.yaml" "$out/stream-modes-gateway.log"
"${bench[@]}" ttfb --gateway "http://127.0.0.1:$GW/v1" --wall-port "$WALL" --profile "$profile" \
  --requests "$requests" | tee "$out/stream-ttfb-$profile.md"
