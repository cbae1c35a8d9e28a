package io.reliapi.store.redis;

import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.IdempotencyStoreContract;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The idempotency store contract against a real redis-server. */
class RedisIdempotencyStoreTest extends IdempotencyStoreContract {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);

  @Override
  protected IdempotencyStore newStore() {
    fixture.reset();
    return fixture.instance(clock, scheduler).idempotency().shared();
  }

  @Override
  protected void elapse(Duration duration) {
    scheduler.advance(duration);
  }

  @Override
  protected long nowMillis() {
    return clock.epochMillis();
  }
}
