package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that read a streamed answer slowly cannot hold a target's connections for ever: a streamed answer
 * ends at the target's {@code stream_max_s} or the request's deadline, and while every connection is busy
 * other requests get a fast 503 {@code OVERLOADED} that does not count against the target. One event loop,
 * so the pool is exactly {@code max_connections}; the limits are real I/O timeouts of a few hundred ms.
 */
class SlowReadersEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final List<Socket> readers = new ArrayList<>();

  @BeforeEach
  void startUpstream() {
    e2e.up().otherwise("* /big", Behavior.endless("x".repeat(8192)));
    e2e.up().otherwise("* /ok", Behavior.json(200, "{\"ok\":true}"));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket reader : readers) {
      reader.close();
    }
  }

  /**
   * Starts the gateway and sends one request through a target without tight limits, so the short limits of
   * {@code api} are not eaten by a cold start.
   */
  private void start(String targetExtra) {
    e2e.start(GatewayHarness.yaml("""
        targets:
          api: {base_url: "%1$s", timeout_ms: 5000, %2$s}
          warm: {base_url: "%1$s"}
        """.formatted(e2e.up().baseUrl(), targetExtra)).eventLoops(1));
    assertThat(e2e.gw().http.get("/t/warm/ok").status()).isEqualTo(200);
  }

  /** Opens a connection that asks for the endless answer and then reads nothing. */
  private Socket slowReader() throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e2e.gw().port()));
    socket.getOutputStream().write("GET /t/api/big HTTP/1.1\r\nHost: localhost\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    readers.add(socket);
    return socket;
  }

  private void holdThePoolWith(int readers) throws IOException {
    for (int i = 0; i < readers; i++) {
      slowReader();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/big") == readers);
  }

  private double metric(String name, String... labels) {
    return MetricSamples.scrape(e2e.gw()).value(name, labels);
  }

  /** Reads what the gateway sends until it closes the connection. */
  private static String drain(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[65536];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (IOException reset) {
      // A reset ends the answer like a close does.
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void whileSlowReadersHoldEveryConnectionOthersGetAFastOverloadedThatIsNotTheTargetsFault() throws IOException {
    start("max_connections: 2, stream_max_s: 60, circuit: {error_threshold: 1}");
    holdThePoolWith(2);

    long began = System.nanoTime();
    TestHttp.Res refused = e2e.gw().http.get("/t/api/ok");
    long tookMs = (System.nanoTime() - began) / 1_000_000;
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.json().get("code").asText()).isEqualTo("OVERLOADED");
    assertThat(refused.json().get("retryable").asBoolean()).isTrue();
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(tookMs).as("fast, not a timeout").isLessThan(2_000);

    var envelope = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/ok\"}");
    assertThat(envelope.status()).isEqualTo(503);
    assertThat(envelope.json().get("error").get("code").asText()).isEqualTo("OVERLOADED");
    assertThat(envelope.header("Retry-After")).isEqualTo("1");

    assertThat(e2e.up().count("/ok")).as("only the warm-up").isEqualTo(1);
    assertThat(metric("reliapi_upstream_attempts_total", "target", "api", "result", "overloaded")).isEqualTo(2.0);
    assertThat(metric("reliapi_upstream_attempts_total", "target", "api", "result", "timeout")).isZero();
    assertThat(metric("reliapi_circuit_state", "target", "api")).as("breaker closed").isZero();
    assertThat(metric("reliapi_retries_total", "target", "api")).isZero();

    for (Socket reader : readers) {
      reader.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().http.get("/t/api/ok").status() == 200);
  }

  @Test
  void aFullPoolSendsNobodyToAFallback() throws IOException {
    MockUpstream backup = MockUpstream.start();
    try {
      e2e.start(GatewayHarness.yaml("""
          targets:
            api: {base_url: "%s", max_connections: 1, stream_max_s: 60, fallback_targets: [backup]}
            backup: {base_url: "%s"}
          """.formatted(e2e.up().baseUrl(), backup.baseUrl())).eventLoops(1));
      holdThePoolWith(1);
      assertThat(e2e.gw().http.get("/t/api/ok").json().get("code").asText()).isEqualTo("OVERLOADED");
      assertThat(backup.total()).isZero();
    } finally {
      backup.close();
    }
  }

  @Test
  void aSlowReadersStreamIsCutAtStreamMaxSAndThePoolFreesUp() throws IOException {
    start("max_connections: 1, stream_max_s: 0.8");
    Socket reader = slowReader();
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/big") == 1);

    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().http.get("/t/api/ok").status() == 200);
    String received = drain(reader);
    assertThat(received).startsWith("HTTP/1.1 200");
    assertThat(received).as("the cut answer never ends like a complete one").doesNotEndWith("0\r\n\r\n");
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
  }

  @Test
  void withoutStreamMaxSASlowReadersStreamIsCutAtTheDeadline() throws IOException {
    start("max_connections: 1, deadline_ms: 800");
    Socket reader = slowReader();
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/big") == 1);

    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().http.get("/t/api/ok").status() == 200);
    assertThat(drain(reader)).doesNotEndWith("0\r\n\r\n");
  }

  @Test
  void streamMaxSLetsAStreamRunPastTheDeadline() {
    start("deadline_ms: 400, stream_max_s: 10");
    e2e.up().otherwise("* /slow-stream", Behavior.chunks(Map.of("Content-Type", "text/plain"),
        List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"), 80));
    TestHttp.Res res = e2e.gw().http.get("/t/api/slow-stream");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("abcdefghijkl");
  }

  @Test
  void anLlmStreamEndsAtStreamMaxSWhereSetElseAtTheDeadline() {
    e2e.start(GatewayHarness.yaml("""
        targets:
          long: {base_url: "%1$s/v1", deadline_ms: 400, stream_max_s: 10, llm: {provider: openai, default_model: m}}
          short: {base_url: "%1$s/v1", deadline_ms: 400, llm: {provider: openai, default_model: m}}
          warm: {base_url: "%1$s/v1", llm: {provider: openai, default_model: m}}
        """.formatted(e2e.up().baseUrl())).eventLoops(1));
    String body = "{\"target\": \"%s\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
    e2e.up().script("POST /v1/chat/completions",
        LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("m", List.of("warm"), 1, 1), 1));
    assertThat(e2e.gw().http.post("/proxy/llm", body.formatted("warm")).body()).contains("event: done");
    List<String> pieces = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
    e2e.up().otherwise("POST /v1/chat/completions",
        LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("m", pieces, 1, 12), 80));

    String whole = e2e.gw().http.post("/proxy/llm", body.formatted("long")).body();
    assertThat(whole).contains("event: done").doesNotContain("event: error");

    String cut = e2e.gw().http.post("/proxy/llm", body.formatted("short")).body();
    assertThat(cut).contains("event: error").doesNotContain("event: done");
  }
}
