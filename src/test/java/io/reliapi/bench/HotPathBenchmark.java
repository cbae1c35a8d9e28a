package io.reliapi.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.http.Body;
import io.reliapi.http.CredentialHeaders;
import io.reliapi.http.HeaderNames;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessages;
import io.reliapi.llm.ChatRequest;
import io.reliapi.observe.JsonLine;
import io.reliapi.observe.JsonLineEncoder;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.pipeline.Stage;
import io.reliapi.policy.cost.CostPolicy;
import io.reliapi.policy.idempotency.Fingerprint;
import io.reliapi.server.UpstreamBody;
import io.reliapi.upstream.HeaderHygiene;
import io.reliapi.upstream.PathGuard;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * The pure decisions on every request's path, measured alone (run with bench/jmh.sh; not a test). Each
 * should cost well under a microsecond next to the tens of microseconds of HTTP work per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {
  private final MultiMap incoming = MultiMap.caseInsensitiveMultiMap()
      .add("Host", "gateway:8000").add("User-Agent", "curl/8.5").add("Accept", "application/json")
      .add("X-API-Key", "k-123").add("Connection", "keep-alive").add("X-Trace", "abc");
  private final HttpCall call = new HttpCall("POST", "/v1/orders?b=2&a=1",
      Headers.of("Content-Type", "application/json"), Body.of(Buffer.buffer("{\"sku\":\"A-1\",\"qty\":2}")));
  private final CostPolicy.Estimate estimate = new CostPolicy.Estimate(1200, 1024, 1, new ModelPrice(0.15, 0.6));
  private final CostPolicy.Caps caps = new CostPolicy.Caps(Optional.of(0.0005), Optional.of(0.05), 16);
  private final JsonLineEncoder encoder = new JsonLineEncoder();
  private final ChatRequest chat = new ChatRequest(Optional.of("gpt-4o-mini"), "gpt-4o-mini",
      ChatMessages.parse(Json.parseOrNull(("[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
          + "{\"role\":\"user\",\"content\":\"Say hi in one short sentence.\"}]").getBytes(StandardCharsets.UTF_8))),
      Optional.of(32), 32, Optional.of(0.0), Optional.empty(), List.of(), false, ChatJson.object(), ChatJson.object(),
      Optional.empty());
  private final LoggingEvent event = new LoggingEvent("x", new LoggerContext().getLogger("reliapi.access"),
      Level.INFO, "request", null, new Object[] {(JsonLine.Fields) l -> l.field("request_id", "req_3f2a9c1b7d4e6a80")
          .field("client", "backend").field("target", "api").field("status", 200).field("duration_ms", 12)
          .field("cache_hit", false).field("cost_usd", (Double) null)});

  /** Fourteen stages with nothing to do for a plain HTTP request, then an upstream answering later. */
  private final Pipeline passingStages = Pipeline.of(
      java.util.Collections.nCopies(14, (Stage) (exchange, next) -> next.proceed(exchange)),
      (exchange, next) -> {
        Promise<Reply> answer = Promise.promise();
        pending = answer;
        return answer.future();
      });
  private final Reply ok = new Reply(200, Headers.empty(), Body.EMPTY);
  private Promise<Reply> pending;

  @Benchmark
  public Reply pipelineOfPassingStages() {
    Future<Reply> reply = passingStages.run(null);
    pending.complete(ok);
    return reply.result();
  }

  /** The benchmark's upstream answer (perf/bench_http.sh): 342 bytes of JSON. */
  private final byte[] answer = ("{\"id\":1,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"roles\":[\"admin\",\"user\"],"
      + "\"address\":{\"street\":\"12 Analytical Engine Way\",\"city\":\"London\",\"zip\":\"NW1 6XE\",\"country\":\"UK\"},"
      + "\"created_at\":\"2024-01-01T00:00:00Z\",\"active\":true,\"score\":98.6,\"tags\":[\"math\",\"poetry\",\"computing\"],"
      + "\"note\":\"fixed upstream payload for the gateway microbenchmark xx\"}").getBytes(StandardCharsets.UTF_8);
  private final Headers answerHeaders = Headers.of("Server", "nginx", "Date", "Sun, 06 Dec 2026 14:00:00 GMT",
      "Content-Type", "application/json", "Content-Length", "342", "Connection", "keep-alive");

  /** The {@code data} of a /proxy/http envelope: status, headers and the JSON answer embedded as it is. */
  @Benchmark
  public Buffer envelopeData() {
    return Json.write(out -> {
      out.writeStartObject();
      out.writeNumberField("status_code", 200);
      out.writeObjectFieldStart("headers");
      for (var header : answerHeaders.toLowerCaseMap().entrySet()) {
        out.writeStringField(header.getKey(), header.getValue());
      }
      out.writeEndObject();
      UpstreamBody.write(out, answerHeaders.get("content-type"), answer);
      out.writeEndObject();
    });
  }

  @Benchmark
  public String pathGuard() {
    return PathGuard.check("/v1/users/123/orders?page=2&sort=desc");
  }

  /** The names of a typical request's headers, each looked up in a set of names the gateway keeps to itself. */
  private static final String[] SEEN = {"Host", "User-Agent", "Accept", "X-API-Key", "Connection", "X-Trace",
      "Content-Type", "Content-Length"};
  private static final String[] KEPT = {"x-api-key", "authorization", "idempotency-key", "x-reliapi-target",
      "x-reliapi-timeout-ms", "cookie"};
  private final Set<String> keptTable = HeaderNames.of(KEPT);
  private final Set<String> keptSorted = sortedIgnoringCase(KEPT);

  private static Set<String> sortedIgnoringCase(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return set;
  }

  /** {@link HeaderNames}: a table keyed by a hash folding ASCII case. */
  @Benchmark
  public int headerNamesTable() {
    return matches(keptTable);
  }

  /** What HeaderNames was before: a sorted set compared character by character, ignoring case. */
  @Benchmark
  public int headerNamesSortedSet() {
    return matches(keptSorted);
  }

  private static int matches(Set<String> names) {
    int found = 0;
    for (String name : SEEN) {
      if (names.contains(name)) {
        found++;
      }
    }
    return found;
  }

  /** Lower-case names an agent's request forwards, read word by word on a deployment's refusal. */
  private static final String[] AGENT_NAMES = {"content-type", "user-agent", "x-claude-code-session-id",
      "x-stainless-retry-count", "anthropic-version", "x-prompt-cache-key", "openai-organization"};

  /** {@link CredentialHeaders#isClientCredential}: words split by hand, no regex, no stream. */
  @Benchmark
  public int clientCredentialNames() {
    int found = 0;
    for (String name : AGENT_NAMES) {
      if (CredentialHeaders.isClientCredential(name)) {
        found++;
      }
    }
    return found;
  }

  @Benchmark
  public Headers headersForUpstream() {
    return HeaderHygiene.forUpstream(Headers.from(incoming));
  }

  @Benchmark
  public String idempotencyFingerprint() {
    return Fingerprint.of(call);
  }

  @Benchmark
  public Object costCaps() {
    return CostPolicy.apply(estimate, caps);
  }

  /**
   * The canonical form of a typical chat request: what a {@code /v1} request without an idempotency key on a
   * target without a cache no longer builds.
   */
  @Benchmark
  public Buffer canonicalChatRequest() {
    return ChatJson.canonical(chat);
  }

  @Benchmark
  public byte[] accessLogLine() {
    return encoder.encode(event);
  }
}
