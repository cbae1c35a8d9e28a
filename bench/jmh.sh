#!/usr/bin/env bash
# Micro-benchmarks of the pure decisions on the request path (JMH; src/test/java/io/reliapi/bench).
# Usage: bench/jmh.sh [JMH options, e.g. a benchmark name pattern]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bin/find-java"
cd "$root"
mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.openjdk.jmh.Main "${@:-io.reliapi.bench}"
