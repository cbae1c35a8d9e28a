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
 * A sibling that refuses a moved attempt before sending it (its only connection busy): the deployment's own answer
 * goes back as it came. Found in review: after an overload move the client got the gateway's own 503 {@code
 * OVERLOADED} instead of the deployment's 503 and its {@code Retry-After}, and the draw on the retry budget was spent
 * for no call (now given back); after an ejection move it got the gateway's 503 ({@code OVERLOADED}, or {@code
 * CIRCUIT_OPEN} when no deployment was left to choose), the 401 already discarded. One event loop, so a deployment's
 * pool is exactly {@code max_connections}.
 */
class SiblingRefusesMoveEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private Socket holder;

  @BeforeEach
  void start() {
    e2e.up().otherwise("* /a/held", Behavior.silence());
    e2e.up().otherwise("* /b/held", Behavior.silence());
    var overloaded = Behavior.respond(503, Map.of("Retry-After", "30"), "overloaded, try in 30 s");
    e2e.up().otherwise("* /a/x", overloaded);
    e2e.up().otherwise("* /b/x", overloaded);
    var refused = Behavior.respond(401, Map.of("Content-Type", "text/plain"), "key revoked");
    e2e.up().otherwise("* /a/r", refused);
    e2e.up().otherwise("* /b/r", refused);
    // A budget of one retry in the window: a draw not given back would refuse the next request's move.
    e2e.start(GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        targets:
          api:
            base_url: "%1$s/a"
            auth: {type: bearer_env, env_var: API_KEY}
            max_connections: 1
            circuit: {enabled: false}
            retry_matrix: {"5xx": {attempts: 3, base_s: 0.01, max_s: 1}}
            retry_budget: {percent: 0, min_per_s: 0.1, window_s: 10}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
        """.formatted(e2e.up().baseUrl())).env("API_KEY", "operator-key").eventLoops(1));
  }

  @AfterEach
  void stop() throws IOException {
    holder.close();
  }

  /** Holds the only connection of one deployment with a call that gets no answer; returns its name. */
  private String holdOne() throws IOException {
    holder = new Socket();
    holder.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e2e.gw().port()));
    holder.getOutputStream().write("GET /t/api/held HTTP/1.1\r\nHost: localhost\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    holder.getOutputStream().flush();
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/a/held") + e2e.up().count("/b/held") == 1);
    return e2e.up().count("/a/held") == 1 ? "a" : "b";
  }

  @Test
  void theOverloadedAnswerGoesBackAndTheDrawIsGivenBackWhenTheSiblingsPoolIsFull() throws IOException {
    String busy = holdOne();
    // A request that starts on the busy deployment moves to the free one for its full pool and is not moved again;
    // one that starts on the free one moves to the busy one for its overload: go on until two did.
    for (int i = 0; i < 20 && moves("overloaded") < 2; i++) {
      TestHttp.Res answer = e2e.gw().http.get("/t/api/x");
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.header("Retry-After")).as("the deployment's own wait").isEqualTo("30");
      assertThat(answer.body()).isEqualTo("overloaded, try in 30 s");
    }
    assertThat(moves("overloaded")).isEqualTo(2.0);
    assertThat(e2e.up().count("/" + busy + "/x")).as("the busy deployment got nothing").isZero();
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_retry_budget_exhausted_total", "target", "api"))
        .as("the budget of one retry refused nothing: each draw came back").isZero();
  }

  @Test
  void theRefusalGoesBackWhenTheSiblingsPoolIsFullAfterAnEjection() throws IOException {
    String free = holdOne().equals("a") ? "b" : "a";
    // Wherever it starts, the request reaches the free deployment (at once, or moved for the other's full pool),
    // whose refusal ejects it and moves the attempt to the busy one, which cannot send it.
    TestHttp.Res answer = e2e.gw().http.get("/t/api/r");
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.body()).isEqualTo("key revoked");
    assertThat(answer.header("X-ReliAPI-Deployment")).isEqualTo(free);
    assertThat(e2e.up().count("/" + free + "/r")).isEqualTo(1);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_deployment_ejections_total", "target", "api"))
        .isEqualTo(1.0);
    assertThat(moves("refused")).isEqualTo(1.0);
  }

  private double moves(String reason) {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_deployment_moves_total", "target", "api", "reason", reason);
  }
}
