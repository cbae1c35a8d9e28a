package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The telemetry and admin blocks, server.watch_config, and the keys a reload may not change. */
class OpsConfigTest {
  private static final String TARGETS = "targets: {api: {base_url: \"http://localhost:9\"}}\n";
  private static final Map<String, String> ENV = Map.of("ADMIN_KEYS", " a-1 ,a-2,", "EMPTY_KEYS", ",");

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml + TARGETS, ENV::get);
  }

  private static List<String> problems(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the config to be rejected");
  }

  @Test
  void withoutTheBlocksTelemetryAndTheAdminApiAreOff() {
    GatewayConfig config = parse("");
    assertThat(config.telemetry().enabled()).isFalse();
    assertThat(config.admin().enabled()).isFalse();
    assertThat(config.admin().trailSize()).isEqualTo(1000);
    assertThat(config.server().watchConfig()).isFalse();
  }

  @Test
  void readsEveryKey() {
    GatewayConfig config = parse("""
        server: {watch_config: true}
        telemetry: {otlp_endpoint: "http://collector:4318/v1/traces", sample_ratio: 0.25, service_name: edge}
        admin: {keys_env: ADMIN_KEYS, trail_size: 50}
        """);
    assertThat(config.server().watchConfig()).isTrue();
    assertThat(config.telemetry().otlpEndpoint()).hasValueSatisfying(u -> assertThat(u).hasToString(
        "http://collector:4318/v1/traces"));
    assertThat(config.telemetry().sampleRatio()).isEqualTo(0.25);
    assertThat(config.telemetry().serviceName()).isEqualTo("edge");
    assertThat(config.admin().keys()).extracting(Secret::value).containsExactly("a-1", "a-2");
    assertThat(config.admin().trailSize()).isEqualTo(50);
    assertThat(config.admin().keys().toString()).doesNotContain("a-1");
  }

  @Test
  void badValuesAreReportedWithTheirKeyPaths() {
    assertThat(problems("""
        telemetry: {otlp_endpoint: "collector:4318", sample_ratio: 2, tracing: on}
        admin: {keys_env: UNSET_KEYS, trail_size: 0}
        server: {watch_config: sometimes}
        """)).containsExactlyInAnyOrder(
        "telemetry.otlp_endpoint: must be an http:// or https:// URL, the collector's full traces URL (…/v1/traces) (got \"collector:4318\")",
        "telemetry.sample_ratio: must be a number from 0 to 1 (got 2)",
        "telemetry.tracing: unknown key; allowed here: " + String.join(", ", ConfigReader.SCHEMA.get("telemetry")),
        "admin.keys_env: names an environment variable that is not set (got \"UNSET_KEYS\")",
        "admin.trail_size: must be an integer from 1 to 100000 (got 0)",
        "server.watch_config: must be true or false (got \"sometimes\")");
    assertThat(problems("admin: {keys_env: EMPTY_KEYS}\n"))
        .containsExactly("admin.keys_env: names an environment variable that holds no key (got \"EMPTY_KEYS\")");
  }

  @Test
  void aCollectorUrlWithCredentialsIsRefusedWithoutRepeatingThem() {
    assertThat(problems("telemetry: {otlp_endpoint: \"https://user:s3cret@collector:4318/v1/traces\"}\n"))
        .containsExactly("telemetry.otlp_endpoint: must not carry credentials");
  }

  @Test
  void restartOnlyKeysAreNamedWithBothValuesExceptWhereTheyMayHoldSecrets() {
    GatewayConfig running = parse("redis: {url: \"redis://:pw@localhost:6379\"}\n");
    GatewayConfig loaded = parse("""
        server: {port: 9001, cache_max_bytes: 2048, watch_config: true}
        redis: {url: "redis://:other@localhost:6379"}
        telemetry: {otlp_endpoint: "http://c:4318/v1/traces"}
        admin: {trail_size: 10}
        """);
    assertThat(RestartOnly.changes(running, loaded)).containsExactly(
        "server.port: cannot change without a restart (running 8000, the file says 9001)",
        "server.cache_max_bytes: cannot change without a restart (running " + ServerConfig.DEFAULT_CACHE_MAX_BYTES
            + ", the file says 2048)",
        "server.watch_config: cannot change without a restart (running false, the file says true)",
        "admin.trail_size: cannot change without a restart (running 1000, the file says 10)",
        "redis: cannot change without a restart (the file's redis block differs from the running one)",
        "telemetry: cannot change without a restart (the file's telemetry block differs from the running one)");
    assertThat(RestartOnly.changes(running, parse("redis: {url: \"redis://:pw@localhost:6379\"}\n"
        + "server: {deadline_ms: 5, max_body_bytes: 10}\n"))).isEmpty();
  }
}
