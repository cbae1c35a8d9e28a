package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.store.IdempotencyScope;
import org.junit.jupiter.api.Test;

/** Every key one script touches carries one hash tag, so a cluster runs the script on one slot (issue 17, item 1). */
class KeysTest {
  @Test
  void aClientsIdempotencyRecordsAndTheirCountShareTheClientsTag() {
    IdempotencyScope scope = new IdempotencyScope("alice", "api", "order-{7}");
    assertThat(Keys.idempotency(scope)).isEqualTo("reliapi:idem:{5:alice}:api:order-{7}");
    assertThat(Keys.hashTag(Keys.idempotency(scope))).isEqualTo("5:alice")
        .isEqualTo(Keys.hashTag(Keys.idempotencyCount("alice")));
    assertThat(Keys.idempotencyWaiters(scope)).isEqualTo("reliapi:idem-wait:{5:alice}:api:order-{7}")
        .isNotEqualTo(Keys.idempotency(scope));
  }

  @Test
  void aClientsCacheQuotaKeysShareItsTagWhileCacheEntriesSpreadByTheirOwnName() {
    assertThat(Keys.hashTag(Keys.cacheCount("bob"))).isEqualTo("3:bob").isEqualTo(Keys.hashTag(Keys.cacheBytes("bob")));
    String entry = Keys.cache("cache:api:0af3");
    assertThat(Keys.hashTag(entry)).isEqualTo(entry);
  }

  @Test
  void everyBudgetEntryAndTheOpenReservationsCarryTheLedgerTag() {
    assertThat(Keys.budget("client:alice:d:2026-11-27")).isEqualTo("reliapi:budget:{ledger}:client:alice:d:2026-11-27");
    assertThat(Keys.budgetReservations("m:2026-11")).isEqualTo("reliapi:budget:{ledger}:open:m:2026-11");
    assertThat(Keys.hashTag(Keys.budget("client:alice:d:2026-11-27")))
        .isEqualTo(Keys.hashTag(Keys.budget("target:openai:m:2026-11")))
        .isEqualTo(Keys.hashTag(Keys.budgetReservations("m:2026-11"))).isEqualTo("ledger");
  }

  @Test
  void aClientNameThatClosesATagEarlyStillGivesAllItsKeysTheSameTag() {
    String odd = "a}b";
    assertThat(Keys.hashTag(Keys.idempotency(new IdempotencyScope(odd, "api", "k"))))
        .isEqualTo(Keys.hashTag(Keys.idempotencyCount(odd))).isEqualTo("3:a");
    assertThat(Keys.idempotency(new IdempotencyScope(odd, "api", "k")))
        .isNotEqualTo(Keys.idempotency(new IdempotencyScope("a", "b}:api", "k")));
  }
}
