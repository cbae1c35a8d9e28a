package io.reliapi.bench;

import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the memory budget adds per chunk of a body read whole: one take from the shared budget (an atomic add),
 * beside the append of the chunk it guards; {@code contended} has two threads (two event loops) on one budget.
 * Run with {@code bench/jmh.sh BufferBudget}; not a test.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BufferBudgetBenchmark {
  /** A chunk as one socket read brings it. */
  static final int CHUNK = 8 * 1024;
  /** Chunks per request: a 512 KiB body. */
  static final int CHUNKS = 64;

  @State(Scope.Benchmark)
  public static class Shared {
    final ByteBudget budget = new ByteBudget(1L << 40);
  }

  @State(Scope.Thread)
  public static class Request {
    final Buffer chunk = Buffer.buffer(new byte[CHUNK]);
    Buffer body = Buffer.buffer(CHUNKS * CHUNK);
    HeldBytes held;
    int taken;

    HeldBytes held(ByteBudget budget) {
      if (held == null || taken == CHUNKS) {
        if (held != null) {
          held.release();
        }
        held = new HeldBytes(budget);
        body = Buffer.buffer(CHUNKS * CHUNK);
        taken = 0;
      }
      taken++;
      return held;
    }
  }

  @Benchmark
  public Buffer appendOnly(Request request, Shared shared) {
    request.held(shared.budget);
    return request.body.appendBuffer(request.chunk);
  }

  @Benchmark
  public Buffer takeAndAppend(Request request, Shared shared) {
    if (request.held(shared.budget).take(CHUNK)) {
      request.body.appendBuffer(request.chunk);
    }
    return request.body;
  }

  @Benchmark
  @Threads(2)
  public Buffer takeAndAppendContended(Request request, Shared shared) {
    return takeAndAppend(request, shared);
  }

  @Benchmark
  @Threads(2)
  public Buffer appendOnlyContended(Request request, Shared shared) {
    return appendOnly(request, shared);
  }
}
