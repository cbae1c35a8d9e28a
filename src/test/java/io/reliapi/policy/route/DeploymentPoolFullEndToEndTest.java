package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deployment whose connections are all busy refuses an attempt before sending anything (OVERLOADED): the
 * attempt then goes to a sibling with room, whatever its method, instead of failing. A target's concurrency
 * limit shedding an attempt is another matter: every deployment shares it, so nothing moves. One event loop,
 * so a deployment's pool is exactly {@code max_connections}.
 */
class DeploymentPoolFullEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final List<Socket> readers = new ArrayList<>();

  @BeforeEach
  void start() {
    e2e.up().otherwise("* /a/big", Behavior.endless("x".repeat(8192)));
    e2e.up().otherwise("* /b/big", Behavior.endless("x".repeat(8192)));
    e2e.up().otherwise("* /a/held", Behavior.silence());
    e2e.up().otherwise("* /b/held", Behavior.silence());
    e2e.start(GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        targets:
          api:
            base_url: "%1$s/a"
            max_connections: 1
            stream_max_s: 60
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
          capped:
            base_url: "%1$s/a"
            concurrency: {adaptive: false, max: 1, queue_size: 0}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
        """.formatted(e2e.up().baseUrl())).eventLoops(1));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket reader : readers) {
      reader.close();
    }
  }

  /** Asks for an endless answer and reads none of it: the deployment's only connection stays busy. */
  private void slowReader(String path) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e2e.gw().port()));
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    readers.add(socket);
  }

  @Test
  void anAttemptOnADeploymentWithEveryConnectionBusyGoesToASiblingWithRoom() throws IOException {
    slowReader("/t/api/big");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/a/big") + e2e.up().count("/b/big") == 1);
    String busy = e2e.up().count("/a/big") == 1 ? "a" : "b";
    String free = busy.equals("a") ? "b" : "a";

    // The round robin sends every other attempt to the busy deployment; a POST without a key is safe to move
    // too, since the busy pool refused it before a byte was sent.
    for (int i = 0; i < 4; i++) {
      TestHttp.Res res = e2e.gw().http.post("/t/api/post", "{\"n\": " + i + "}");
      assertThat(res.status()).as(res.body()).isEqualTo(200);
      assertThat(res.header("X-ReliAPI-Deployment")).isEqualTo(free);
    }
    assertThat(e2e.up().count("/" + free + "/post")).isEqualTo(4);
    assertThat(e2e.up().count("/" + busy + "/post")).isZero();
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_upstream_attempts_total", "target", "api", "deployment", busy,
        "result", "overloaded")).as("the busy deployment was tried and refused").isPositive();
    assertThat(metrics.value("reliapi_circuit_state", "target", "api")).isZero();
  }

  @Test
  void anAttemptShedByTheTargetsConcurrencyLimitIsNotSentToASibling() {
    e2e.gw().http.getAsync("/t/capped/held");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/a/held") + e2e.up().count("/b/held") == 1);

    TestHttp.Res shed = e2e.gw().http.get("/t/capped/held");
    assertThat(shed.status()).isEqualTo(503);
    assertThat(shed.json().get("code").asText()).isEqualTo("OVERLOADED");
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_concurrency_shed_total", "target", "capped"))
        .as("shed once, not once per deployment").isEqualTo(1.0);
    assertThat(e2e.up().count("/a/held") + e2e.up().count("/b/held")).isEqualTo(1);
  }
}
