package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/messages/count_tokens} runs the target's cache for every count and, where the provider counts, the
 * retries of an attempt (docs/anthropic-api.md): a repeated count is a hit, whoever counted it; a provider count that
 * failed with a 5xx is asked again before the gateway's own estimate stands in.
 */
class CountTokensCacheAndRetryEndToEndTest {
  static final String BODY = "{\"model\": \"%s\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello there\"}]}";
  /** The members both targets share, indented as members of a target. */
  static final String TARGET = """
      retry_matrix: {"429": {attempts: 1}, "5xx": {attempts: 2, backoff: constant, base_s: 0.01, max_s: 0.01},
                     net: {attempts: 1}, timeout: {attempts: 1}}
      cache: {ttl_s: 300}""".indent(4).stripTrailing();

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: app, key_env: APP_KEY}
      targets:
        claude:
          base_url: "%1$s/claude/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
      %2$s
        gpt:
          base_url: "%1$s/gpt/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
      %2$s
      """.formatted(up.baseUrl(), TARGET)).env("APP_KEY", "k-app"));

  static Res count(String model, String... extra) {
    String[] headers = new String[4 + extra.length];
    System.arraycopy(new String[] {"x-api-key", "k-app", "anthropic-version", "2023-06-01"}, 0, headers, 0, 4);
    System.arraycopy(extra, 0, headers, 4, extra.length);
    return e2e.gw().http.post("/v1/messages/count_tokens", BODY.formatted(model), headers);
  }

  @Test
  void aRepeatedProviderCountIsServedFromTheTargetsCache() {
    e2e.up().otherwise("POST /claude/v1/messages/count_tokens",
        Behavior.respond(200, LlmBehaviors.anthropicHeaders(), "{\"input_tokens\": 11}"));
    Res first = count("claude/claude-haiku-4-5", "Cache-Control", "no-cache");
    Res again = count("claude/claude-haiku-4-5");

    assertThat(first.json().get("input_tokens").asInt()).isEqualTo(11);
    assertThat(again.json().get("input_tokens").asInt()).isEqualTo(11);
    assertThat(again.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(e2e.up().count("/claude/v1/messages/count_tokens")).isEqualTo(1);
  }

  @Test
  void aRepeatedCountOfTheGatewaysOwnIsServedFromTheTargetsCache() {
    Res first = count("gpt/gpt-4o-mini", "Cache-Control", "no-cache");
    Res again = count("gpt/gpt-4o-mini");

    assertThat(first.header("X-ReliAPI-Token-Count")).isEqualTo("estimate");
    assertThat(again.json().get("input_tokens")).isEqualTo(first.json().get("input_tokens"));
    assertThat(again.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void aProviderCountThatFailedWithA5xxIsAskedAgain() {
    e2e.up().script("POST /claude/v1/messages/count_tokens", LlmBehaviors.anthropicError(529, "overloaded_error",
        "Overloaded", java.util.Map.of()));
    e2e.up().otherwise("POST /claude/v1/messages/count_tokens",
        Behavior.respond(200, LlmBehaviors.anthropicHeaders(), "{\"input_tokens\": 12}"));

    Res r = count("claude/claude-haiku-4-5", "Cache-Control", "no-store");

    assertThat(r.json().get("input_tokens").asInt()).isEqualTo(12);
    assertThat(r.header("X-ReliAPI-Token-Count")).isEqualTo("provider");
    assertThat(r.header("X-Retries")).isEqualTo("1");
    assertThat(e2e.up().count("/claude/v1/messages/count_tokens")).isEqualTo(2);
  }
}
