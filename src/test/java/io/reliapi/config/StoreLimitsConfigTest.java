package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoreLimitsConfigTest {
  private static final String TARGETS = "targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n";

  @Test
  void bothStoresDefaultTo256MiB() {
    ServerConfig server = ConfigLoader.parse(TARGETS, name -> null).server();
    assertThat(server.cacheMaxBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(server.idempotencyMaxBytes()).isEqualTo(256L * 1024 * 1024);
  }

  @Test
  void limitsAreReadFromTheServerSection() {
    ServerConfig server = ConfigLoader.parse(
        "server: {cache_max_bytes: 65536, idempotency_max_bytes: 1048576}\n" + TARGETS, name -> null).server();
    assertThat(server.cacheMaxBytes()).isEqualTo(65536);
    assertThat(server.idempotencyMaxBytes()).isEqualTo(1048576);
    assertThat(server.withListen("0.0.0.0", 9).cacheMaxBytes()).isEqualTo(65536);
  }

  @Test
  void limitsBelowOneKibibyteAreRejectedWithTheirKeyPath() {
    assertThatThrownBy(() -> ConfigLoader.parse(
        "server: {cache_max_bytes: 10, idempotency_max_bytes: -1}\n" + TARGETS, name -> null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p).startsWith("server.cache_max_bytes"))
            .anySatisfy(p -> assertThat(p).startsWith("server.idempotency_max_bytes")));
  }
}
