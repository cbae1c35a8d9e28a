package io.reliapi.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cache fill is carried on when the client that started it hangs up: the requests waiting on it get its
 * answer, and the cache keeps it, with one upstream call, instead of each waiting request going upstream.
 */
class CacheFillHangUpEndToEndTest {
  private final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.up().otherwise("GET /doc", held::add);
    e2e.start(GatewayHarness.yaml("""
        targets:
          cached: {base_url: "%s", cache: {enabled: true, ttl_s: 60}}
        """.formatted(e2e.up().baseUrl())));
  }

  @Test
  void requestsWaitingOnAFillWhoseClientHungUpGetItsAnswerFromOneUpstreamCall() throws IOException {
    CompletableFuture<Res> waiting;
    try (Socket client = new Socket("127.0.0.1", e2e.gw().port())) {
      client.getOutputStream().write("GET /t/cached/doc HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      await().until(() -> held.size() == 1);
      waiting = e2e.gw().http.getAsync("/t/cached/doc");
      await().pollDelay(Duration.ofMillis(200)).until(() -> true);
    }
    // Let the gateway see the hang-up before the upstream answers.
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    held.forEach(call -> Behavior.respond(200, Map.of("Content-Type", "application/json"), "{\"doc\":1}").respond(call));

    Res res = waiting.join();
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("{\"doc\":1}");
    assertThat(e2e.up().count("/doc")).isEqualTo(1);
    assertThat(e2e.gw().http.get("/t/cached/doc").header("X-Cache-Hit")).isEqualTo("true");
  }
}
