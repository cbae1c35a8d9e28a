package io.reliapi.store.redis;

import io.reliapi.store.IdempotencyScope;

/**
 * The Redis key layout. Everything the gateway stores starts with {@code reliapi:}, so one Redis (or one
 * database of it) can be shared with other applications; the rest of a key is the store's own key.
 *
 * <p>Redis Cluster runs a script only when all its keys live in one hash slot, and a key's slot is decided by
 * its hash tag (the text between its first {@code {} and the next {@code }}). So every key one script
 * touches carries the same tag, made here and nowhere else: {@link #clientTag} for what one client holds
 * (its idempotency records and their count, its cache quota), {@link #LEDGER_TAG} for the budget ledger
 * (one reservation spans the client's and the target's accounts). A key a script touches alone (a cache
 * entry, a token bucket) needs no tag: its slot spreads with its name.
 */
final class Keys {
  static final String PREFIX = "reliapi:";
  /** The tag of every budget ledger entry: reservations check a client's and a target's accounts at once. */
  static final String LEDGER_TAG = "{ledger}";
  /** The tag of every request and token limit: one script reserves on several limits at once. */
  static final String USAGE_TAG = "{usage}";

  private Keys() {}

  /**
   * Returns the hash tag of what {@code client} holds: {@code {<length>:<client>}}. The length prefix keeps
   * names apart whatever they contain; a name holding {@code }} cuts the tag short, the same way in every
   * key of that client, so its keys still share a slot.
   */
  static String clientTag(String client) {
    return "{" + client.length() + ":" + client + "}";
  }

  /** A cache entry: {@code reliapi:cache:<target>:<hash>} (the cache policy's key). */
  static String cache(String key) {
    return PREFIX + key;
  }

  /** An idempotency record: {@code reliapi:idem:{<n>:<client>}:<target>:<key>}. */
  static String idempotency(IdempotencyScope scope) {
    return PREFIX + "idem:" + clientTag(scope.client()) + ":" + scope.target() + ":" + scope.key();
  }

  /**
   * The requests marked waiting on an idempotency record, by when their marks end:
   * {@code reliapi:idem-wait:{<n>:<client>}:<target>:<key>}.
   */
  static String idempotencyWaiters(IdempotencyScope scope) {
    return PREFIX + "idem-wait:" + clientTag(scope.client()) + ":" + scope.target() + ":" + scope.key();
  }

  /**
   * The record keys of one client's idempotency records, by when they end:
   * {@code reliapi:quota:idem:{<n>:<client>}}.
   */
  static String idempotencyCount(String client) {
    return PREFIX + "quota:idem:" + clientTag(client);
  }

  /** The cache keys one client stored, by when they end: {@code reliapi:quota:cache:{<n>:<client>}}. */
  static String cacheCount(String client) {
    return PREFIX + "quota:cache:" + clientTag(client);
  }

  /** The bytes of each cache key one client stored, and their sum: {@code reliapi:quota:cache-bytes:{<n>:<client>}}. */
  static String cacheBytes(String client) {
    return PREFIX + "quota:cache-bytes:" + clientTag(client);
  }

  /**
   * Every deployment cooldown, in one hash: {@code reliapi:deploy:{deploy}:cool}, field {@code <target>:<deployment>},
   * value the cooldown's end (epoch ms). One key, so an instance that (re)subscribes reads them all with one
   * command on any Redis, a cluster included; the hash expires when its last cooldown ends.
   */
  static final String DEPLOYMENT_COOLDOWNS = PREFIX + "deploy:{deploy}:cool";

  /** The field of one deployment in {@link #DEPLOYMENT_COOLDOWNS}. */
  static String deploymentCooldownField(String target, String deployment) {
    return target + ":" + deployment;
  }

  /** A token bucket: {@code reliapi:rate:<name>}. */
  static String bucket(String name) {
    return PREFIX + "rate:" + name;
  }

  /**
   * A request and token limit's counts per second: {@code reliapi:usage:{usage}:<owner>}, e.g.
   * {@code ...:client:alice}. One script reserves on a client's and a target's limits at once, so every limit
   * shares the tag {@link #USAGE_TAG} (one slot of a cluster holds them all).
   */
  static String usage(String name) {
    return PREFIX + "usage:" + USAGE_TAG + ":" + name;
  }

  /**
   * A budget ledger entry: {@code reliapi:budget:{ledger}:<account>:<period>}, e.g.
   * {@code ...:client:alice:d:2026-11-27}.
   */
  static String budget(String entry) {
    return PREFIX + "budget:" + LEDGER_TAG + ":" + entry;
  }

  /**
   * The open reservations of the budget ledger made in one month: {@code reliapi:budget:{ledger}:open:<month>},
   * e.g. {@code ...:open:m:2026-11} (a hash of reservation id to amount, beside the entries it changes).
   */
  static String budgetReservations(String month) {
    return PREFIX + "budget:" + LEDGER_TAG + ":open:" + month;
  }

  /**
   * A pub/sub channel: {@code reliapi:<name>} on database 0, {@code reliapi:db<n>:<name>} on database n. Keys
   * live in their database, but Redis delivers a message to every subscriber of its channel whatever database
   * either selected, so two fleets on two databases of one Redis would otherwise hear each other.
   */
  static String channel(String name, int database) {
    return PREFIX + (database == 0 ? "" : "db" + database + ":") + name;
  }

  /** Returns the hash tag Redis Cluster places {@code key} by: the whole key when it has none. */
  static String hashTag(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        return key.substring(open + 1, close);
      }
    }
    return key;
  }
}
