package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Digest;
import org.junit.jupiter.api.Test;

/** The name an idempotency scope gets in logs: stable within the process, not recoverable from a guessed key. */
class ScopeHashTest {
  private static final IdempotencyScope ORDER = new IdempotencyScope("client", "api", "order-123");

  @Test
  void aScopeHasOneNameWithinTheProcessAndAnotherScopeAnother() {
    assertThat(ScopeHash.of(ORDER)).hasSize(16).isEqualTo(ScopeHash.of(new IdempotencyScope("client", "api",
        "order-123")));
    assertThat(ScopeHash.of(ORDER)).isNotEqualTo(ScopeHash.of(new IdempotencyScope("client", "api", "order-124")));
  }

  /** Hashing a guess ("order-123") the way an unkeyed name was made does not find the name in the log. */
  @Test
  void aGuessedKeyHashedWithoutTheProcessSecretDoesNotGiveItsName() {
    String unkeyed = new Digest().add(ORDER.id()).hex().substring(0, 16);
    assertThat(ScopeHash.of(ORDER)).isNotEqualTo(unkeyed);
  }
}
