package io.reliapi.bench;

import io.reliapi.observe.CompletedRequest;
import io.reliapi.observe.RecentRequests;
import io.reliapi.observe.RequestRecord;
import io.reliapi.pipeline.RequestSpan;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import io.reliapi.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the ring of recent requests costs a request, young collections included: each operation finishes one
 * request into a ring of 1 000 and drops 24 KB of other garbage (an LLM request's allocation), in a JVM with the
 * launcher's young generation, so collections come as often as under load and copy whatever the ring holds.
 * {@code packed} is {@link RecentRequests} (one byte array per request); {@code records} is the form it replaced
 * (a record with its strings and trail list).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms24m", "-Xmn16m", "-XX:SurvivorRatio=4",
    "-XX:TargetSurvivorRatio=90", "-XX:+UseCompactObjectHeaders"})
public class RecentRequestsBenchmark {
  private static final int RING = 1000;
  private final RecentRequests packed = new RecentRequests(RING, Clock.system());
  private final AtomicReferenceArray<RequestRecord> records = new AtomicReferenceArray<>(RING);
  private long written;
  private long sequence;

  private CompletedRequest next() {
    Trace trace = new Trace("mock_slow");
    trace.attemptEnded(RequestSpan.AttemptSpan.NONE, "mock_slow", null, 1, "success", 200, 20_400_000L);
    return new CompletedRequest("req-" + Long.toHexString(sequence++), Route.OPENAI, "default", "mock_slow", "POST",
        200, null, 20_700_000L, trace);
  }

  @Benchmark
  public Object packed() {
    packed.requestFinished(next());
    return new byte[24 * 1024];
  }

  @Benchmark
  public Object records() {
    CompletedRequest r = next();
    var trail = r.trace().trail();
    records.set((int) (written++ % RING), new RequestRecord(r.requestId(), Clock.system().epochMillis(),
        r.route().name().toLowerCase(), r.client(), r.target(), r.method(), r.status(), r.outcome(), r.errorCode(),
        TimeUnit.NANOSECONDS.toMillis(r.durationNanos()), r.trace().span().traceId(), trail.entries(),
        trail.dropped()));
    return new byte[24 * 1024];
  }
}
