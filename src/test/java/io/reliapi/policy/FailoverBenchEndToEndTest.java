package io.reliapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.FailoverBenchConfig;
import io.reliapi.testing.FailoverClient;
import io.reliapi.testing.FailoverRunner;
import io.reliapi.testing.FailoverScenario;
import io.reliapi.testing.FailoverScenarios;
import io.reliapi.testing.FailoverScorecard;
import io.reliapi.testing.FailoverScorecard.ScenarioResult;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * failoverbench's sixteen provider faults, streamed through the real gateway's {@code /v1/chat/completions}
 * from the benchmark's fault wall, scored by its rules under the {@code test} profile, once per stream commit
 * mode (one wall and one gateway per mode, every target configured with that mode). In every mode nothing hangs,
 * no truncated answer is presented as complete, no required conduct check breaks, and the gateway answers a
 * healthy call after each scenario. {@code first_token} rescues every fault before the first token;
 * {@code complete} rescues all sixteen (S13's rescue is the provider's own reason, returned). The scorecards are
 * written to {@code target/failover-scorecard-<mode>.md}.
 */
class FailoverBenchEndToEndTest {
  /** The scenarios whose fault comes after the provider's first token: a stream cut, stalled or malformed. */
  static final Set<String> AFTER_FIRST_TOKEN = Set.of("S08", "S09", "S10", "S14");

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Mode {
    private final String commit;
    private final FailoverScorecard card;
    private FaultWall wall;
    private GatewayHarness gateway;
    private FailoverRunner runner;

    Mode(String commit) {
      this.commit = commit;
      this.card = new FailoverScorecard("ReliAPI /v1/chat/completions, stream_commit: " + commit, "test");
    }

    @BeforeAll
    void start() {
      wall = FaultWall.start(WallTiming.TEST);
      gateway = GatewayHarness.yaml(FailoverBenchConfig.yaml(wall.baseUrl(), FailoverBenchConfig.Budget.TEST, commit))
          .start();
      runner = new FailoverRunner(wall, new FailoverClient(gateway.http.url("/v1")), FailoverRunner::targetPrefixed,
          Set.of("fallback"));
      assertThat(runner.warmUp().complete()).as("the gateway answers a healthy call").isTrue();
    }

    @AfterAll
    void stop() throws IOException {
      try {
        String markdown = card.markdown();
        System.out.println(markdown);
        Files.writeString(Files.createDirectories(Path.of("target")).resolve("failover-scorecard-" + commit + ".md"),
            markdown);
      } finally {
        gateway.close();
        wall.close();
      }
    }

    List<FailoverScenario> scenarios() {
      return FailoverScenarios.all();
    }

    /** Runs {@code scenario}, checks what holds in every mode, and returns its result. */
    ScenarioResult run(FailoverScenario scenario) {
      ScenarioResult result = runner.run(scenario);
      card.add(result);
      assertThat(result.verdictName()).as("%s: %s; wall: %s", scenario.id(), result.verdict().reason(),
          result.metrics().wall()).isNotEqualTo("fail");
      assertThat(result.metrics().aliveAfter()).as("a healthy call afterwards: %s", result.metrics().aliveError())
          .isTrue();
      return result;
    }

    static void assertRescued(ScenarioResult result) {
      assertThat(result.verdictName()).as("%s: %s; wall: %s", result.scenario().id(), result.verdict().reason(),
          result.metrics().wall()).isIn("pass", "partial");
    }
  }

  @Nested
  class CommittedAtTheFirstEvent extends Mode {
    CommittedAtTheFirstEvent() {
      super("none");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void neverHangsNorPresentsATruncatedAnswerAsCompleteAndStaysHealthy(FailoverScenario scenario) {
      run(scenario);
    }
  }

  @Nested
  class CommittedAtTheFirstToken extends Mode {
    CommittedAtTheFirstToken() {
      super("first_token");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rescuesEveryFaultBeforeTheFirstTokenAndNeverPresentsATruncatedAnswerAsComplete(FailoverScenario scenario) {
      ScenarioResult result = run(scenario);
      if (!AFTER_FIRST_TOKEN.contains(scenario.id())) {
        assertRescued(result);
      }
    }
  }

  @Nested
  class CommittedWhenComplete extends Mode {
    CommittedWhenComplete() {
      super("complete");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rescuesEveryFault(FailoverScenario scenario) {
      assertRescued(run(scenario));
    }
  }
}
