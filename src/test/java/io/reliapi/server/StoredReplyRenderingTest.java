package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.Providers;
import io.reliapi.llm.attempt.ChatAttemptStage;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.Events;
import io.reliapi.observe.Metrics;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.Tracing;
import io.reliapi.policy.access.AccessStage;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.policy.cost.CostCapsStage;
import io.reliapi.policy.ratelimit.ClientRateLimit;
import io.reliapi.store.Guarded;
import io.reliapi.store.InMemoryRateLimiter;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.time.Clock;
import io.reliapi.upstream.UpstreamClient;
import io.reliapi.upstream.UpstreamStage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract between the LLM routes and the stages that store answers (cache, idempotency): a reply rebuilt
 * from nothing but its stored status, headers and bytes renders on every LLM route like the fresh one, and
 * costs nothing. The stand-in store below keeps exactly what such a stage can keep.
 */
class StoredReplyRenderingTest {
  static MockUpstream up;
  static Vertx vertx;
  static TestHttp http;
  static final Remembering store = new Remembering();

  /** Keeps a finished 2xx LLM answer as status, headers and bytes, keyed on the canonical request. */
  static final class Remembering implements Stage {
    final Map<String, Reply> answers = new ConcurrentHashMap<>();

    @Override
    public Future<Reply> handle(Exchange exchange, Chain next) {
      String key = exchange.target().name() + " " + ((Body.Bytes) exchange.call().body()).bytes();
      Reply stored = answers.get(key);
      if (stored != null) {
        exchange.trace().cacheHit(true);
        return Future.succeededFuture(stored);
      }
      return next.proceed(exchange).map(reply -> {
        boolean streaming = reply.answer(ChatAnswer.Streaming.class).isPresent();
        if (reply.status() == 200 && !streaming && reply.body() instanceof Body.Bytes bytes) {
          answers.put(key, new Reply(reply.status(), reply.headers(), Body.of(bytes.bytes().copy())));
        }
        return reply;
      });
    }
  }

  @BeforeAll
  static void start() throws Exception {
    up = MockUpstream.start();
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          openai:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
            cache: {enabled: true, ttl_s: 60}
          claude:
            base_url: "%1$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100}
            cache: {enabled: true, ttl_s: 60}
        """.formatted(up.baseUrl()), name -> null);
    config = config.withServer(config.server().withListen("127.0.0.1", 0));
    Metrics metrics = new Metrics();
    Events events = new Events(List.of(metrics));
    PriceTable prices = PriceTable.of(config);
    long max = config.server().maxResponseBytes();
    Snapshot snapshot = new Snapshot(1, "test", 0, config, new ClientKeys(config.clients()), new ClientKeys(List.of()),
        CircuitBreakers.create(List.of(), Clock.system(), events),
        upstreams -> Pipeline.of(List.of(new AccessStage(), store,
                new CostCapsStage(prices, TokenCounter.shared(), events),
                new ChatAttemptStage(prices, TokenCounter.shared(), Clock.system(), events, max)),
            new UpstreamStage(upstreams, max, Clock.system(), events)));
    ServerParts parts = new ServerParts(() -> snapshot, Clock.system(), (delayMs, task) -> () -> false, events, metrics, Tracing.OFF,
        () -> Future.succeededFuture(true), (v, target, places, key) -> new UpstreamClient(v, target, 4, Providers.credentials(target), places, key),
        request -> request.response().setStatusCode(404).end(),
        new ClientRateLimit(Guarded.local(new InMemoryRateLimiter(Clock.system()))),
        new io.reliapi.http.ByteBudget(1L << 30));
    vertx = Vertx.vertx();
    ServerVerticle server = new ServerVerticle(parts, 0);
    vertx.deployVerticle(server).await(10, TimeUnit.SECONDS);
    http = new TestHttp("http://127.0.0.1:" + server.actualPort());
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    up.close();
  }

  @BeforeEach
  void clean() {
    up.reset();
    store.answers.clear();
  }

  static String proxy(String target, String text, boolean stream) {
    return "{\"target\": \"" + target + "\", \"stream\": " + stream + ", \"messages\": [{\"role\": \"user\", \"content\": \""
        + text + "\"}]}";
  }

  @Test
  void proxyLlmRendersAStoredAnswerLikeTheFreshOneAndFree() {
    up.script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini-2024-07-18", "Hello!", 9, 3));
    var fresh = http.post("/proxy/llm", proxy("openai", "Hi", false));
    var stored = http.post("/proxy/llm", proxy("openai", "Hi", false));

    assertThat(up.total()).isEqualTo(1);
    assertThat(stored.json().get("data")).isEqualTo(fresh.json().get("data"));
    JsonNode meta = stored.json().get("meta");
    assertThat(meta.get("cache_hit").asBoolean()).isTrue();
    assertThat(meta.get("cost_usd").decimalValue()).isZero();
    assertThat(meta.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(stored.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(stored.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(fresh.json().get("meta").get("cost_usd").decimalValue()).isPositive();
  }

  @Test
  void v1RendersAStoredAnswerByteForByteAndFree() {
    up.script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Bonjour", 12, 6));
    String body = "{\"model\": \"claude/claude-haiku-4-5\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
    var fresh = http.post("/v1/chat/completions", body);
    var stored = http.post("/v1/chat/completions", body);

    assertThat(up.total()).isEqualTo(1);
    assertThat(stored.body()).isEqualTo(fresh.body());
    assertThat(stored.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(fresh.header("X-ReliAPI-Cost-USD")).isEqualTo("0.000042");
    // The same stored answer serves the other route too, translated for its own format.
    var viaProxy = http.post("/proxy/llm", proxy("claude", "Hi", false));
    assertThat(viaProxy.json().get("data").get("content").asText()).isEqualTo("Bonjour");
    assertThat(up.total()).isEqualTo(1);
  }

  @Test
  void aStreamingRequestIsServedAStoredAnswerAsAStream() {
    up.script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Stored answer", 9, 3));
    http.post("/proxy/llm", proxy("openai", "Tell me", false));

    var proxyEvents = SseEvents.parse(http.post("/proxy/llm", proxy("openai", "Tell me", true)).body());
    assertThat(SseEvents.names(proxyEvents)).containsExactly("meta", "chunk", "done");
    assertThat(proxyEvents.get(0).json().get("cache_hit").asBoolean()).isTrue();
    assertThat(proxyEvents.get(1).json().get("delta").asText()).isEqualTo("Stored answer");
    assertThat(proxyEvents.get(2).json().get("cost_usd").decimalValue()).isZero();

    var v1Events = SseEvents.parse(http.post("/v1/chat/completions", "{\"model\": \"openai/gpt-4o-mini\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Tell me\"}]}").body());
    ObjectNode first = (ObjectNode) v1Events.getFirst().json();
    assertThat(first.get("choices").get(0).get("delta").get("content").asText()).isEqualTo("Stored answer");
    assertThat(v1Events.getLast().data()).isEqualTo("[DONE]");
    assertThat(up.total()).isEqualTo(1);
  }
}
