package io.reliapi.store;

/**
 * Where an idempotency key counts (SPEC §3.4): within one client and one target, so two clients using the
 * same key never meet. The client is also whose quota the key's record counts against.
 */
public record IdempotencyScope(String client, String target, String key) {

  /**
   * Returns the store key: the client name is length-prefixed and target names cannot hold {@code ':'},
   * so no two scopes share one.
   */
  public String id() {
    return "idem:" + client.length() + ":" + client + ":" + target + ":" + key;
  }
}
