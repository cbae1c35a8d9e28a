package io.reliapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.FailoverBenchConfig;
import io.reliapi.testing.FailoverClient;
import io.reliapi.testing.FailoverRunner;
import io.reliapi.testing.FailoverScenario;
import io.reliapi.testing.FailoverScenarios;
import io.reliapi.testing.FailoverScorecard;
import io.reliapi.testing.FaultWall;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.WallTiming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * failoverbench's sixteen provider faults, streamed through the real gateway's {@code /v1/chat/completions}
 * from the benchmark's fault wall, scored by its rules under the {@code test} profile (one wall and one gateway
 * for the class). What holds today: no scenario fails (no hang, no truncated answer presented as complete,
 * no required conduct check broken) and the gateway answers a healthy call after each. The verdicts are
 * recorded in {@code target/failover-scorecard.md}; the stream-commit work (issue 13) tightens them.
 */
class FailoverBenchEndToEndTest {
  static FaultWall wall;
  static GatewayHarness gateway;
  static FailoverRunner runner;
  static final FailoverScorecard CARD = new FailoverScorecard("ReliAPI /v1/chat/completions", "test");

  @BeforeAll
  static void start() {
    wall = FaultWall.start(WallTiming.TEST);
    gateway = GatewayHarness.yaml(FailoverBenchConfig.yaml(wall.baseUrl(), FailoverBenchConfig.Budget.TEST)).start();
    runner = new FailoverRunner(wall, new FailoverClient(gateway.http.url("/v1")), FailoverRunner::targetPrefixed,
        Set.of("fallback"));
    assertThat(runner.warmUp().complete()).as("the gateway answers a healthy call").isTrue();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      String markdown = CARD.markdown();
      System.out.println(markdown);
      Files.writeString(Files.createDirectories(Path.of("target")).resolve("failover-scorecard.md"), markdown);
    } finally {
      gateway.close();
      wall.close();
    }
  }

  static List<FailoverScenario> scenarios() {
    return FailoverScenarios.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void neverHangsNorPresentsATruncatedAnswerAsCompleteAndStaysHealthy(FailoverScenario scenario) {
    FailoverScorecard.ScenarioResult result = runner.run(scenario);
    CARD.add(result);

    assertThat(result.verdictName()).as("%s: %s; wall: %s", scenario.id(), result.verdict().reason(),
        result.metrics().wall()).isNotEqualTo("fail");
    assertThat(result.metrics().aliveAfter()).as("a healthy call afterwards: %s", result.metrics().aliveError())
        .isTrue();
  }
}
