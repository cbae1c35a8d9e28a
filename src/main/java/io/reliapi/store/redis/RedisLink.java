package io.reliapi.store.redis;

import io.reliapi.config.RedisConfig;
import io.reliapi.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
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

/**
 * The gateway's connection to Redis, shared by every Redis store and event loop: a pool of connections
 * that reconnects by itself, a time limit on every command ({@code redis.timeout_ms}), and Lua scripts run
 * by their SHA with a fallback to their source (a restarted Redis has forgotten them).
 *
 * <p>Every failure reaches callers as a {@link StoreUnavailableException}. Whether Redis counts as down is
 * {@link RedisHealth}'s judgement: a command that only runs out of time fails alone, a lost connection
 * counts Redis as down, and then commands fail at once, without waiting for a timeout each. A command
 * without an answer may still run on Redis after its caller gave up; a caller that must know what became
 * of it asks to be told later ({@code ifUnanswered}). The time limit runs on Vert.x timers in real time:
 * it is an I/O timeout of the connection, not a wait the gateway chooses. Logs never name the URL, which
 * may hold a password.
 */
final class RedisLink {
  private final Vertx vertx;
  private final Redis client;
  private final RedisOptions options;
  private final long timeoutMs;
  private final RedisHealth health;
  private final AtomicBoolean closed = new AtomicBoolean();

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
    this.health = new RedisHealth(vertx, () -> withTimeout(client.send(Request.cmd(Command.PING))));
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
    health.onRecovery(action);
  }

  Future<Response> send(Request request) {
    return dispatch(request, null).recover(failure -> Future.failedFuture(unavailable()));
  }

  /** Runs {@code script} with {@code keys} and {@code args} (strings, numbers or buffers). */
  Future<Response> eval(LuaScript script, List<String> keys, Object... args) {
    return eval(script, keys, null, args);
  }

  /**
   * Runs {@code script} like {@link #eval(LuaScript, List, Object...)}. If it was sent but the caller gets
   * no answer (the time limit ran out, or its connection failed), {@code ifUnanswered} is called at once
   * with the command's fate: a future that completes with its late answer, or fails with Redis' error
   * reply (it did not run) or with the failure that ended it (it may or may not have run).
   */
  Future<Response> eval(LuaScript script, List<String> keys, Handler<Future<Response>> ifUnanswered,
      Object... args) {
    return dispatch(script.request(Command.EVALSHA, keys, args), ifUnanswered).recover(failure ->
            failure instanceof ErrorType error && error.toString().startsWith("NOSCRIPT")
                ? dispatch(script.request(Command.EVAL, keys, args), ifUnanswered)
                : Future.failedFuture(failure))
        .recover(failure -> Future.failedFuture(unavailable()));
  }

  /** Returns whether Redis answers a PING within the time limit; one that does not counts Redis as down. */
  Future<Boolean> ping() {
    return closed.get() ? Future.succeededFuture(false) : health.check();
  }

  Future<Void> close() {
    closed.set(true);
    health.stop();
    return client.close();
  }

  /** Sends a command unless Redis counts as down; fails with Redis' error reply or the reason it got none. */
  private Future<Response> dispatch(Request request, Handler<Future<Response>> ifUnanswered) {
    if (health.isDown() || closed.get()) {
      return Future.failedFuture(unavailable());
    }
    Promise<Response> result = Promise.promise();
    Future<Response> sent = client.send(request);
    long timer = vertx.setTimer(timeoutMs, t -> {
      if (result.tryFail(unavailable())) {
        health.timedOut();
        if (ifUnanswered != null) {
          ifUnanswered.handle(sent);
        }
      }
    });
    sent.onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.failed() && isOutage(done.cause())) {
        health.lost();
      } else {
        health.answered();
      }
      boolean inTime = done.succeeded() ? result.tryComplete(done.result()) : result.tryFail(done.cause());
      if (inTime && done.failed() && !(done.cause() instanceof ErrorType) && ifUnanswered != null) {
        ifUnanswered.handle(sent);
      }
    });
    return result.future();
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

  private static StoreUnavailableException unavailable() {
    return new StoreUnavailableException("Redis is unavailable");
  }
}
