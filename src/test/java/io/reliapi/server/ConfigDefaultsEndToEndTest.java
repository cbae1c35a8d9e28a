package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A gateway whose config writes only some values runs with defaults that follow them (no startup error). */
class ConfigDefaultsEndToEndTest {
  static final ManualClock CLOCK = new ManualClock();
  static final ManualScheduler SCHEDULER = ManualScheduler.auto(CLOCK);

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        small:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 10, soft_cost_cap_usd: 0.5}
        quick:
          base_url: "%1$s"
          circuit: {enabled: false}
          retry_matrix: {"5xx": {attempts: 3, backoff: constant, max_s: 0.05}}
      """.formatted(up.baseUrl())).clock(CLOCK, SCHEDULER));

  @Test
  void servesAnLlmTargetWhoseMaxTokensIsBelowTheDefaultOutputFloor() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 9, 2));
    var r = e2e.gw().http.post("/proxy/llm",
        "{\"target\": \"small\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 500}");
    assertThat(r.status()).isEqualTo(200);
    var sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("max_tokens").asInt()).as("capped by the target's max_tokens").isEqualTo(10);
  }

  @Test
  void retriesWithinAWrittenMaxDelayWhenTheBaseDelayIsLeftToItsDefault() {
    e2e.up().script("GET /flaky", Behavior.status(503), Behavior.status(503), Behavior.status(200));
    int before = SCHEDULER.requestedDelaysMs().size();
    assertThat(e2e.gw().http.get("/t/quick/flaky").status()).isEqualTo(200);
    List<Long> delays = SCHEDULER.requestedDelaysMs().subList(before, SCHEDULER.requestedDelaysMs().size());
    assertThat(delays).containsExactly(50L, 50L);
  }
}
