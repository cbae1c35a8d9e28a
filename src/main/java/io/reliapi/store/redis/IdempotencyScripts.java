package io.reliapi.store.redis;

/**
 * The Lua scripts of the Redis idempotency store. A key is a hash: {@code s} the state ({@code r}
 * running, {@code d} done), {@code fp} the fingerprint, {@code o} the owner token and {@code l} the lease
 * end of a running claim, {@code e} the expiry and {@code v} the encoded outcome of a finished one. Times
 * are the gateway's clock, passed in by the caller, so every instance and test judges leases and expiry
 * the same way; Redis' own PEXPIRE only reclaims the memory afterwards.
 */
final class IdempotencyScripts {
  private IdempotencyScripts() {}

  /**
   * Claims a key, or takes over the claim of ARGV[6] if its lease has run out. ARGV: fingerprint, new
   * owner, now, lease end, PEXPIRE ms, expired owner ("" for a plain claim). Returns 1 for a new leader,
   * else the record there as a flat field/value list.
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
        if ARGV[6] == '' or redis.call('HGET', key, 'o') ~= ARGV[6]
            or tonumber(redis.call('HGET', key, 'l')) > now then
          return redis.call('HGETALL', key)
        end
        redis.call('HSET', key, 'o', ARGV[2], 'l', ARGV[4])
        redis.call('PEXPIRE', key, ARGV[5])
        return 1
      end
      redis.call('DEL', key)
      redis.call('HSET', key, 's', 'r', 'fp', ARGV[1], 'o', ARGV[2], 'l', ARGV[4])
      redis.call('PEXPIRE', key, ARGV[5])
      return 1
      """);

  /** Extends the lease of owner ARGV[1] to ARGV[2], PEXPIRE ARGV[3]. Returns 1, or 0 if not the owner. */
  static final LuaScript RENEW = LuaScript.of("""
      if redis.call('HGET', KEYS[1], 's') == 'r' and redis.call('HGET', KEYS[1], 'o') == ARGV[1] then
        redis.call('HSET', KEYS[1], 'l', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
      end
      return 0
      """);

  /**
   * Replaces the claim of owner ARGV[1] by its outcome ARGV[4], expiring at ARGV[2] (PEXPIRE ARGV[3]),
   * and publishes ARGV[6] on channel ARGV[5]. Returns 1, or 0 if not the owner.
   */
  static final LuaScript COMPLETE = LuaScript.of("""
      local key = KEYS[1]
      if redis.call('HGET', key, 's') ~= 'r' or redis.call('HGET', key, 'o') ~= ARGV[1] then
        return 0
      end
      local fp = redis.call('HGET', key, 'fp')
      redis.call('DEL', key)
      redis.call('HSET', key, 's', 'd', 'fp', fp, 'e', ARGV[2], 'v', ARGV[4])
      redis.call('PEXPIRE', key, ARGV[3])
      redis.call('PUBLISH', ARGV[5], ARGV[6])
      return 1
      """);

  /** Deletes the claim of owner ARGV[1] and publishes ARGV[3] on channel ARGV[2]. Returns 1, or 0. */
  static final LuaScript RELEASE = LuaScript.of("""
      if redis.call('HGET', KEYS[1], 's') ~= 'r' or redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] then
        return 0
      end
      redis.call('DEL', KEYS[1])
      redis.call('PUBLISH', ARGV[2], ARGV[3])
      return 1
      """);

  /** Returns the record as a flat field/value list (empty when there is none). */
  static final LuaScript READ = LuaScript.of("""
      return redis.call('HGETALL', KEYS[1])
      """);
}
