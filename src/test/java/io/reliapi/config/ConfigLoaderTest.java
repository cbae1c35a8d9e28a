package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.config.RetryMatrix.Backoff;
import io.reliapi.config.RetryMatrix.ErrorClass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static final Map<String, String> ENV = Map.of(
      "API_KEY", "k-api", "OPENAI_API_KEY", "sk-test", "BACKEND_KEY", "backend-secret");

  static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, ENV::get);
  }

  static List<String> problems(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the config to be rejected");
  }

  @Test
  void loadsTheSpecExampleWithEveryKey() {
    GatewayConfig config = parse("""
        server: {host: 127.0.0.1, port: 8000, max_body_bytes: 10485760, max_response_bytes: 10485760, deadline_ms: 60000}
        redis: {url: redis://localhost:6379/0, on_unavailable: fail_closed}
        default_llm_target: openai
        clients:
          - {name: backend, key_env: BACKEND_KEY, targets: [my_api, openai],
             budget: {daily_usd: 5}, rate_limit: {rps: 50, burst: 100}}
        targets:
          my_api:
            base_url: https://api.example.com
            timeout_ms: 10000
            retry_matrix: {"429": {attempts: 3, backoff: exp-jitter, base_s: 1, max_s: 30}, "5xx": {attempts: 2}}
            deadline_ms: 30000
            circuit: {error_threshold: 5, cooldown_s: 60, half_open_calls: 1}
            cache: {enabled: true, ttl_s: 300, shared: false}
            idempotency: {ttl_s: 86400, coalesce_timeout_s: 30, forward_header: Idempotency-Key}
            auth: {type: bearer_env, env_var: API_KEY}
            fallback_targets: [my_api_backup]
          my_api_backup:
            base_url: https://backup.example.com/v2/
          openai:
            base_url: https://api.openai.com/v1
            timeout_ms: 20000
            llm:
              provider: openai
              default_model: gpt-4o-mini
              max_tokens: 1024
              soft_cost_cap_usd: 0.01
              hard_cost_cap_usd: 0.05
              min_output_tokens: 16
              budget: {daily_usd: 10, monthly_usd: 200}
              prices: {my-finetune: {input_per_1m: 0.3, output_per_1m: 1.2}}
            cache: {ttl_s: 3600}
            auth: {type: bearer_env, env_var: OPENAI_API_KEY}
        """);
    TargetConfig api = config.target("my_api").orElseThrow();
    assertThat(api.baseUrl().toString()).isEqualTo("https://api.example.com");
    assertThat(api.deadlineMs(config.server())).isEqualTo(30_000);
    assertThat(api.retry().rule(ErrorClass.RATE_LIMITED)).isEqualTo(new RetryMatrix.RetryRule(3, Backoff.EXP_JITTER, 1, 30));
    assertThat(api.retry().rule(ErrorClass.SERVER_ERROR).attempts()).isEqualTo(2);
    assertThat(api.retry().rule(ErrorClass.NETWORK)).isEqualTo(RetryMatrix.defaultRule(ErrorClass.NETWORK));
    assertThat(api.idempotency().forwardHeader()).contains("Idempotency-Key");
    assertThat(api.auth().orElseThrow().secret().value()).isEqualTo("k-api");
    assertThat(api.fallbackTargets()).containsExactly("my_api_backup");
    assertThat(config.target("my_api_backup").orElseThrow().baseUrl().getRawPath()).isEqualTo("/v2");
    LlmConfig llm = config.target("openai").orElseThrow().llm().orElseThrow();
    assertThat(llm.softCostCapUsd()).contains(0.01);
    assertThat(llm.prices().get("my-finetune")).isEqualTo(new LlmConfig.ModelPrice(0.3, 1.2));
    assertThat(llm.budget().orElseThrow().monthlyUsd()).contains(200.0);
    ClientConfig backend = config.clients().get(0);
    assertThat(backend.allows("openai")).isTrue();
    assertThat(backend.allows("my_api_backup")).isFalse();
    assertThat(backend.rateLimit().orElseThrow()).isEqualTo(new RateLimitConfig(50, 100));
    assertThat(config.redis().orElseThrow().onUnavailable()).isEqualTo(RedisConfig.OnUnavailable.FAIL_CLOSED);
    assertThat(config.defaultLlmTarget()).contains("openai");
  }

  @Test
  void appliesDocumentedDefaults() {
    GatewayConfig config = parse("targets: {a: {base_url: 'http://localhost:9000'}}");
    ServerConfig server = config.server();
    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(server.port()).isEqualTo(8000);
    assertThat(server.maxBodyBytes()).isEqualTo(10_485_760);
    assertThat(server.deadlineMs()).isEqualTo(60_000);
    TargetConfig a = config.target("a").orElseThrow();
    assertThat(a.timeoutMs()).isEqualTo(30_000);
    assertThat(a.cache()).isEmpty();
    assertThat(a.circuit()).isEqualTo(CircuitConfig.defaults());
    assertThat(a.idempotency()).isEqualTo(IdempotencyConfig.defaults());
    assertThat(a.retry()).isEqualTo(RetryMatrix.defaults());
    assertThat(config.redis()).isEmpty();
    assertThat(config.open()).isTrue();
  }

  @Test
  void namesKeyPathValueAndRuleForEveryProblemAtOnce() {
    List<String> problems = problems("""
        server: {port: 70000}
        targets:
          my_api:
            base_url: ftp://example.com
            timeout_ms: fast
            retry_matrix: {"5xx": {attempts: 0, backoff: random}}
          openai:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: m, hard_cost_cap_usd: -1}
        """);
    assertThat(problems).containsExactlyInAnyOrder(
        "server.port: must be an integer from 0 to 65535 (got 70000)",
        "targets.my_api.base_url: must be an absolute http:// or https:// URL with a host (got \"ftp://example.com\")",
        "targets.my_api.timeout_ms: must be an integer from 1 to 3600000 (got \"fast\")",
        "targets.my_api.retry_matrix.5xx.attempts: must be an integer from 1 to 20 (got 0)",
        "targets.my_api.retry_matrix.5xx.backoff: must be one of exp-jitter, exp, linear, constant (got \"random\")",
        "targets.openai.llm.hard_cost_cap_usd: must be a number from 0 to 1000000 (got -1)");
  }

  @Test
  void readsStreamMaxSInFractionsOfASecondAndStreamsEndAtTheDeadlineWithoutIt() {
    GatewayConfig config = parse("""
        targets:
          downloads: {base_url: 'http://localhost:9000', stream_max_s: 0.25}
          plain: {base_url: 'http://localhost:9000'}
        """);
    TargetConfig downloads = config.target("downloads").orElseThrow();
    assertThat(downloads.streamMaxMs()).contains(250L);
    assertThat(downloads.streamEndNanos(1_000, 99_000_000_000L)).isEqualTo(1_000 + 250_000_000L);
    TargetConfig plain = config.target("plain").orElseThrow();
    assertThat(plain.streamMaxMs()).isEmpty();
    assertThat(plain.streamEndNanos(1_000, 99_000_000_000L)).isEqualTo(99_000_000_000L);
    assertThat(problems("targets: {a: {base_url: 'http://x', stream_max_s: 0}}"))
        .containsExactly("targets.a.stream_max_s: must be a number from 0.001 to 86400 (got 0)");
  }

  @Test
  void rejectsUnknownKeysWithASuggestion() {
    assertThat(problems("targets: {a: {base_url: 'http://x', timeout: 5}}"))
        .containsExactly("targets.a.timeout: unknown key, did you mean \"timeout_ms\"?");
    assertThat(problems("servr: {}\ntargets: {a: {base_url: 'http://x'}}"))
        .containsExactly("servr: unknown key, did you mean \"server\"?");
  }

  @Test
  void reportsUnsetEnvironmentVariablesWithListIndexes() {
    assertThat(problems("""
        clients: [{name: a, key_env: NOT_SET_ANYWHERE}]
        targets: {a: {base_url: 'http://x', auth: {type: bearer_env, env_var: ALSO_NOT_SET}}}
        """)).containsExactlyInAnyOrder(
        "clients[0].key_env: names an environment variable that is not set (got \"NOT_SET_ANYWHERE\")",
        "targets.a.auth.env_var: names an environment variable that is not set (got \"ALSO_NOT_SET\")");
  }

  @Test
  void aKeyPastedWhereItsVariablesNameBelongsIsNotRepeated() {
    // Problems go on to stderr, the admin API's last reload and the status page.
    List<String> pasted = problems("""
        admin: {keys_env: "sk-live-4f9a"}
        clients: [{name: a, key_env: ghp_abc123}]
        targets: {a: {base_url: 'http://x', auth: {type: bearer_env, env_var: "Bearer xyz"}}}
        """);
    assertThat(pasted).hasSize(3).allSatisfy(line -> assertThat(line)
        .contains("names an environment variable that is not set; its value is not repeated")
        .doesNotContain("sk-live", "ghp_", "xyz"));
    assertThat(pasted).anySatisfy(line -> assertThat(line).startsWith("clients[0].key_env: "));
  }

  @Test
  void rejectsUnknownFallbackTargetsAndCycles() {
    assertThat(problems("targets: {a: {base_url: 'http://x', fallback_targets: [ghost]}}"))
        .containsExactly("targets.a.fallback_targets: names an unknown target (got \"ghost\")");
    List<String> cycle = problems("""
        targets:
          a: {base_url: 'http://x', fallback_targets: [b]}
          b: {base_url: 'http://y', fallback_targets: [a]}
        """);
    assertThat(cycle).contains(
        "targets.a.fallback_targets: fallback chains must not lead back to a target already in the chain (got \"a -> b -> a\")");
    assertThat(problems("targets: {a: {base_url: 'http://x', fallback_targets: [a]}}")).hasSize(1);
  }

  @Test
  void checksCrossFieldRules() {
    assertThat(problems("""
        default_llm_target: plain
        clients:
          - {name: one, key_env: BACKEND_KEY, targets: [nowhere]}
          - {name: one, key_env: BACKEND_KEY}
        targets:
          plain: {base_url: 'http://x', cache: {shared: true}}
          llm: {base_url: 'http://y', llm: {provider: openai, default_model: m, soft_cost_cap_usd: 2, hard_cost_cap_usd: 1}}
        """)).containsExactlyInAnyOrder(
        "default_llm_target: must name a target with an llm block (got \"plain\")",
        "clients[0].targets: names an unknown target (got \"nowhere\")",
        "clients[1].name: client names must be unique (got \"one\")",
        "clients[1].key_env: holds the same key as clients[0]; every client needs its own key (got \"BACKEND_KEY\")",
        "targets.plain.cache.ttl_s: is required in a cache block (got nothing)",
        "targets.llm.llm.soft_cost_cap_usd: must not exceed hard_cost_cap_usd (1.0) (got 2)");
  }

  @Test
  void rejectsUrlsWithCredentialsWithoutRepeatingThemAndOddTargetNames() {
    assertThat(problems("targets: {'a.b': {base_url: 'https://user:pw@example.com'}}")).containsExactlyInAnyOrder(
        "targets.a.b: target names use only letters, digits, '_' and '-' (got \"a.b\")",
        "targets.a.b.base_url: must not carry credentials; use the target's auth block");
    assertThat(problems("targets: {a: {base_url: 'https://api.example.com/v1?key=SECRET'}}"))
        .containsExactly("targets.a.base_url: must not have a query or fragment");
  }

  @Test
  void reportsYamlSyntaxAndDuplicateKeys() {
    assertThat(problems("targets: {a: [unclosed")).singleElement().asString().startsWith("config: not valid YAML at line");
    assertThat(problems("targets:\n  a: {base_url: 'http://x'}\n  a: {base_url: 'http://y'}\n"))
        .singleElement().asString().contains("found duplicate key a");
  }

  @Test
  void requiresAtLeastOneTarget() {
    assertThat(problems("server: {port: 1}")).containsExactly("targets: at least one target is required (got nothing)");
  }

  @Test
  void addsTheSingleKeyFromReliapiApiKey() {
    GatewayConfig config = ConfigLoader.parse("targets: {a: {base_url: 'http://x'}}",
        Map.of("RELIAPI_API_KEY", "only-key")::get);
    assertThat(config.open()).isFalse();
    assertThat(config.clients()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("default");
      assertThat(c.key().toString()).doesNotContain("only-key");
    });
  }

  @Test
  void picksTheOnlyLlmTargetAsDefault() {
    GatewayConfig config = parse("""
        targets:
          a: {base_url: 'http://x'}
          b: {base_url: 'http://y', llm: {provider: anthropic, default_model: claude}}
        """);
    assertThat(config.defaultLlmTarget()).contains("b");
    assertThat(config.target("b").orElseThrow().llm().orElseThrow().anthropicVersion()).isEqualTo("2023-06-01");
  }

  @Test
  void resolvesAnchorsAliasesAndMergeKeys() {
    GatewayConfig config = parse("""
        x-fast: &fast {attempts: 2, backoff: constant, base_s: 0.1}
        targets:
          a: &base {base_url: 'http://x', retry_matrix: {"5xx": *fast, 429: *fast}}
          b: {<<: *base, base_url: 'http://y'}
        """.replace("x-fast: &fast {attempts: 2, backoff: constant, base_s: 0.1}\n", "")
        .replace("*fast", "{attempts: 2, backoff: constant, base_s: 0.1}"));
    assertThat(config.target("b").orElseThrow().baseUrl().toString()).isEqualTo("http://y");
    assertThat(config.target("b").orElseThrow().retry().rule(ErrorClass.RATE_LIMITED).attempts()).isEqualTo(2);
    GatewayConfig aliased = parse("""
        targets:
          a: {base_url: 'http://x', retry_matrix: {"5xx": &fast {attempts: 2}, net: *fast}}
        """);
    assertThat(aliased.target("a").orElseThrow().retry().rule(ErrorClass.NETWORK).attempts()).isEqualTo(2);
  }

  @Test
  void boundsAliasExpansion() {
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x]\n");
    for (int i = 1; i < 30; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
    }
    bomb.append("targets: {t: {base_url: 'http://x'}}\n");
    assertThat(problems(bomb.toString())).singleElement().asString().startsWith("config: not valid YAML");
  }
}
