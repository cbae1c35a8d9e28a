package io.reliapi.store.redis;

/**
 * The Lua scripts of the Redis budget ledger. KEYS[1] is the hash of the open reservations of one month
 * (by the gateway's clock when they were reserved): field the reservation id, value the amount reserved
 * (nano-dollars), or {@code -} for an id released before its reservation ran. KEYS[2..] are the ledger
 * entries (one integer of nano-dollars per account and period). Amounts stay strings: Lua's numbers print
 * with 14 digits, so INCRBY/DECRBY take them as they came.
 */
final class BudgetScripts {
  private BudgetScripts() {}

  /**
   * Reserves. ARGV: id, amount, the open hash's time to live (ms); then per entry its limit and its time
   * to live (ms). Returns 0 when reserved on every entry (now, or already by this id), else the 1-based
   * index of the first entry that cannot afford it, or -1 when the id was released before this ran (the
   * answer of an earlier sending of it was lost); in both of those nothing is reserved.
   */
  static final LuaScript RESERVE = LuaScript.of("""
      local held = redis.call('HGET', KEYS[1], ARGV[1])
      if held == '-' then
        redis.call('HDEL', KEYS[1], ARGV[1])
        return -1
      end
      if held then
        return 0
      end
      local amount = tonumber(ARGV[2])
      for j = 2, #KEYS do
        local spent = tonumber(redis.call('GET', KEYS[j]) or '0')
        if spent + amount > tonumber(ARGV[2 * j]) then
          return j - 1
        end
      end
      for j = 2, #KEYS do
        redis.call('INCRBY', KEYS[j], ARGV[2])
        redis.call('PEXPIRE', KEYS[j], ARGV[2 * j + 1])
      end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      return 0
      """);

  /**
   * Closes a reservation: replaces its amount by what was spent on every entry that still exists, and
   * forgets it, so a second close of the id changes nothing. ARGV: id, spent, {@code 1} to mark an unknown
   * id as released (its reservation may still run: it then reserves nothing), the open hash's time to
   * live (ms) for that mark. Returns 1 when it closed the reservation now, else 0.
   */
  static final LuaScript CLOSE = LuaScript.of("""
      local held = redis.call('HGET', KEYS[1], ARGV[1])
      if not held then
        if ARGV[3] == '1' then
          redis.call('HSET', KEYS[1], ARGV[1], '-')
          if redis.call('PTTL', KEYS[1]) < 0 then
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
          end
        end
        return 0
      end
      if held == '-' then
        return 0
      end
      redis.call('HDEL', KEYS[1], ARGV[1])
      if held ~= ARGV[2] then
        for j = 2, #KEYS do
          if redis.call('EXISTS', KEYS[j]) == 1 then
            redis.call('INCRBY', KEYS[j], ARGV[2])
            redis.call('DECRBY', KEYS[j], held)
          end
        end
      end
      return 1
      """);
}
