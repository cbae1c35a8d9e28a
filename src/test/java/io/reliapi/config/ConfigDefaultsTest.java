package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.config.RetryMatrix.ErrorClass;
import org.junit.jupiter.api.Test;

/** A default never makes a config invalid: it follows the values written beside it. */
class ConfigDefaultsTest {

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, name -> null);
  }

  @Test
  void theDefaultOutputFloorFollowsASmallMaxTokensDown() {
    LlmConfig llm = parse("""
        targets:
          small: {base_url: 'http://x', llm: {provider: openai, default_model: m, max_tokens: 10}}
        """).target("small").orElseThrow().llm().orElseThrow();
    assertThat(llm.maxTokens()).isEqualTo(10);
    assertThat(llm.minOutputTokens()).isEqualTo(10);
  }

  @Test
  void keepsTheDefaultOutputFloorBelowALargerMaxTokens() {
    LlmConfig llm = parse("""
        targets:
          big: {base_url: 'http://x', llm: {provider: openai, default_model: m, max_tokens: 500}}
        """).target("big").orElseThrow().llm().orElseThrow();
    assertThat(llm.minOutputTokens()).isEqualTo(LlmConfig.DEFAULT_MIN_OUTPUT_TOKENS);
  }

  @Test
  void stillRefusesAnOutputFloorWrittenAboveMaxTokens() {
    assertThatThrownBy(() -> parse("""
        targets:
          small: {base_url: 'http://x', llm: {provider: openai, default_model: m, max_tokens: 10, min_output_tokens: 20}}
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
        "targets.small.llm.min_output_tokens: must not exceed max_tokens (10) (got 20)"));
  }

  @Test
  void theDefaultConnectTimeoutFollowsAShortTimeoutDown() {
    TargetConfig target = parse("targets: {fast: {base_url: 'http://x', timeout_ms: 800}}").target("fast").orElseThrow();
    assertThat(target.connectTimeoutMs()).isEqualTo(800);
  }

  @Test
  void theDefaultRetryBaseStaysWithinAWrittenMax() {
    var rule = parse("targets: {a: {base_url: 'http://x', retry_matrix: {'429': {max_s: 0.05}}}}")
        .target("a").orElseThrow().retry().rule(ErrorClass.RATE_LIMITED);
    assertThat(rule.baseS()).isEqualTo(0.05);
    assertThat(rule.maxS()).isEqualTo(0.05);
  }

  @Test
  void theDefaultRetryMaxGrowsToAWrittenBase() {
    var rule = parse("targets: {a: {base_url: 'http://x', retry_matrix: {net: {base_s: 30}}}}")
        .target("a").orElseThrow().retry().rule(ErrorClass.NETWORK);
    assertThat(rule.baseS()).isEqualTo(30);
    assertThat(rule.maxS()).isEqualTo(30);
  }

  @Test
  void stillRefusesAWrittenMaxBelowAWrittenBase() {
    assertThatThrownBy(() -> parse("targets: {a: {base_url: 'http://x', retry_matrix: {'5xx': {base_s: 2, max_s: 1}}}}"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "targets.a.retry_matrix.5xx.max_s: must be at least base_s (2.0) (got 1)"));
  }
}
