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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found in review: when the sibling an ejection moved the attempt to refused it before sending it (its only
 * connection busy), the client got the gateway's own 503 ({@code OVERLOADED}, or {@code CIRCUIT_OPEN} when no
 * deployment was left to choose) and the deployment's 401 was already discarded. The refusal goes back as it came, as
 * an overload move's answer does. One event loop, so a deployment's pool is exactly {@code max_connections}.
 */
class EjectionMoveRefusedBySiblingEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private Socket holder;

  @BeforeEach
  void start() {
    e2e.up().otherwise("* /a/held", Behavior.silence());
    e2e.up().otherwise("* /b/held", Behavior.silence());
    var refused = Behavior.respond(401, Map.of("Content-Type", "text/plain"), "key revoked");
    e2e.up().otherwise("* /a/x", refused);
    e2e.up().otherwise("* /b/x", refused);
    e2e.start(GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        targets:
          api:
            base_url: "%1$s/a"
            auth: {type: bearer_env, env_var: API_KEY}
            max_connections: 1
            circuit: {enabled: false}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
        """.formatted(e2e.up().baseUrl())).env("API_KEY", "operator-key").eventLoops(1));
  }

  @AfterEach
  void stop() throws IOException {
    holder.close();
  }

  @Test
  void theRefusalGoesBackWhenTheSiblingsPoolIsFull() throws IOException {
    holder = new Socket();
    holder.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e2e.gw().port()));
    holder.getOutputStream().write("GET /t/api/held HTTP/1.1\r\nHost: localhost\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    holder.getOutputStream().flush();
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/a/held") + e2e.up().count("/b/held") == 1);
    String free = e2e.up().count("/a/held") == 1 ? "b" : "a";
    // Wherever it starts, the request reaches the free deployment (at once, or moved for the other's full pool),
    // whose refusal ejects it and moves the attempt to the busy one, which cannot send it.
    TestHttp.Res answer = e2e.gw().http.get("/t/api/x");
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.body()).isEqualTo("key revoked");
    assertThat(answer.header("X-ReliAPI-Deployment")).isEqualTo(free);
    assertThat(e2e.up().count("/" + free + "/x")).isEqualTo(1);
    var metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_deployment_ejections_total", "target", "api")).isEqualTo(1.0);
    assertThat(metrics.value("reliapi_deployment_moves_total", "target", "api", "reason", "refused")).isEqualTo(1.0);
  }
}
