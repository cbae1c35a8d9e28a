package io.reliapi.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reliapi.http.Json;
import java.nio.charset.StandardCharsets;
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
 * Parsing the benchmark's chat request and answer into trees, as every LLM request does: {@code compact} is the
 * gateway's mapper (members in {@code JsonMembers}, names not interned), {@code linked} Jackson's defaults (a
 * LinkedHashMap per object). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes per parse.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmn16m", "-XX:+UseCompactObjectHeaders"})
public class JsonTreeBenchmark {
  private static final byte[] REQUEST = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":"
      + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Say hi in one short sentence.\"}],"
      + "\"max_tokens\":32,\"temperature\":0}").getBytes(StandardCharsets.UTF_8);
  private static final byte[] ANSWER = ("{\"id\":\"chatcmpl-bench0001\",\"object\":\"chat.completion\",\"created\":"
      + "1764230400,\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_bench\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi! How can I help you today?\"},\"logprobs\":null,"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":9,\"total_tokens\":33}}")
      .getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper LINKED = new ObjectMapper(new JsonFactory());

  @Benchmark
  public JsonNode[] compact() {
    return new JsonNode[] {Json.parseOrNull(REQUEST), Json.parseOrNull(ANSWER)};
  }

  @Benchmark
  public JsonNode[] linked() throws Exception {
    return new JsonNode[] {LINKED.readTree(REQUEST), LINKED.readTree(ANSWER)};
  }
}
