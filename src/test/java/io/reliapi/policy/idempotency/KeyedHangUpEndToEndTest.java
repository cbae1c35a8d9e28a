package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
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
 * A keyed request whose client hangs up is carried to its end and its answer kept (as Stripe does), so the
 * client's retry with the same key, or a duplicate already waiting for it, gets the answer instead of an unknown
 * outcome; the upstream is called once. The classic case: a client times out on a slow payment and retries.
 */
class KeyedHangUpEndToEndTest {
  private final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.up().otherwise("POST /pay", held::add);
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + TestYaml.ONE_ATTEMPT.indent(4)));
  }

  /** Sends a keyed payment from a client that hangs up once the upstream has it. */
  private void payAndHangUp(String key) throws IOException {
    String body = "{\"amount\":5}";
    try (Socket client = new Socket("127.0.0.1", e2e.gw().port())) {
      client.getOutputStream().write(("POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Idempotency-Key: " + key + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.US_ASCII));
      await().until(() -> held.size() == 1);
    }
    // Let the gateway see the hang-up before the upstream answers.
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);
  }

  private static void charged(MockUpstream.Call call) {
    Behavior.respond(201, Map.of("Content-Type", "application/json"), "{\"charge\":\"ch_1\"}").respond(call);
  }

  @Test
  void theRetryOfAClientThatHungUpGetsTheAnswerOfItsFirstRequest() throws IOException {
    payAndHangUp("pay-1");
    MockUpstream.Call first = held.poll();
    charged(first);

    Res retry = e2e.gw().http.post("/t/api/pay", "{\"amount\":5}", "Idempotency-Key", "pay-1",
        "Content-Type", "application/json");
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.body()).isEqualTo("{\"charge\":\"ch_1\"}");
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  @Test
  void aDuplicateWaitingWhenTheFirstClientHangsUpGetsTheAnswer() throws IOException {
    String body = "{\"amount\":5}";
    CompletableFuture<Res> waiting;
    try (Socket client = new Socket("127.0.0.1", e2e.gw().port())) {
      client.getOutputStream().write(("POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Idempotency-Key: pay-2\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.US_ASCII));
      await().until(() -> held.size() == 1);
      waiting = e2e.gw().http.postAsync("/t/api/pay", body, "Idempotency-Key", "pay-2", "Content-Type", "application/json");
      await().pollDelay(Duration.ofMillis(200)).until(() -> true);
    }
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    charged(held.poll());

    Res res = waiting.join();
    assertThat(res.status()).isEqualTo(201);
    assertThat(res.body()).isEqualTo("{\"charge\":\"ch_1\"}");
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  @Test
  void aLargeAnswerToAClientThatHungUpIsKeptForItsRetry() throws IOException {
    payAndHangUp("pay-3");
    String large = "{\"receipt\":\"" + "r".repeat(200_000) + "\"}";
    Behavior.respond(201, Map.of("Content-Type", "application/json"), large).respond(held.poll());

    Res retry = e2e.gw().http.post("/t/api/pay", "{\"amount\":5}", "Idempotency-Key", "pay-3",
        "Content-Type", "application/json");
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.body()).isEqualTo(large);
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }
}
