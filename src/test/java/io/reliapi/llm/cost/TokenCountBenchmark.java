package io.reliapi.llm.cost;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Counting a prompt's tokens with jtokkit and with our compact vocabulary (run with
 * {@code bench/jmh.sh TokenCountBenchmark}; not a test). {@code prompt} is a typical chat prompt of about
 * 1.5 kB (instructions, a question, a JSON tool definition, some code); {@code document} is 30 kB of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(2)
public class TokenCountBenchmark {
  static final String PROMPT = """
      You are a helpful assistant for ACME Corp's customer support. Answer in the customer's language, be \
      concise, and never promise refunds above $250 without a manager's approval. If you're unsure, say so.
      Customer: Hi! I ordered a pair of running shoes (order #A-20931) on 3 March 2026 and they still haven't \
      arrived. The tracking page says "label created" since last week. Can you check what's going on? Also, \
      I'd like to change the size from 42 to 43 if that's still possible. Thanks, Zoë
      Tools: {"type":"function","function":{"name":"lookup_order","description":"Finds an order by its id",\
      "parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}}
      Previous answer: I've checked order A-20931: it's waiting for pickup at the warehouse in Lyon.
      ```python
      def eta(order):
          return order.shipped_at + timedelta(days=3) if order.shipped_at else None
      ```
      """;

  @Param({"prompt", "document"})
  public String text;

  @Param({"o200k_base", "cl100k_base"})
  public String encoding;

  private String input;
  private Encoding jtokkit;
  private TokenEncoding ours;

  @Setup
  public void load() {
    input = text.equals("prompt") ? PROMPT : PROMPT.repeat(20);
    EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    jtokkit = registry.getEncoding(EncodingType.fromName(encoding).orElseThrow());
    ours = TokenEncoding.load(encoding);
    if (jtokkit.countTokensOrdinary(input) != ours.count(input)) {
      throw new IllegalStateException("counts differ");
    }
  }

  @Benchmark
  public int jtokkit() {
    return jtokkit.countTokensOrdinary(input);
  }

  @Benchmark
  public int ours() {
    return ours.count(input);
  }
}
