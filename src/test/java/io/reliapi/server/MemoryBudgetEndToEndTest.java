package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.AnthropicSearch;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.TestHttp.Res;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The process-wide budget of buffered bytes (server.max_buffered_bytes), on real sockets: clients whose bodies or
 * answers fill it make the next buffered request 503 OVERLOADED at once, requests that buffer nothing still pass,
 * and every byte comes back when the holders finish or hang up.
 */
class MemoryBudgetEndToEndTest {
  static final int BUDGET = 1 << 20;
  static final int HELD = 300 * 1024;

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  final List<RawConnection> raw = new ArrayList<>();

  @BeforeEach
  void start() {
    e2e.up().otherwise("POST /small", Behavior.json(200, "{}"));
    e2e.up().otherwise("GET /ping", Behavior.json(200, "{\"pong\":true}"));
    e2e.start(GatewayHarness.yaml("""
        server: {port: 0, max_buffered_bytes: %d}
        targets:
          api: {base_url: "%s", retry_matrix: {"5xx": {attempts: 3}, "net": {attempts: 3}}}
          cached: {base_url: "%s", cache: {ttl_s: 60}}
          claude: {base_url: "%s/v1", llm: {provider: anthropic, default_model: claude-sonnet-4-5}}
        """.formatted(BUDGET, e2e.up().baseUrl(), e2e.up().baseUrl(), e2e.up().baseUrl())));
  }

  @AfterEach
  void stop() {
    raw.forEach(RawConnection::close);
  }

  @Test
  void bodiesHeldByTricklingClientsShedTheNextBodyAndComeBackWhenTheyFinishOrHangUp() {
    int declared = HELD + 10 * 1024;
    List<RawConnection> holders = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] body = envelope("/small", declared);
      RawConnection c = open();
      c.write(head("/proxy/http", declared)).write(Arrays.copyOf(body, HELD));
      holders.add(c);
      bodies.add(body);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() >= 3 * HELD);

    RawConnection shed = open();
    shed.write(head("/proxy/http", 200_000)).write(envelope("/small", 200_000));
    var refused = shed.readAnswer();
    assertThat(refused.status()).as(brief(refused.body())).isEqualTo(503);
    assertThat(refused.body()).contains("\"code\":\"OVERLOADED\"");
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
    assertThat(e2e.up().count("/small")).as("nothing was forwarded").isZero();
    assertThat(e2e.gw().http.get("/t/api/ping").status()).as("a request without a body still passes").isEqualTo(200);

    holders.get(0).write(Arrays.copyOfRange(bodies.get(0), HELD, declared));
    assertThat(holders.get(0).readAnswer().status()).isEqualTo(200);
    holders.get(1).close();  // hangs up half-way through its body
    holders.get(2).write(Arrays.copyOfRange(bodies.get(2), HELD, declared));
    assertThat(holders.get(2).readAnswer().status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);

    Res passes = e2e.gw().http.post("/proxy/http", new String(envelope("/small", 200_000), StandardCharsets.UTF_8),
        "Content-Type", "application/json");
    assertThat(passes.status()).as(brief(passes.body())).isEqualTo(200);
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_memory_shed_total")).isEqualTo(1);
  }

  @Test
  void answersHeldWholeShedTheNextLargeAnswerWithoutRetryAndComeBackWhenTheyEndOrTheClientHangsUp()
      throws Exception {
    List<HttpServerResponse> slow = new CopyOnWriteArrayList<>();
    e2e.up().otherwise("GET /slow-big", call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      response.write(Buffer.buffer(new byte[HELD]));
      slow.add(response);
    });
    e2e.up().otherwise("GET /big", Behavior.respond(200, Map.of(), Buffer.buffer(new byte[HELD])));
    String slowBig = "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/slow-big\"}";
    List<CompletableFuture<Res>> waiting = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      waiting.add(e2e.gw().http.postAsync("/proxy/http", slowBig, "Content-Type", "application/json"));
    }
    RawConnection leaver = open();
    leaver.write(head("/proxy/http", slowBig.length())).write(slowBig.getBytes(StandardCharsets.UTF_8));
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() >= 3 * HELD);

    Res refused = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/big\"}",
        "Content-Type", "application/json");
    assertThat(refused.status()).as(brief(refused.body())).isEqualTo(503);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("OVERLOADED");
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(e2e.up().count("/big")).as("not retried").isEqualTo(1);
    assertThat(e2e.gw().http.get("/t/api/ping").status()).as("a small streamed answer still passes").isEqualTo(200);

    leaver.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() < 3 * HELD);
    slow.forEach(HttpServerResponse::end);
    for (CompletableFuture<Res> each : waiting) {
      assertThat(each.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);

    Res passes = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/big\"}",
        "Content-Type", "application/json");
    assertThat(passes.status()).as(brief(passes.body())).isEqualTo(200);
    assertThat(passes.json().get("success").asBoolean()).isTrue();
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_memory_shed_total")).isEqualTo(1);
  }

  @Test
  void aStreamedAnswerIsCopiedForTheCacheOnlyWhileTheBudgetHasRoomAndItsClientStillGetsItWhole() {
    e2e.up().otherwise("GET /large", Behavior.respond(200, Map.of("Content-Type", "application/octet-stream"),
        Buffer.buffer(new byte[2 * BUDGET])));
    e2e.up().otherwise("GET /little", Behavior.json(200, "{\"little\":true}"));
    Res first = e2e.gw().http.get("/t/cached/large");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).hasSize(2 * BUDGET);
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
    assertThat(e2e.gw().http.get("/t/cached/large").body()).hasSize(2 * BUDGET);
    assertThat(e2e.up().count("/large")).as("not kept: its copy did not fit in the budget").isEqualTo(2);

    e2e.gw().http.get("/t/cached/little");
    assertThat(e2e.gw().http.get("/t/cached/little").header("X-Cache-Hit")).isEqualTo("true");
    assertThat(e2e.up().count("/little")).as("an answer that fits is kept as before").isEqualTo(1);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_memory_shed_total")).as("no request was shed").isZero();
  }

  /**
   * A server tool block given whole at its end (a fetched PDF) is held from its start to its stop: its bytes are taken
   * from the budget as they arrive, and a block the budget cannot hold sheds its request before anything was sent.
   */
  @Test
  void aServerToolBlockTooLargeForTheBudgetShedsItsStreamAndOneThatFitsPasses() {
    // Within the largest event the gateway reads (max_response_bytes, 10 MiB), yet past what the 1 MiB budget holds.
    e2e.up().script("POST /v1/messages", AnthropicSearch.fetchedPdf(900 * 1024), AnthropicSearch.fetchedPdf(1024));
    String body = """
        {"model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": true,
         "messages": [{"role": "user", "content": "Read https://example.com/a.pdf"}],
         "tools": [{"type": "web_fetch_20250910", "name": "web_fetch"}]}""";
    Res refused = e2e.gw().http.post("/v1/messages", body, "anthropic-version", "2023-06-01",
        "X-ReliAPI-Target", "claude");
    Res passes = e2e.gw().http.post("/v1/messages", body, "anthropic-version", "2023-06-01",
        "X-ReliAPI-Target", "claude");

    assertThat(refused.status()).as(brief(refused.body())).isEqualTo(503);
    assertThat(refused.body()).contains("OVERLOADED").doesNotContain("JJJJ");
    assertThat(passes.status()).isEqualTo(200);
    assertThat(passes.body()).contains("web_fetch_tool_result").contains("It is a PDF.");
    assertThat(e2e.up().count("/v1/messages")).as("not retried").isEqualTo(2);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_memory_shed_total")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
  }

  /**
   * A provider's event that never ends (no blank line) is held as it arrives: the budget, not a fixed limit on one
   * event, sheds it, before anything was sent, and the provider is not asked again.
   */
  @Test
  void anEndlessEventIsShedByTheBudgetWithoutRetryAndItsBytesComeBack() {
    e2e.up().script("POST /v1/messages", AnthropicSearch.endlessFetch());
    Res refused = e2e.gw().http.post("/v1/messages", """
        {"model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": true,
         "messages": [{"role": "user", "content": "Read https://example.com/endless.pdf"}]}""",
        "anthropic-version", "2023-06-01", "X-ReliAPI-Target", "claude");

    assertThat(refused.status()).as(brief(refused.body())).isEqualTo(503);
    assertThat(refused.body()).contains("OVERLOADED").doesNotContain("JJJJ");
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(e2e.up().count("/v1/messages")).as("not retried").isEqualTo(1);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_memory_shed_total")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
  }

  private RawConnection open() {
    RawConnection c = RawConnection.open(e2e.gw().port(), 10_000);
    raw.add(c);
    return c;
  }

  private static String brief(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }

  private double buffered() {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_buffered_bytes");
  }

  private static String head(String path, int length) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + length
        + "\r\n\r\n";
  }

  /** A valid envelope to {@code path} of exactly {@code size} bytes, padded in its body. */
  private static byte[] envelope(String path, int size) {
    String start = "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"" + path + "\",\"body\":\"";
    String end = "\"}";
    return (start + "x".repeat(size - start.length() - end.length()) + end).getBytes(StandardCharsets.UTF_8);
  }
}
