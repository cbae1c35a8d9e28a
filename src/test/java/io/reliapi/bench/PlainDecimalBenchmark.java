package io.reliapi.bench;

import io.reliapi.http.PlainDecimal;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
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
 * A priced request's cost written as plain decimal text (header, access log, trail): {@code plain} is
 * {@link PlainDecimal}, {@code bigDecimal} the round trip it replaced. Run with {@code -prof gc} for bytes per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseCompactObjectHeaders"})
public class PlainDecimalBenchmark {
  private final double[] costs = {0.000009, 0.0000315, 0.00127, 0.0421, 1.5};
  private int next;

  @Benchmark
  public String plain() {
    return PlainDecimal.of(costs[next++ % costs.length]);
  }

  @Benchmark
  public String bigDecimal() {
    return new BigDecimal(Double.toString(costs[next++ % costs.length])).stripTrailingZeros().toPlainString();
  }
}
