#!/usr/bin/env bash
# How long a proxy process holds each request: from the system call that read the request to the one that
# wrote it upstream, plus from the one that read the answer to the one that wrote it back to the client.
# Traced with `perf trace` on the process's event loops while something else drives the load; the time
# wrk sees on top of it is the extra hop (two more wake-ups of another process). Each read followed on the
# same thread by a write to another socket is one forwarding step; a request is its step to the upstream
# (a socket connected to UPSTREAM_PORT) plus the step of the upstream's answer back on the same socket.
# Usage: bench/hold-time.sh PID UPSTREAM_PORT [seconds, default 5]. Needs perf and ss.
set -euo pipefail
pid=$1; upstream_port=$2; seconds=${3:-5}
trace=$(mktemp); fds=$(mktemp)
trap 'rm -f "$trace" "$fds"' EXIT
upstream_fds() {
  ss -tnp state established "dport = :$upstream_port" 2>/dev/null | grep -o "pid=$pid,fd=[0-9]*" | sed 's/.*fd=//' >> "$fds"
}
upstream_fds
timeout -s INT "$seconds" perf trace -e 'read,recvfrom,write,writev,sendto,sendmsg' -p "$pid" -o "$trace" \
  >/dev/null 2>&1 || true
upstream_fds
awk '
  FNR == NR { upstream[$1] = 1; next }
  # "  12.345 ( 0.050 ms): vert.x-eventlo/1234 writev(fd: 42, vec: ..., vlen: 2) = 348"
  /\(fd: [0-9]+/ && $NF ~ /^[0-9]+$/ && $NF > 0 {
    t = $0; sub(/^ */, "", t); sub(/ .*/, "", t)
    took = $0; sub(/^[^(]*\( */, "", took); sub(/ ms\).*/, "", took)
    rest = $0; sub(/^[^)]*\): /, "", rest)
    head = rest; sub(/\(fd: .*/, "", head)
    call = head; sub(/.* /, "", call)
    thread = head; sub(/ [a-z0-9_]+$/, "", thread); sub(/.*\//, "", thread)
    fd = rest; sub(/.*\(fd: /, "", fd); sub(/[^0-9].*/, "", fd)
    if (call == "read" || call == "recvfrom") {
      if (!(thread in start)) { start[thread] = t; from[thread] = fd }
      next
    }
    if (!(thread in start) || from[thread] == fd) next
    step = t + took - start[thread]; delete start[thread]
    if ((fd in upstream) && !(from[thread] in upstream)) {
      open[thread, fd] = step                        # the request went upstream on fd
    } else if ((from[thread] in upstream) && ((thread, from[thread]) in open)) {
      requests[++nrequests] = open[thread, from[thread]] + step   # its answer went back to the client
      delete open[thread, from[thread]]
    }
  }
  function pct(a, n, p,   i, j, tmp, k) {
    for (i = 1; i <= n; i++) sorted[i] = a[i]
    for (i = 2; i <= n; i++) { tmp = sorted[i]; for (j = i - 1; j > 0 && sorted[j] > tmp; j--) sorted[j + 1] = sorted[j]; sorted[j + 1] = tmp }
    k = int(n * p / 100) + 1; if (k > n) k = n
    return sorted[k]
  }
  END {
    if (nrequests == 0) { print "no requests traced"; exit 1 }
    printf "%d requests held: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms\n", nrequests, pct(requests, nrequests, 50), pct(requests, nrequests, 90), pct(requests, nrequests, 99)
  }' "$fds" "$trace"
