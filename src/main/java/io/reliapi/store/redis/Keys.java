package io.reliapi.store.redis;

/**
 * The Redis key layout. Everything the gateway stores starts with {@code reliapi:}, so one Redis (or one
 * database of it) can be shared with other applications; the rest of a key is the store's own key.
 */
final class Keys {
  static final String PREFIX = "reliapi:";

  private Keys() {}

  /** A cache entry: {@code reliapi:cache:<target>:<hash>} (the cache policy's key). */
  static String cache(String key) {
    return PREFIX + key;
  }

  /** An idempotency record: {@code reliapi:idem:<client length>:<client>:<target>:<key>}. */
  static String idempotency(String scope) {
    return PREFIX + scope;
  }

  /** The record keys of one client's idempotency records, by when they end: {@code reliapi:quota:idem:<client>}. */
  static String idempotencyCount(String client) {
    return PREFIX + "quota:idem:" + client;
  }

  /** The cache keys one client stored, by when they end: {@code reliapi:quota:cache:<client>}. */
  static String cacheCount(String client) {
    return PREFIX + "quota:cache:" + client;
  }

  /** The bytes of each cache key one client stored, and their sum: {@code reliapi:quota:cache-bytes:<client>}. */
  static String cacheBytes(String client) {
    return PREFIX + "quota:cache-bytes:" + client;
  }

  /** The end of a deployment's cooldown: {@code reliapi:deploy:cool:<target>:<deployment>}, expiring with it. */
  static String deploymentCooldown(String target, String deployment) {
    return DEPLOYMENT_COOLDOWNS + target + ":" + deployment;
  }

  static final String DEPLOYMENT_COOLDOWNS = PREFIX + "deploy:cool:";

  /** A token bucket: {@code reliapi:rate:<name>}. */
  static String bucket(String name) {
    return PREFIX + "rate:" + name;
  }

  /** A request and token limit's counts per second: {@code reliapi:usage:<owner>}, e.g. {@code ...:client:alice}. */
  static String usage(String name) {
    return PREFIX + "usage:" + name;
  }

  /** A budget ledger entry: {@code reliapi:budget:<account>:<period>}, e.g. {@code ...:client:alice:d:2026-11-27}. */
  static String budget(String entry) {
    return PREFIX + "budget:" + entry;
  }
}
