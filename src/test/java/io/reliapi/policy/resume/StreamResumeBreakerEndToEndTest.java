package io.reliapi.policy.resume;

import static io.reliapi.policy.resume.ResumeGateway.MODEL;
import static io.reliapi.policy.resume.ResumeGateway.cutAfter;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the breaker judges continued streams (docs/streaming.md, "An attempt like any other"): each call at its
 * commit point, so a stream broken after it is the success it was then, and a continuation that fails before its
 * own commit point is a failed attempt, as a retry's would be.
 */
class StreamResumeBreakerEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        rated:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3, base_s: 0.001, max_s: 0.001}}
          circuit: {error_threshold: 1000, failure_rate_percent: 50, window: {type: count, size: 4, min_calls: 4}}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true}
        strict:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3, base_s: 0.001, max_s: 0.001}, "5xx": {attempts: 3, base_s: 0.001, max_s: 0.001}}
          circuit: {error_threshold: 1, cooldown_s: 3600}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true}
      """.formatted(up.baseUrl())));

  @Test
  void streamsBrokenAfterTheirCommitPointAndContinuedAreNoBreakerFailures() {
    for (int i = 0; i < 2; i++) {
      e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
          LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" monde"), 30, 3), 1));

      Streamed answer = StreamRoute.V1.call(e2e.gw(), "rated");

      assertThat(answer.whole()).as(answer.body()).isTrue();
      assertThat(answer.text()).isEqualTo("Bonjour monde");
    }

    // Four calls in the window, two of them broken: were a broken stream a failure, 50% would have opened it.
    assertThat(state("rated")).as("closed").isZero();
    assertThat(transitionsTo("rated", "open")).isZero();
  }

  @Test
  void aContinuationRefusedBeforeItsCommitPointIsAFailedAttempt() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        Behavior.respond(500, LlmBehaviors.anthropicHeaders(), "{\"type\":\"error\",\"error\":"
            + "{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"));
    int before = e2e.up().requests().size();

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "strict");

    assertThat(answer.text()).isEqualTo("Bonjour");
    assertThat(answer.error()).as(answer.body()).isNotNull();
    assertThat(state("strict")).as("open after one failed attempt (error_threshold 1)").isEqualTo(1);
    assertThat(e2e.up().requests().size() - before)
        .as("the broken call and one continuation: the open breaker stops the continuation's retries").isEqualTo(2);
  }

  private static double state(String target) {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_circuit_state", "target", target, "deployment", "");
  }

  private static double transitionsTo(String target, String to) {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_circuit_transitions_total", "target", target, "to", to);
  }
}
