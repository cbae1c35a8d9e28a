package io.reliapi.store.redis;

import io.reliapi.store.IdempotencyRecord;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Lua scripts of the Redis idempotency store. A key is a hash: {@code s} the state ({@code r}
 * running, {@code d} done), {@code fp} the fingerprint, {@code o} the owner token and {@code l} the lease
 * end of a running claim, {@code e} the expiry and {@code v} the encoded outcome of a finished one ({@code o} its
 * owner's token), {@code x} the short-lived marker of a released one. Times
 * are the gateway's clock, passed in by the caller, so every instance and test judges leases and expiry
 * the same way; Redis' own PEXPIRE only reclaims the memory afterwards.
 *
 * <p>Each client's records are counted in a sorted set (KEYS[2], {@code reliapi:quota:idem:<client>}):
 * one member per record key, scored with the time its key expires. Every script that changes a record
 * changes its member in the same step, so the count is exact; members whose time has passed are dropped
 * when the client claims a new key.
 */
final class IdempotencyScripts {
  /** The state of a key its holder released: no record for claims and reads, but not a lost claim either. */
  private static final String RELEASED = "x";

  private IdempotencyScripts() {}

  /** Returns the keys a script on {@code scope} changes: its record, and its client's count of records. */
  static List<String> keys(IdempotencyScope scope) {
    return List.of(Keys.idempotency(scope), Keys.idempotencyCount(scope.client()));
  }

  /** Keeps the counting set (KEYS[2]) at least as long as ARGV[n] milliseconds; a Lua snippet. */
  private static String keepCounted(int argv) {
    return "if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[" + argv + "]) then redis.call('PEXPIRE', KEYS[2], ARGV["
        + argv + "]) end\n";
  }

  /**
   * Claims a key. ARGV: fingerprint, token, now, lease end, PEXPIRE ms, expired owner, abandoned owner
   * ("" for none), TTL ms, the client's quota of records, the expired owner's lease end as the caller saw it.
   * A running claim is this attempt's own when it holds the token (the claim was sent again), is replaced
   * when it holds the abandoned owner (a claim of this instance whose caller never got the answer, so never
   * executed), and is taken over when it holds the expired owner with the lease end seen (never renewed
   * since: a renewal proves its holder alive, whatever the clocks say) and that lease has run out; one whose
   * lease ended a TTL ago is gone. A new record
   * needs room in the client's quota. Returns 1 for a new leader, minus the milliseconds until the
   * client's first record ends when it has no room, else the record there as a flat field/value list.
   */
  static final LuaScript CLAIM = LuaScript.of("""
      local key = KEYS[1]
      local now = tonumber(ARGV[3])
      local state = redis.call('HGET', key, 's')
      if state == 'd' then
        if tonumber(redis.call('HGET', key, 'e')) > now then
          return redis.call('HGETALL', key)
        end
      elseif state == 'r' then
        local owner = redis.call('HGET', key, 'o')
        local lease = tonumber(redis.call('HGET', key, 'l'))
        if owner == ARGV[2] then
          return 1
        end
        if ARGV[6] ~= '' and owner == ARGV[6] and lease == tonumber(ARGV[10]) and lease <= now then
          redis.call('HSET', key, 'o', ARGV[2], 'l', ARGV[4])
          redis.call('PEXPIRE', key, ARGV[5])
          redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), key)
          """ + keepCounted(5) + """
          return 1
        end
        if (ARGV[7] == '' or owner ~= ARGV[7]) and lease + tonumber(ARGV[8]) > now then
          return redis.call('HGETALL', key)
        end
      end
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
      if not redis.call('ZSCORE', KEYS[2], key) and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[9]) then
        local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
        if #first == 0 then
          return -1000
        end
        return -math.max(1, tonumber(first[2]) - now)
      end
      redis.call('DEL', key)
      redis.call('HSET', key, 's', 'r', 'fp', ARGV[1], 'o', ARGV[2], 'l', ARGV[4])
      redis.call('PEXPIRE', key, ARGV[5])
      redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), key)
      """ + keepCounted(5) + """
      return 1
      """);

  /**
   * Extends the lease of owner ARGV[1] to ARGV[2], PEXPIRE ARGV[3], the key then ending at ARGV[4]. A key with no
   * claim lost it (Redis restarted without persistence, was flushed, failed over to a replica that never got the
   * claim, or evicted it): no record, or another owner's release marker (a duplicate claimed the lost key and
   * released it). The holder is alive, so it re-asserts its claim with its fingerprint ARGV[5], and duplicates
   * arriving from then on wait for it again; but only while the time ARGV[6] is before ARGV[7], the end of the lease
   * the holder last secured: cut off for longer, its key may have been taken over, finished and expired meanwhile.
   * Returns 1 when renewed, 2 when re-asserted, 3 when missing and too late to re-assert, 0 when another request
   * holds the key, or it has ended (finished, or released by this owner).
   */
  static final LuaScript RENEW = LuaScript.of("""
      local key = KEYS[1]
      local state = redis.call('HGET', key, 's')
      local owner = redis.call('HGET', key, 'o')
      local answer = 1
      if not state or (state == 'x' and owner ~= ARGV[1]) then
        if tonumber(ARGV[6]) >= tonumber(ARGV[7]) then
          return 3
        end
        redis.call('DEL', key)
        redis.call('HSET', key, 's', 'r', 'fp', ARGV[5], 'o', ARGV[1], 'l', ARGV[2])
        answer = 2
      elseif state ~= 'r' or owner ~= ARGV[1] then
        return 0
      else
        redis.call('HSET', key, 'l', ARGV[2])
      end
      redis.call('PEXPIRE', key, ARGV[3])
      redis.call('ZADD', KEYS[2], ARGV[4], key)
      """ + keepCounted(3) + """
      return answer
      """);

  /**
   * Replaces the claim of owner ARGV[1] by its outcome ARGV[4], expiring at ARGV[2] (PEXPIRE ARGV[3]), and
   * publishes ARGV[6] on channel ARGV[5]. A key whose claim was lost (see RENEW) gets the outcome all the same, with
   * the holder's fingerprint ARGV[7], if the time ARGV[8] is before ARGV[9], the end of the lease its holder last
   * secured (a completion sent again much later must not bring back a key whose record expired meanwhile). The
   * finished record keeps its owner, so a completion sent again after it landed finds its own. Returns 1 when stored
   * (or already stored), 2 when the claim was lost too long ago to store it, 0 when another request's claim or record
   * is there (the key was lost and a duplicate claimed it: its record is left as it is) or this owner released it.
   */
  static final LuaScript COMPLETE = LuaScript.of("""
      local key = KEYS[1]
      local state = redis.call('HGET', key, 's')
      local owner = redis.call('HGET', key, 'o')
      if state == 'd' and owner == ARGV[1] then
        return 1
      end
      if not state or (state == 'x' and owner ~= ARGV[1]) then
        if tonumber(ARGV[8]) >= tonumber(ARGV[9]) then
          return 2
        end
      elseif state ~= 'r' or owner ~= ARGV[1] then
        return 0
      end
      redis.call('DEL', key)
      redis.call('HSET', key, 's', 'd', 'fp', ARGV[7], 'o', ARGV[1], 'e', ARGV[2], 'v', ARGV[4])
      redis.call('PEXPIRE', key, ARGV[3])
      redis.call('ZADD', KEYS[2], ARGV[2], key)
      """ + keepCounted(3) + """
      redis.call('PUBLISH', ARGV[5], ARGV[6])
      return 1
      """);

  /**
   * Ends the claim of owner ARGV[1], no longer counting it, and publishes ARGV[3] on channel ARGV[2]. A released
   * marker ({@code s} = {@code x}) holding the owner stays ARGV[4] ms in its place, so a renewal of it still on its
   * way does not take the key for a claim Redis lost (RENEW); claims and reads see no record. Returns 1, or 0 if not
   * the owner.
   */
  static final LuaScript RELEASE = LuaScript.of("""
      if redis.call('HGET', KEYS[1], 's') ~= 'r' or redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] then
        return 0
      end
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], 's', 'x', 'o', ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      redis.call('ZREM', KEYS[2], KEYS[1])
      redis.call('PUBLISH', ARGV[2], ARGV[3])
      return 1
      """);

  /** Returns the record as a flat field/value list (empty when there is none). */
  static final LuaScript READ = LuaScript.of("""
      return redis.call('HGETALL', KEYS[1])
      """);

  /** Returns whether a flat field/value list is a released key's marker (which reads as no record). */
  static boolean released(Response flat) {
    Response state = fields(flat).get("s");
    return state != null && state.toString().equals(RELEASED);
  }

  /** Reads a flat field/value list; a finished record past its expiry counts as absent. */
  static Optional<IdempotencyRecord> record(Response flat, long now) {
    Map<String, Response> fields = fields(flat);
    Response state = fields.get("s");
    if (state == null || state.toString().equals(RELEASED)) {
      return Optional.empty();
    }
    String fingerprint = fields.get("fp").toString();
    if (state.toString().equals("r")) {
      return Optional.of(new IdempotencyRecord.InProgress(fingerprint, fields.get("o").toString(),
          fields.get("l").toLong()));
    }
    if (fields.get("e").toLong() <= now) {
      return Optional.empty();
    }
    Outcome outcome = Codec.outcome(Buffer.buffer(fields.get("v").toBytes()));
    // An outcome this version cannot read is never taken as a reason to execute again.
    return Optional.of(new IdempotencyRecord.Done(fingerprint, outcome == null ? new Outcome.Unknown() : outcome));
  }

  private static Map<String, Response> fields(Response flat) {
    Map<String, Response> fields = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put(flat.get(i).toString(), flat.get(i + 1));
    }
    return fields;
  }
}
