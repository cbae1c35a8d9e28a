#!/usr/bin/env bash
# CPU microseconds one process spends per request while wrk drives a URL: robust to a noisy machine,
# where throughput ratios are not. Usage: bench/cpu-per-request.sh PID URL [seconds] [wrk args...]
set -euo pipefail
pid=$1; url=$2; seconds=${3:-10}; shift 3 || shift $#
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cpu_of() { local sum=0 p; for p in $(pgrep -P "$1" 2>/dev/null) "$1"; do sum=$((sum + $(ticks "$p"))); done; echo "$sum"; }
hz=$(getconf CLK_TCK)
before=$(cpu_of "$pid")
requests=$(wrk -t2 -c64 -d"${seconds}s" "$@" "$url" | awk '/requests in/ {print $1}')
after=$(cpu_of "$pid")
awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN {printf "%d requests, %.1f CPU us/request\n", n, t / hz * 1e6 / n}'
