package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.RawConnection;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request bodies cost memory only as they arrive, and must arrive within {@code server.body_timeout_ms}
 * however steadily they trickle: then 408 REQUEST_TIMEOUT and the connection closes, on every route. Time the
 * gateway holds a streamed body back for an upstream that reads it slowly is not the client's and does not count.
 */
class BodyReadEndToEndTest {
  static final int BODY_TIMEOUT_MS = 600;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      server: {port: 0, body_timeout_ms: %2$d}
      targets:
        api:
          base_url: "%1$s"
          circuit: {error_threshold: 1, cooldown_s: 600}
        llm:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl(), BODY_TIMEOUT_MS)));

  /** Sends a head announcing {@code announced} bytes and a first few, then trickles one byte every 100 ms. */
  private static RawConnection trickling(String method, String path, long announced) {
    return RawConnection.open(e2e.gw().port(), 10_000)
        .write(method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + announced + "\r\n\r\n{\"a\": \"")
        .trickle(100);
  }

  private static void assertTimedOut(RawConnection connection, String codeInBody) {
    RawConnection.Answer answer = connection.readAnswer();
    assertThat(answer.status()).isEqualTo(408);
    assertThat(answer.body()).contains(codeInBody);
    assertThat(answer.header("Connection")).isEqualTo("close");
    assertThat(connection.closedByServer()).as("the connection really closes").isTrue();
  }

  @Test
  void answersAnEnvelopeWhoseBodyTricklesPastTheBodyTimeoutWith408AndCloses() {
    try (RawConnection connection = trickling("POST", "/proxy/http", 1000)) {
      assertTimedOut(connection, "\"code\":\"REQUEST_TIMEOUT\"");
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void answersTheLlmRoutesAlike() {
    try (RawConnection connection = trickling("POST", "/v1/chat/completions", 1000)) {
      assertTimedOut(connection, "\"code\":\"REQUEST_TIMEOUT\"");
    }
    try (RawConnection connection = trickling("POST", "/proxy/llm", 1000)) {
      assertTimedOut(connection, "\"code\":\"REQUEST_TIMEOUT\"");
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void answersAPassThroughBodyHeldInMemoryAlike() {
    try (RawConnection connection = trickling("POST", "/t/api/small", 1000)) {
      assertTimedOut(connection, "urn:reliapi:error:REQUEST_TIMEOUT");
    }
    assertThat(e2e.up().count("/small")).isZero();
  }

  @Test
  void cancelsAPassThroughAttemptStreamingABodyThatTricklesWithoutCountingItAgainstTheTarget() {
    try (RawConnection connection = trickling("POST", "/t/api/big", 5L << 20)) {
      assertTimedOut(connection, "urn:reliapi:error:REQUEST_TIMEOUT");
    }
    assertThat(e2e.up().count("/big")).as("a truncated body never arrives as a whole request").isZero();
    var next = e2e.gw().http.get("/t/api/after");
    assertThat(next.status()).as("the breaker (threshold 1) did not open").isEqualTo(200);
  }

  @Test
  void anUpstreamThatStopsReadingAStreamedBodyTimesOutAsTheTargetsFailureNotTheClients() throws Exception {
    try (ServerSocket deaf = new ServerSocket()) {
      deaf.setReceiveBufferSize(4096);
      deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      // The body deadline is far shorter than the attempt's timeout: were the time the upstream holds the
      // upload counted against the client, it would end the request first.
      GatewayHarness slow = GatewayHarness.yaml("""
          server: {port: 0, body_timeout_ms: %d}
          targets:
            deaf: {base_url: "http://127.0.0.1:%d", timeout_ms: 2500, retry_matrix: {timeout: {attempts: 1}},
                   circuit: {error_threshold: 1, cooldown_s: 600}}
          """.formatted(BODY_TIMEOUT_MS, deaf.getLocalPort())).start();
      ExecutorService uploader = Executors.newSingleThreadExecutor();
      try (RawConnection connection = RawConnection.open(slow.port(), 15_000)) {
        // The whole body is sent at once: the gateway never waits for this client, only for the upstream.
        uploader.submit(() -> connection.write("PUT /t/deaf/upload HTTP/1.1\r\nHost: x\r\nContent-Length: "
            + (8 << 20) + "\r\n\r\n").write(new byte[8 << 20]));
        try (Socket held = deaf.accept()) {
          RawConnection.Answer answer = connection.readAnswer();
          assertThat(answer.status()).isEqualTo(504);
          assertThat(answer.body()).contains("urn:reliapi:error:UPSTREAM_TIMEOUT");
        }
        MetricSamples metrics = MetricSamples.scrape(slow);
        assertThat(metrics.value("reliapi_upstream_attempts_total", "target", "deaf", "result", "timeout"))
            .isEqualTo(1.0);
        assertThat(metrics.value("reliapi_circuit_state", "target", "deaf")).as("the breaker saw it").isEqualTo(1.0);
      } finally {
        uploader.shutdownNow();
        slow.close();
      }
    }
  }

  @Test
  void holdsOnlyWhatArrivedOfBodiesAnnouncedLarge() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    List<RawConnection> connections = new ArrayList<>();
    try {
      memory.gc();
      long before = memory.getHeapMemoryUsage().getUsed();
      for (int i = 0; i < 16; i++) {
        connections.add(RawConnection.open(e2e.gw().port(), 10_000).write("POST /proxy/http HTTP/1.1\r\nHost: x\r\n"
            + "Content-Length: 10485760\r\n\r\n{"));
      }
      // Each request is in flight once its route started reading its body.
      await().atMost(Duration.ofSeconds(10)).until(() -> e2e.gw().gateway().inFlight() == connections.size());
      memory.gc();
      long grownMiB = (memory.getHeapMemoryUsage().getUsed() - before) >> 20;
      assertThat(grownMiB).as("16 bodies announced at 10 MiB each, one byte each sent").isLessThan(48);
    } finally {
      connections.forEach(RawConnection::close);
    }
  }

  @Test
  void readsABodyThatArrivesInTimeWhateverItsSize() {
    String big = "y".repeat(3 << 20);
    var r = e2e.gw().http.post("/proxy/http", "{\"target\": \"api\", \"method\": \"POST\", \"path\": \"/whole\", \"body\": \""
        + big + "\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes())).isNull();
    assertThat(e2e.up().last().body().length()).isEqualTo(big.length());
  }
}
