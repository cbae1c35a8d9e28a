package io.reliapi.store.redis;

import io.reliapi.config.RedisConfig;
import io.reliapi.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's connection to Redis, shared by every Redis store and event loop: a pool of connections
 * that reconnects by itself, a time limit on every command ({@code redis.timeout_ms}), and Lua scripts run
 * by their SHA with a fallback to their source (a restarted Redis has forgotten them).
 *
 * <p>Once a command fails for want of a connection (refused, closed, timed out, Redis still loading), the
 * link counts Redis as down: commands then fail at once, without waiting for a timeout each, while a PING
 * every {@link #PROBE_MS} ms looks for its return. Every failure reaches callers as a
 * {@link StoreUnavailableException}. The probe and the time limit run on Vert.x timers in real time: they
 * are I/O timeouts of the connection, not waits the gateway chooses. Logs never name the URL, which may
 * hold a password.
 */
final class RedisLink {
  static final long PROBE_MS = 250;
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  private final Vertx vertx;
  private final Redis client;
  private final RedisOptions options;
  private final long timeoutMs;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Runnable> onRecovery = new java.util.concurrent.CopyOnWriteArrayList<>();

  RedisLink(Vertx vertx, RedisConfig config) {
    this.vertx = vertx;
    this.timeoutMs = config.timeoutMs();
    this.options = new RedisOptions()
        .setConnectionString(config.url())
        .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
            .setTcpKeepAlive(true).setTcpNoDelay(true))
        .setMaxPoolSize(32)
        .setMaxPoolWaiting(100_000)
        .setMaxWaitingHandlers(100_000);
    this.client = Redis.createClient(vertx, options);
  }

  Vertx vertx() {
    return vertx;
  }

  /** Returns a new client on the same Redis with the same options, for a connection of its own (pub/sub). */
  Redis newClient() {
    return Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
  }

  long timeoutMs() {
    return timeoutMs;
  }

  /** Runs {@code action} each time Redis answers again after being down. */
  void onRecovery(Runnable action) {
    onRecovery.add(action);
  }

  Future<Response> send(Request request) {
    if (down.get() || closed.get()) {
      return Future.failedFuture(unavailable());
    }
    return withTimeout(client.send(request)).recover(failure -> {
      if (isOutage(failure)) {
        markDown();
      }
      return Future.failedFuture(unavailable());
    });
  }

  /** Runs {@code script} with {@code keys} and {@code args} (strings, numbers or buffers). */
  Future<Response> eval(LuaScript script, List<String> keys, Object... args) {
    if (down.get() || closed.get()) {
      return Future.failedFuture(unavailable());
    }
    return withTimeout(client.send(script.request(Command.EVALSHA, keys, args))).recover(failure -> {
      if (failure instanceof ErrorType error && error.toString().startsWith("NOSCRIPT")) {
        return send(script.request(Command.EVAL, keys, args));
      }
      if (isOutage(failure)) {
        markDown();
      }
      return Future.failedFuture(unavailable());
    });
  }

  /** Returns whether Redis answers a PING within the time limit. */
  Future<Boolean> ping() {
    return send(Request.cmd(Command.PING)).map(pong -> true).otherwise(false);
  }

  Future<Void> close() {
    closed.set(true);
    return client.close();
  }

  private <T> Future<T> withTimeout(Future<T> operation) {
    Promise<T> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> result.tryFail(new StoreUnavailableException("Redis timed out")));
    operation.onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.succeeded()) {
        result.tryComplete(done.result());
      } else {
        result.tryFail(done.cause());
      }
    });
    return result.future();
  }

  /** Returns whether a failure means Redis cannot be reached, rather than that it refused one command. */
  private static boolean isOutage(Throwable failure) {
    if (failure instanceof ErrorType error) {
      String reply = error.toString();
      return reply.startsWith("LOADING") || reply.startsWith("MASTERDOWN") || reply.startsWith("BUSY");
    }
    return true;
  }

  private void markDown() {
    if (!closed.get() && down.compareAndSet(false, true)) {
      LOG.warn("Redis is unavailable; requests that need it follow redis.on_unavailable until it answers again");
      probeLater();
    }
  }

  private void probeLater() {
    if (closed.get()) {
      return;
    }
    vertx.setTimer(PROBE_MS, t -> withTimeout(client.send(Request.cmd(Command.PING))).onComplete(pong -> {
      if (pong.succeeded() && down.compareAndSet(true, false)) {
        LOG.info("Redis answers again; shared state is back in use");
        onRecovery.forEach(Runnable::run);
      } else {
        probeLater();
      }
    }));
  }

  private static StoreUnavailableException unavailable() {
    return new StoreUnavailableException("Redis is unavailable");
  }
}
