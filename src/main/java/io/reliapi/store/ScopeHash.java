package io.reliapi.store;

import io.reliapi.http.Digest;

/** Names an idempotency scope in logs without its client's key: a short hash of it, the same on every instance. */
public final class ScopeHash {
  private ScopeHash() {}

  public static String of(IdempotencyScope scope) {
    return new Digest().add(scope.id()).hex().substring(0, 16);
  }
}
