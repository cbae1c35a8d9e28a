package io.reliapi.store;

import io.reliapi.config.ServerConfig;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;

/** The state stores one gateway shares across its event loops. */
public record Stores(ResponseCache cache, IdempotencyStore idempotency) {

  /** Returns stores held in this process's memory, bounded by the server's byte limits. */
  public static Stores inMemory(ServerConfig server, Clock clock, Scheduler scheduler) {
    return new Stores(new InMemoryResponseCache(clock, server.cacheMaxBytes()),
        new InMemoryIdempotencyStore(clock, scheduler, server.idempotencyMaxBytes()));
  }
}
