package io.reliapi.policy.idempotency;

/**
 * The store key of an idempotency key (SPEC §3.4): the key counts only within one client and one target,
 * so two clients using the same key never meet. The client name is length-prefixed and target names
 * cannot hold {@code ':'}, so no two scopes share a store key.
 */
public final class IdempotencyScope {
  private IdempotencyScope() {}

  public static String of(String client, String target, String key) {
    return "idem:" + client.length() + ":" + client + ":" + target + ":" + key;
  }
}
