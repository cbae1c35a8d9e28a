package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reload of an unchanged file answers "unchanged" only if two loads of the same text give equal targets
 * ({@code Reloader} compares them): no component of a target may compare by identity (a pattern, an array, a lambda).
 */
class TargetsAcrossLoadsTest {
  private static final Map<String, String> ENV = Map.of("PAY_KEY", "pk", "OPENAI_API_KEY", "sk", "AZ_KEY", "az");

  @Test
  void twoLoadsOfTheSameTextGiveEqualTargetsWithEveryKindOfTargetBlock() throws IOException {
    TestCertificates certs = TestCertificates.create(Files.createTempDirectory("reliapi-loads").resolve("ca"));
    String text = """
        targets:
          pay:
            base_url: "https://pay.internal/v1"
            timeout_ms: 5000
            connect_timeout_ms: 1000
            deadline_ms: 20000
            max_connections: 64
            retry_matrix:
              "5xx": {attempts: 3, backoff: exp-jitter, base_s: 0.2, max_s: 2}
              net: {attempts: 2, backoff: constant, base_s: 0.1}
            circuit: {error_threshold: 3, cooldown_s: 30, half_open_calls: 2, failure_rate_percent: 50,
                      slow_call_ms: 2000, slow_call_rate_percent: 80, window: {type: time, size: 60, min_calls: 5}}
            cache: {ttl_s: 60, shared: true}
            idempotency: {ttl_s: 3600, coalesce_timeout_s: 10, forward_header: Idempotency-Key}
            auth: {type: header_env, env_var: PAY_KEY, header: X-Pay-Key, prefix: "Key "}
            fallback_targets: [backup]
            hedge: {after_ms: 300}
            retry_budget: {percent: 10, min_per_s: 1, window_s: 20}
            concurrency: {adaptive: true, min: 4, max: 100, queue_size: 10, queue_timeout_ms: 500}
            tls: {ca_file: "%1$s", cert_file: "%2$s", key_file: "%3$s"}
          gpt:
            tls: {ca_file: "%1$s"}
            stream_max_s: 120
            deployment_cooldown_s: 20
            deployments:
              - {name: east, base_url: "https://east.example.com/v1", weight: 3, model: gpt-4o-east,
                 auth: {type: bearer_env, env_var: AZ_KEY}}
              - {name: west, base_url: "http://west.internal/v1"}
            auth: {type: bearer_env, env_var: OPENAI_API_KEY}
            hedge: {after_percentile: 95, llm: true}
            llm:
              provider: openai
              default_model: gpt-4o-mini
              max_tokens: 512
              soft_cost_cap_usd: 0.01
              hard_cost_cap_usd: 0.05
              budget: {daily_usd: 20, monthly_usd: 300}
              prices:
                gpt-4o-east: {input_per_1m: 2.5, output_per_1m: 10, cache_read_per_1m: 1.25, reasoning_per_1m: 12,
                              max_input_tokens: 128000}
              limits: {rpm: 600, tpm: 100000}
              query: {api-version: "2024-10-21", b: "2"}
              max_tokens_field: max_tokens
              raw_paths: [/v1/embeddings]
              stream_commit: complete
              first_token_timeout_ms: 3000
              stream_idle_timeout_ms: 4000
              stream_keepalive_s: 5
              context_fallback: [claude]
              fallback_on_content_filter: true
              reference_tokens: 2000
          backup:
            base_url: "http://backup.internal"
          claude:
            base_url: "https://api.anthropic.com/v1"
            llm: {provider: anthropic, default_model: claude-3-5-haiku-latest, anthropic_version: "2023-06-01"}
        """.formatted(certs.caCert(), certs.clientCert(), certs.clientKey());
    GatewayConfig first = ConfigLoader.parse(text, ENV::get);
    GatewayConfig second = ConfigLoader.parse(text, ENV::get);
    assertThat(first.targets().keySet()).containsExactly("pay", "gpt", "backup", "claude");
    assertThat(second.targets()).isEqualTo(first.targets());
    assertThat(second.targets().hashCode()).isEqualTo(first.targets().hashCode());
  }

  @Test
  void twoLoadsOfEachExampleConfigGiveEqualTargets() throws IOException {
    try (var files = Files.list(Path.of("examples"))) {
      for (Path yaml : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        String text = Files.readString(yaml);
        GatewayConfig first;
        try {
          first = ConfigLoader.parse(text, name -> "secret-of-" + name);
        } catch (ConfigException e) {
          throw new AssertionError(yaml + ": " + e.problems());
        }
        assertThat(ConfigLoader.parse(text, name -> "secret-of-" + name).targets()).as(yaml.toString())
            .isEqualTo(first.targets());
      }
    }
  }
}
