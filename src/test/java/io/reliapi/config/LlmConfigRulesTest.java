package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LlmConfigRulesTest {

  @Test
  void aFallbackChainCannotMixLlmAndHttpTargets() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: gpt-4o-mini}
            fallback_targets: [plain]
          plain:
            base_url: https://api.example.com
            fallback_targets: [openai]
        """, name -> null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.contains("targets.openai.fallback_targets") && p.contains("must be LLM targets"))
            .anyMatch(p -> p.contains("targets.plain.fallback_targets") && p.contains("must not be LLM targets")));
  }

  @Test
  void anLlmChainAcrossProvidersIsValid() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: gpt-4o-mini}
            fallback_targets: [claude]
          claude:
            base_url: https://api.anthropic.com/v1
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
        """, name -> null);
    assertThat(config.target("openai").orElseThrow().fallbackTargets()).containsExactly("claude");
  }

  @Test
  void rawPathsAreWholePathPrefixesWithoutATrailingSlash() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: gpt-4o-mini, raw_paths: [/models, /files/, /, /fine_tuning/jobs]}
          closed:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: gpt-4o-mini}
        """, name -> null);
    assertThat(config.target("openai").orElseThrow().llm().orElseThrow().rawPaths())
        .containsExactly("/models", "/files", "/", "/fine_tuning/jobs");
    assertThat(config.target("closed").orElseThrow().llm().orElseThrow().rawPaths()).isEmpty();
  }

  @Test
  void refusesRawPathsThatAreNotPlainPathPrefixes() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: gpt-4o-mini,
                  raw_paths: [models, "/a//b", /a/../chat, "/files?x=1", "/%66iles", /ok]}
        """, name -> null))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).hasSize(5);
          assertThat(e.problems())
              .allMatch(p -> p.contains("targets.openai.llm.raw_paths[") && p.contains("path prefix"));
        });
  }

  @Test
  void readsTheStreamRulesAndKeepsTodaysTimeoutsWhereTheyAreUnset() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            timeout_ms: 20000
            llm: {provider: openai, default_model: gpt-4o-mini, stream_commit: complete, first_token_timeout_ms: 5000,
                  stream_idle_timeout_ms: 8000, stream_keepalive_s: 3, context_fallback: [big],
                  fallback_on_content_filter: true}
          big:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: gpt-4.1}
        """, name -> null);
    LlmFaultRules rules = config.target("openai").orElseThrow().llm().orElseThrow().faults();
    assertThat(rules.streamCommit()).isEqualTo(LlmFaultRules.StreamCommit.COMPLETE);
    assertThat(rules.firstTokenTimeoutMs()).contains(5000L);
    assertThat(rules.streamIdleTimeoutMs()).contains(8000L);
    assertThat(rules.streamKeepaliveS()).isEqualTo(3);
    assertThat(rules.contextFallback()).containsExactly("big");
    assertThat(rules.fallbackOnContentFilter()).isTrue();
    assertThat(config.target("big").orElseThrow().llm().orElseThrow().faults()).isEqualTo(LlmFaultRules.DEFAULTS);
  }

  @Test
  void refusesStreamRulesThatCannotHold() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            timeout_ms: 5000
            llm: {provider: openai, default_model: gpt-4o-mini, stream_commit: later, first_token_timeout_ms: 6000,
                  context_fallback: [openai, ghost, plain]}
          plain:
            base_url: https://api.example.com
        """, name -> null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.contains("targets.openai.llm.stream_commit") && p.contains("none, first_token, complete"))
            .anyMatch(p -> p.contains("targets.openai.llm.first_token_timeout_ms") && p.contains("timeout_ms (5000)"))
            .anyMatch(p -> p.contains("targets.openai.llm.context_fallback") && p.contains("its own context fallback"))
            .anyMatch(p -> p.contains("\"ghost\"") && p.contains("unknown target"))
            .anyMatch(p -> p.contains("\"plain\"") && p.contains("must be LLM targets")));
  }

  @Test
  void streamResumeIsOffByDefaultAndOnlyForProvidersThatCanContinueAnAnswer() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          claude:
            base_url: https://api.anthropic.com/v1
            llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true}
          mistral:
            base_url: https://api.mistral.ai/v1
            llm: {provider: mistral, default_model: mistral-small-latest, stream_resume: true}
          plain:
            base_url: https://api.anthropic.com/v1
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
        """, name -> null);
    assertThat(config.target("claude").orElseThrow().llm().orElseThrow().faults().streamResume()).isTrue();
    assertThat(config.target("mistral").orElseThrow().llm().orElseThrow().faults().streamResume()).isTrue();
    assertThat(config.target("plain").orElseThrow().llm().orElseThrow().faults().streamResume()).isFalse();

    assertThatThrownBy(() -> ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: gpt-4o-mini, stream_resume: true}
          gemini:
            base_url: https://generativelanguage.googleapis.com/v1beta
            llm: {provider: gemini, default_model: gemini-2.5-flash, stream_resume: true}
        """, name -> null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.contains("targets.openai.llm.stream_resume") && p.contains("anthropic or mistral"))
            .anyMatch(p -> p.contains("targets.gemini.llm.stream_resume") && p.contains("anthropic or mistral")));
  }
}
