package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Json;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.Providers;
import io.reliapi.llm.attempt.ChatAttemptStage;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.AccessLog;
import io.reliapi.observe.Events;
import io.reliapi.observe.InternalErrorLog;
import io.reliapi.observe.Metrics;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.Tracing;
import io.reliapi.policy.access.AccessStage;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.policy.circuit.CircuitStage;
import io.reliapi.policy.cost.CostCapsStage;
import io.reliapi.policy.ratelimit.ClientRateLimit;
import io.reliapi.policy.retry.RetryBudgets;
import io.reliapi.policy.retry.RetryPolicy;
import io.reliapi.policy.retry.RetryStage;
import io.reliapi.store.Guarded;
import io.reliapi.store.InMemoryRateLimiter;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp;
import io.reliapi.time.Clock;
import io.reliapi.upstream.Credentials;
import io.reliapi.upstream.UpstreamClient;
import io.reliapi.upstream.UpstreamStage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unexpected failures (bugs) are diagnosable: the gateway answers {@code INTERNAL_ERROR}, writes one
 * {@code reliapi.internal} line naming the step, the failure's type and fingerprint, and counts it in
 * {@code reliapi_internal_errors_total{stage}}, never writing the failure's message. The pipeline here is
 * the real one's stages with one test stage, {@link Misbehaving}, which fails the way each target's name says.
 */
class InternalErrorsEndToEndTest {
  static final String SECRET = "sk-internal-secret-4242";
  static MockUpstream up;
  static Vertx vertx;
  static TestHttp http;
  static Metrics metrics;
  LogCapture logs;

  /** Fails like a buggy stage would; which way depends on the target's name. */
  static final class Misbehaving implements Stage {
    @Override
    public Future<Reply> handle(Exchange exchange, Chain next) {
      return switch (exchange.target().name()) {
        case "throws" -> throw new IllegalStateException("failed for " + SECRET + " at " + up.baseUrl());
        case "fails_later" -> next.proceed(exchange).map(reply -> {
          throw new IllegalArgumentException("late " + SECRET);
        });
        case "returns_null" -> null;
        case "asserts" -> throw new AssertionError("Input is not UTF-8: " + SECRET);
        case "unrenderable_error" -> Future.failedFuture(GatewayException.of(ErrorCode.UPSTREAM_INVALID_RESPONSE,
            "The provider's answer could not be understood.").withDetails(Map.of("provider_error", new Object())));
        case "chat" -> Future.succeededFuture(new Reply(200, Headers.empty(), Body.EMPTY,
            Optional.of(new ChatAnswer.Whole(null))));
        default -> next.proceed(exchange);
      };
    }
  }

  @BeforeAll
  static void start() throws Exception {
    up = MockUpstream.start();
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          throws: {base_url: "%1$s"}
          fails_later: {base_url: "%1$s"}
          returns_null: {base_url: "%1$s"}
          asserts: {base_url: "%1$s"}
          unrenderable_error: {base_url: "%1$s"}
          fine: {base_url: "%1$s"}
          chat:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        """.formatted(up.baseUrl()), name -> null);
    config = config.withServer(config.server().withListen("127.0.0.1", 0));
    metrics = new Metrics();
    Events events = new Events(List.of(metrics, new AccessLog(), new InternalErrorLog()));
    PriceTable prices = PriceTable.of(config);
    long max = config.server().maxResponseBytes();
    ManualClock clock = new ManualClock();
    CircuitBreakers breakers = CircuitBreakers.create(config.targets().values(), clock, events);
    Snapshot snapshot = new Snapshot(1, "test", 0, config, new ClientKeys(config.clients()), new ClientKeys(List.of()),
        breakers,
        upstreams -> Pipeline.of(List.of(new AccessStage(),
                new CostCapsStage(prices, TokenCounter.shared(), events),
                new RetryStage(new RetryPolicy(() -> 0.5), clock, ManualScheduler.auto(clock), events, new RetryBudgets()),
                new CircuitStage(breakers, clock),
                new Misbehaving(),
                new ChatAttemptStage(prices, TokenCounter.shared(), Clock.system(), events, max)),
            new UpstreamStage(upstreams, max, Clock.system(), events), events::internalError));
    ServerParts parts = new ServerParts(() -> snapshot, Clock.system(), (delayMs, task) -> () -> false, events,
        metrics, Tracing.OFF, () -> Future.succeededFuture(true),
        (v, target, places, key) -> new UpstreamClient(v, target, 4,
            target.isLlm() ? Providers.credentials(target) : Credentials.forHttpTarget(target), places, key),
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
  void capture() {
    logs = LogCapture.capture();
  }

  @AfterEach
  void release() {
    logs.close();
  }

  static String envelope(String target) {
    return "{\"target\": \"" + target + "\", \"method\": \"GET\", \"path\": \"/x\"}";
  }

  double counted(String stage) {
    return metrics.scrape().lines()
        .filter(l -> l.startsWith("reliapi_internal_errors_total{") && l.contains("stage=\"" + stage + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Returns the internal error lines of the request {@code res} answered (the capture sees every gateway's). */
  List<String> internalLines(TestHttp.Res res) {
    String requestId = "\"request_id\":\"" + res.header("X-Request-ID") + "\"";
    return logs.lines().stream()
        .filter(l -> l.contains("\"logger\":\"reliapi.internal\"") && l.contains(requestId)).toList();
  }

  /** Returns the request's one internal error line, checked to carry the fingerprint and nothing it must not. */
  JsonNode internalLine(TestHttp.Res res) {
    List<String> lines = internalLines(res);
    assertThat(lines).hasSize(1);
    String line = lines.getFirst();
    assertThat(line).doesNotContain(SECRET, "127.0.0.1:" + up.port(), "late ", "\\tat ", "Exception:");
    JsonNode json = Json.parseOrNull(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(json).isNotNull();
    assertThat(json.get("level").asText()).isEqualTo("ERROR");
    assertThat(json.get("fingerprint").asText()).matches("[0-9a-f]{12}");
    assertThat(json.get("request_id").asText()).startsWith("req_");
    return json;
  }

  static void assertInternalError(TestHttp.Res res) {
    assertThat(res.status()).isEqualTo(500);
    assertThat(res.body()).doesNotContain(SECRET, "127.0.0.1:" + up.port(), "Exception", "\tat ");
    assertThat(res.json().get("error").get("code").asText()).isEqualTo("INTERNAL_ERROR");
  }

  @Test
  void aStageThatThrowsIsLoggedWithItsNameTypeAndFramesAndCountedOnce() {
    double before = counted("Misbehaving");
    var res = http.post("/proxy/http", envelope("throws"));

    assertInternalError(res);
    assertThat(res.json().get("meta").get("retries").asInt()).isZero();
    JsonNode line = internalLine(res);
    assertThat(line.get("stage").asText()).isEqualTo("Misbehaving");
    assertThat(line.get("error_type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(line.get("frames").asText()).startsWith("InternalErrorsEndToEndTest$Misbehaving.handle:");
    assertThat(line.get("request_id").asText()).isEqualTo(res.header("X-Request-ID"));
    assertThat(counted("Misbehaving") - before).isEqualTo(1);
  }

  @Test
  void aStageWhoseFutureFailsWithABugIsReportedAsThatStageNotAsTheStagesAroundIt() {
    double before = counted("Misbehaving");
    var res = http.post("/proxy/http", envelope("fails_later"));

    assertInternalError(res);
    JsonNode line = internalLine(res);
    assertThat(line.get("stage").asText()).isEqualTo("Misbehaving");
    assertThat(line.get("error_type").asText()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(counted("Misbehaving") - before).isEqualTo(1);
    assertThat(counted("RetryStage") + counted("CircuitStage") + counted("Pipeline")).isZero();
  }

  @Test
  void aStageThatReturnsNoFutureIsReportedInsteadOfHangingTheRequest() {
    var res = http.post("/proxy/http", envelope("returns_null"));

    assertInternalError(res);
    assertThat(internalLine(res).get("stage").asText()).isEqualTo("Misbehaving");
  }

  @Test
  void aStageThatThrowsAnErrorRatherThanAnExceptionIsReportedInsteadOfHangingTheRequest() {
    // jtokkit signals text it cannot encode with an AssertionError.
    var res = http.post("/proxy/http", envelope("asserts"));

    assertInternalError(res);
    JsonNode line = internalLine(res);
    assertThat(line.get("stage").asText()).isEqualTo("Misbehaving");
    assertThat(line.get("error_type").asText()).isEqualTo("java.lang.AssertionError");
  }

  @Test
  void aReplyTheRouteCannotRenderIsReportedAsTheRoutesReplyStep() {
    var res = http.post("/proxy/llm", "{\"target\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

    assertInternalError(res);
    JsonNode line = internalLine(res);
    assertThat(line.get("stage").asText()).isEqualTo("ProxyLlmRoute.reply");
    assertThat(line.get("error_type").asText()).isEqualTo("java.lang.NullPointerException");
    assertThat(counted("ProxyLlmRoute.reply")).isPositive();
  }

  @Test
  void anErrorTheRouteCannotRenderStillGetsAPlainInternalErrorAndTheConnectionCloses() {
    var res = http.post("/proxy/http", envelope("unrenderable_error"));

    assertInternalError(res);
    assertThat(res.header("X-Request-ID")).startsWith("req_");
    assertThat(res.header("Connection")).isEqualTo("close");
    assertThat(internalLine(res).get("stage").asText()).isEqualTo("ProxyHttpRoute.fail");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(logs.accessLines()).anyMatch(l -> l.contains(res.header("X-Request-ID"))
            && l.contains("\"error_code\":\"INTERNAL_ERROR\"")));
  }

  @Test
  void wellBehavedRequestsWriteNoInternalErrorLine() {
    var res = http.post("/proxy/http", envelope("fine"));

    assertThat(res.status()).isEqualTo(200);
    assertThat(res.header("X-Request-ID")).startsWith("req_");
    assertThat(internalLines(res)).isEmpty();
  }
}
