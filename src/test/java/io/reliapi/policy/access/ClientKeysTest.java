package io.reliapi.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ClientConfig;
import io.reliapi.config.Secret;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientKeysTest {
  private final ClientKeys keys = new ClientKeys(List.of(
      new ClientConfig("backend", new Secret("B", "key-backend"), Optional.of(Set.of("api")), Optional.empty(), Optional.empty()),
      new ClientConfig("batch", new Secret("C", "key-batch"), Optional.empty(), Optional.empty(), Optional.empty())));

  @Test
  void findsTheClientByApiKeyOrBearerToken() {
    assertThat(keys.authenticate("key-backend", null)).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("backend"));
    assertThat(keys.authenticate(null, "Bearer key-batch")).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("batch"));
    assertThat(keys.authenticate(null, "bearer key-batch")).isPresent();
  }

  @Test
  void rejectsMissingWrongAndNearlyRightKeys() {
    assertThat(keys.authenticate(null, null)).isEmpty();
    assertThat(keys.authenticate("", null)).isEmpty();
    assertThat(keys.authenticate("key-backenD", null)).isEmpty();
    assertThat(keys.authenticate("key-backend ", "x").map(c -> c.name())).contains("backend");
    assertThat(keys.authenticate(null, "Basic a2V5")).isEmpty();
  }

  @Test
  void appliesThePerClientTargetAllowlist() {
    var backend = keys.authenticate("key-backend", null).orElseThrow();
    assertThat(backend.allows("api")).isTrue();
    assertThat(backend.allows("other")).isFalse();
    assertThat(keys.authenticate("key-batch", null).orElseThrow().allows("other")).isTrue();
  }

  @Test
  void letsEveryoneInWhenNoKeysAreConfigured() {
    ClientKeys open = new ClientKeys(List.of());
    assertThat(open.open()).isTrue();
    assertThat(open.authenticate(null, null)).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("anonymous"));
  }
}
