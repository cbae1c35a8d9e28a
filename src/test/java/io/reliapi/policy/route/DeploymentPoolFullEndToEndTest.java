package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
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

/**
 * A deployment whose connections are all busy refuses an attempt before sending anything (OVERLOADED): the
 * attempt then goes to a sibling with room, whatever its method, instead of failing. A target's concurrency
 * limit shedding an attempt is another matter: every deployment shares it, so nothing moves. One event loop,
 * so a deployment's pool is exactly {@code max_connections}.
 */
class DeploymentPoolFullEndToEndTest {
  private MockUpstream upstream;
  private GatewayHarness gateway;
  private final List<Socket> readers = new ArrayList<>();

  @BeforeEach
  void start() {
    upstream = MockUpstream.start();
    upstream.otherwise("* /a/big", Behavior.endless("x".repeat(8192)));
    upstream.otherwise("* /b/big", Behavior.endless("x".repeat(8192)));
    upstream.otherwise("* /a/held", Behavior.silence());
    upstream.otherwise("* /b/held", Behavior.silence());
    gateway = GatewayHarness.yaml("""
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
        """.formatted(upstream.baseUrl())).eventLoops(1).start();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket reader : readers) {
      reader.close();
    }
    gateway.close();
    upstream.close();
  }

  /** Asks for an endless answer and reads none of it: the deployment's only connection stays busy. */
  private void slowReader(String path) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    readers.add(socket);
  }

  @Test
  void anAttemptOnADeploymentWithEveryConnectionBusyGoesToASiblingWithRoom() throws IOException {
    slowReader("/t/api/big");
    await().atMost(Duration.ofSeconds(5)).until(() -> upstream.count("/a/big") + upstream.count("/b/big") == 1);
    String busy = upstream.count("/a/big") == 1 ? "a" : "b";
    String free = busy.equals("a") ? "b" : "a";

    // The round robin sends every other attempt to the busy deployment; a POST without a key is safe to move
    // too, since the busy pool refused it before a byte was sent.
    for (int i = 0; i < 4; i++) {
      TestHttp.Res res = gateway.http.post("/t/api/post", "{\"n\": " + i + "}");
      assertThat(res.status()).as(res.body()).isEqualTo(200);
      assertThat(res.header("X-ReliAPI-Deployment")).isEqualTo(free);
    }
    assertThat(upstream.count("/" + free + "/post")).isEqualTo(4);
    assertThat(upstream.count("/" + busy + "/post")).isZero();
    MetricSamples metrics = MetricSamples.scrape(gateway);
    assertThat(metrics.value("reliapi_upstream_attempts_total", "target", "api", "deployment", busy,
        "result", "overloaded")).as("the busy deployment was tried and refused").isPositive();
    assertThat(metrics.value("reliapi_circuit_state", "target", "api")).isZero();
  }

  @Test
  void anAttemptShedByTheTargetsConcurrencyLimitIsNotSentToASibling() {
    gateway.http.getAsync("/t/capped/held");
    await().atMost(Duration.ofSeconds(5)).until(() -> upstream.count("/a/held") + upstream.count("/b/held") == 1);

    TestHttp.Res shed = gateway.http.get("/t/capped/held");
    assertThat(shed.status()).isEqualTo(503);
    assertThat(shed.json().get("code").asText()).isEqualTo("OVERLOADED");
    assertThat(MetricSamples.scrape(gateway).value("reliapi_concurrency_shed_total", "target", "capped"))
        .as("shed once, not once per deployment").isEqualTo(1.0);
    assertThat(upstream.count("/a/held") + upstream.count("/b/held")).isEqualTo(1);
  }
}
