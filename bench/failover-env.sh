# Sourced by failoverbench.sh and stream-modes.sh: builds the jar and the test classpath, and defines
# `bench` (the FailoverBench command), `start_gateway CONFIG LOG` (a gateway from the jar on GW, waited for) and
# `stop_gateway` (run on exit). Expects `root` to be set; sets `out`, WALL and GW (ports, from WALL_PORT, GW_PORT).
out="$root/bench/out"
mkdir -p "$out"
source "$root/bin/find-java"
cd "$root"
WALL=${WALL_PORT:-8401}; GW=${GW_PORT:-18097}
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt >&2
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
bench=("$JAVA_HOME/bin/java" -cp "$cp" io.reliapi.bench.FailoverBench)
gw_pid=
stop_gateway() {
  if [ -n "$gw_pid" ]; then kill "$gw_pid" 2>/dev/null || true; wait "$gw_pid" 2>/dev/null || true; gw_pid=; fi
}
trap stop_gateway EXIT
start_gateway() {
  "$JAVA_HOME/bin/java" -jar target/reliapi.jar --config "$1" --port "$GW" > "$2" 2>&1 &
  gw_pid=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$GW/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
}
