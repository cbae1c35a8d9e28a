package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-client quotas in the shared stores (issue 11, item 11): read, defaulted and checked. */
class QuotaConfigTest {
  private static final String TARGETS = "targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n";
  private static final Map<String, String> ENV = Map.of("A_KEY", "a-secret", "B_KEY", "b-secret",
      "RELIAPI_API_KEY", "default-secret");

  private static GatewayConfig parse(String clients) {
    return ConfigLoader.parse("clients:\n" + clients + TARGETS, ENV::get);
  }

  @Test
  void aClientsQuotaIsReadAndWhatItLeavesOutDefaults() {
    GatewayConfig config = parse("""
          - {name: a, key_env: A_KEY, quota: {idempotency_records: 500, cache_bytes: 1048576}}
          - {name: b, key_env: B_KEY, quota: {cache_bytes: 0}}
        """);
    assertThat(config.clients().get(0).quota()).isEqualTo(new QuotaConfig(500, 1_048_576));
    assertThat(config.clients().get(1).quota()).isEqualTo(new QuotaConfig(100_000, 0));
  }

  @Test
  void clientsWithoutAQuotaAndTheEnvironmentsDefaultClientGet100000RecordsAnd64MiB() {
    GatewayConfig config = parse("  - {name: a, key_env: A_KEY}\n");
    assertThat(config.clients()).hasSize(2).allSatisfy(client ->
        assertThat(client.quota()).isEqualTo(new QuotaConfig(100_000, 64L * 1024 * 1024)));
  }

  @Test
  void badQuotasAreRejectedWithTheirKeyPath() {
    assertThatThrownBy(() -> parse("""
          - {name: a, key_env: A_KEY, quota: {idempotency_records: -1, cache_bytes: "lots", records: 5}}
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).startsWith("clients[0].quota.idempotency_records"))
            .anySatisfy(p -> assertThat(p).startsWith("clients[0].quota.cache_bytes"))
            .anySatisfy(p -> assertThat(p).startsWith("clients[0].quota.records")));
  }
}
