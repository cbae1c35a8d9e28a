package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed README's configuration examples load as written (SPEC §5). */
class SeedExamplesTest {
  private static final Map<String, String> ENV = Map.of("API_KEY", "k", "OPENAI_API_KEY", "sk");

  @Test
  void minimalHttpTargetLoads() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          my_api:
            base_url: "https://api.example.com"
            timeout_ms: 10000
            circuit:
              error_threshold: 5
              cooldown_s: 60
            cache:
              ttl_s: 300
              enabled: true
            auth:
              type: bearer_env
              env_var: API_KEY
        """, ENV::get);
    assertThat(config.target("my_api").orElseThrow().cache().orElseThrow().ttlS()).isEqualTo(300);
  }

  @Test
  void llmTargetWithBudgetCapsLoads() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          openai:
            base_url: "https://api.openai.com/v1"
            timeout_ms: 20000
            llm:
              provider: "openai"
              default_model: "gpt-4o-mini"
              max_tokens: 1024
              soft_cost_cap_usd: 0.01    # Throttle if exceeded
              hard_cost_cap_usd: 0.05    # Reject if exceeded
            cache:
              ttl_s: 3600
            auth:
              type: bearer_env
              env_var: OPENAI_API_KEY
        """, ENV::get);
    assertThat(config.target("openai").orElseThrow().llm().orElseThrow().hardCostCapUsd()).contains(0.05);
  }

  @Test
  void everyExampleConfigInTheRepositoryLoads() throws Exception {
    try (var files = Files.list(Path.of("examples"))) {
      var yamls = files.filter(f -> f.toString().endsWith(".yaml")).toList();
      assertThat(yamls).isNotEmpty();
      for (Path file : yamls) {
        assertThat(ConfigLoader.load(file, name -> "example-" + name)).as(file.toString()).isNotNull();
      }
    }
  }
}
