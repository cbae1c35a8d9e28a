package io.reliapi.store.redis;

import io.reliapi.store.DeploymentStates;
import io.reliapi.store.InMemoryDeploymentStates;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments left out, shared by every instance on one Redis. Each instance answers reads from its own
 * copy, so choosing a deployment costs no Redis call; what one instance decides reaches the others by a
 * pub/sub announcement, usually within milliseconds. A cooldown is also kept as a key that expires when it
 * ends, so an instance that (re)subscribes (at start, after a lost connection) reads the cooldowns it missed.
 * An ejection is only announced: it lasts until each instance's own reload or restart, and an instance that
 * missed the announcement ejects the deployment itself at the first refused request. While Redis cannot
 * be reached, both stay with the instance that saw them.
 */
public final class RedisDeploymentStates implements DeploymentStates {
  static final String CHANNEL_NAME = "deploy:signals";
  private static final Logger LOG = LoggerFactory.getLogger(RedisDeploymentStates.class);
  private static final String COOL = "c";
  private static final String EJECT = "e";
  /**
   * KEYS: the cooldowns hash. ARGV: the deployment's field, until (epoch ms), now (epoch ms), channel, announcement.
   * Keeps the later end, drops cooldowns that ended, and lets the hash expire with its last cooldown.
   */
  static final LuaScript COOL_DOWN = LuaScript.of("""
      local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') or 0
      if tonumber(ARGV[2]) > current then
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('PUBLISH', ARGV[4], ARGV[5])
      end
      local now = tonumber(ARGV[3])
      local last = now
      local all = redis.call('HGETALL', KEYS[1])
      for i = 1, #all, 2 do
        local untilMs = tonumber(all[i + 1]) or 0
        if untilMs <= now then
          redis.call('HDEL', KEYS[1], all[i])
        elseif untilMs > last then
          last = untilMs
        end
      end
      if last > now then
        redis.call('PEXPIRE', KEYS[1], last - now)
      end
      return 1
      """);

  private final RedisLink link;
  private final Clock clock;
  private final InMemoryDeploymentStates local = new InMemoryDeploymentStates();
  private final Signals signals;
  private final String channel;

  RedisDeploymentStates(RedisLink link, Clock clock) {
    this.link = link;
    this.clock = clock;
    this.channel = link.channel(CHANNEL_NAME);
    this.signals = new Signals(link, channel, this::announced, this::resync);
  }

  /** Subscribes to the announcements; the future completes with the first subscription. */
  Future<Void> start() {
    return signals.start();
  }

  @Override
  public Future<Void> close() {
    return signals.close();
  }

  @Override
  public void coolDown(String target, String deployment, long untilEpochMillis) {
    local.coolDown(target, deployment, untilEpochMillis);
    link.eval(COOL_DOWN, List.of(Keys.DEPLOYMENT_COOLDOWNS), Keys.deploymentCooldownField(target, deployment),
        untilEpochMillis, clock.epochMillis(), channel,
        String.join(" ", COOL, Long.toString(untilEpochMillis), target, deployment));
  }

  @Override
  public long coolingUntil(String target, String deployment) {
    return local.coolingUntil(target, deployment);
  }

  @Override
  public void eject(String target, String deployment, String reason) {
    local.eject(target, deployment, reason);
    link.send(Request.cmd(Command.PUBLISH).arg(channel).arg(String.join(" ", EJECT, reason, target, deployment)));
  }

  @Override
  public String ejection(String target, String deployment) {
    return local.ejection(target, deployment);
  }

  @Override
  public void clearEjections() {
    local.clearEjections();
  }

  /** Applies another instance's (or this one's own, echoed) announcement: {@code c <until> <t> <d>} or {@code e <reason> <t> <d>}. */
  private void announced(String message) {
    String[] parts = message.split(" ");
    if (parts.length != 4) {
      return;
    }
    if (COOL.equals(parts[0])) {
      try {
        local.coolDown(parts[2], parts[3], Long.parseLong(parts[1]));
      } catch (NumberFormatException ignored) {
        // Not one of ours: nothing to apply.
      }
    } else if (EJECT.equals(parts[0]) && local.ejection(parts[2], parts[3]) == null) {
      local.eject(parts[2], parts[3], parts[1]);
      LOG.warn("Deployment {} of target {} ejected by another instance ({}); it stays out until this instance's "
          + "config is reloaded or it restarts", parts[3], parts[2], parts[1]);
    }
  }

  /** Reads every cooldown into the local copy (after a (re)subscription): one hash, one command. */
  private void resync() {
    link.send(Request.cmd(Command.HGETALL).arg(Keys.DEPLOYMENT_COOLDOWNS)).onSuccess(this::apply);
  }

  /** Applies an {@code HGETALL} answer: field, value, field, value… (RESP2) or a map (RESP3). */
  private void apply(Response all) {
    if (all == null) {
      return;
    }
    if (all.type() == ResponseType.MULTI && !all.getKeys().isEmpty()) {
      all.getKeys().forEach(field -> apply(field, all.get(field)));
      return;
    }
    for (int i = 0; i + 1 < all.size(); i += 2) {
      apply(all.get(i).toString(), all.get(i + 1));
    }
  }

  private void apply(String field, Response value) {
    String[] names = field.split(":", 2);
    if (names.length == 2 && value != null) {
      try {
        local.coolDown(names[0], names[1], Long.parseLong(value.toString()));
      } catch (NumberFormatException ignored) {
        // Not one of ours: nothing to apply.
      }
    }
  }
}
