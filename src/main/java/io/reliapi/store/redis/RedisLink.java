package io.reliapi.store.redis;

import io.reliapi.config.RedisConfig;
import io.reliapi.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

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
 *
 * <p>In a cluster one node may be lost while the others answer: a command that cannot reach its node fails
 * alone, and a PING (to up to three nodes) decides whether Redis counts as down for the whole instance. The
 * library follows the cluster's redirections and learns its new topology; a failed-over Sentinel primary is
 * found again the same way.
 */
final class RedisLink {
  private static final int CLUSTER_PINGS = 3;

  private final Vertx vertx;
  private final RedisConfig config;
  private final Redis client;
  private final long timeoutMs;
  private final RedisHealth health;
  private final ReplicaAcks replicaAcks;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The commands sent and not yet answered (nor timed out), which a close lets finish. */
  private final Set<Future<Response>> pending = ConcurrentHashMap.newKeySet();

  RedisLink(Vertx vertx, RedisConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.timeoutMs = config.timeoutMs();
    this.client = Redis.createClient(vertx, RedisClients.commands(config));
    this.replicaAcks = new ReplicaAcks(config.replicaAck());
    boolean cluster = config.mode() == RedisConfig.Mode.CLUSTER;
    this.health = new RedisHealth(vertx, () -> withTimeout(cluster ? pingAny(CLUSTER_PINGS) : pingOnce()), cluster);
  }

  Vertx vertx() {
    return vertx;
  }

  /**
   * Returns new clients for a connection of its own (pub/sub), to be tried in turn: one for a standalone
   * Redis or a Sentinel-named primary, one per seed node of a cluster.
   */
  List<Redis> newSignalClients() {
    return RedisClients.signals(config).stream().map(options -> Redis.createClient(vertx, options)).toList();
  }

  /** Returns the pub/sub channel {@code name} of this Redis database ({@link Keys#channel}). */
  String channel(String name) {
    return Keys.channel(name, config.database());
  }

  long timeoutMs() {
    return timeoutMs;
  }

  /** Runs {@code action} each time Redis answers again after being down. */
  void onRecovery(Runnable action) {
    health.onRecovery(action);
  }

  Future<Response> send(Request request) {
    return tracked(() -> dispatch(() -> client.send(request), null)
        .recover(failure -> Future.failedFuture(unavailable())));
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
    return evaluate(script, keys, ifUnanswered, false, args);
  }

  /**
   * Runs {@code script} like {@link #eval(LuaScript, List, Handler, Object...)}, for a write a guarantee acts
   * on (a claim, a reservation): with {@code redis.wait_replicas} set, its answer comes once replicas hold it.
   */
  Future<Response> evalAcknowledged(LuaScript script, List<String> keys, Handler<Future<Response>> ifUnanswered,
      Object... args) {
    return evaluate(script, keys, ifUnanswered, replicaAcks.enabled(), args);
  }

  private Future<Response> evaluate(LuaScript script, List<String> keys, Handler<Future<Response>> ifUnanswered,
      boolean acknowledged, Object... args) {
    return tracked(() -> dispatch(() -> sendScript(script.request(Command.EVALSHA, keys, args), acknowledged),
            ifUnanswered)
        .recover(failure -> failure instanceof ErrorType error && error.toString().startsWith("NOSCRIPT")
            ? dispatch(() -> sendScript(script.request(Command.EVAL, keys, args), acknowledged), ifUnanswered)
            : Future.failedFuture(failure))
        .recover(failure -> Future.failedFuture(unavailable())));
  }

  /**
   * Sends {@code command} unless the link is closed, kept among the commands a close lets finish until it is
   * answered. It is kept before {@code closed} is read: a close on another event loop either sees it and waits for
   * it, or has set {@code closed} first and it is not sent; it is never sent and then dropped by the close.
   */
  private Future<Response> tracked(Supplier<Future<Response>> command) {
    Promise<Response> answer = Promise.promise();
    Future<Response> future = answer.future();
    pending.add(future);
    future.onComplete(done -> pending.remove(future));
    if (closed.get()) {
      answer.fail(unavailable());
    } else {
      command.get().onComplete(answer);
    }
    return future;
  }

  private Future<Response> sendScript(Request request, boolean acknowledged) {
    return acknowledged ? replicaAcks.send(client, request) : client.send(request);
  }

  /** Returns whether Redis answers a PING within the time limit; one that does not counts Redis as down. */
  Future<Boolean> ping() {
    return closed.get() ? Future.succeededFuture(false) : health.check();
  }

  /**
   * Sends nothing more, lets the commands already sent finish (each within its time limit: a request's settlement,
   * written as it ended during a drain, would otherwise be dropped with the connection), then closes.
   */
  Future<Void> close() {
    closed.set(true);
    health.stop();
    return Future.join(List.copyOf(pending)).transform(answered -> client.close());
  }

  /**
   * Sends a command unless Redis counts as down; fails with Redis' error reply or the reason it got none. A command
   * accepted before a close still runs to its end (a script sent again by its source after NOSCRIPT).
   */
  private Future<Response> dispatch(Supplier<Future<Response>> command, Handler<Future<Response>> ifUnanswered) {
    if (health.isDown()) {
      return Future.failedFuture(unavailable());
    }
    Promise<Response> result = Promise.promise();
    long number = health.sending();
    Future<Response> sent = command.get();
    long timer = vertx.setTimer(timeoutMs, t -> {
      long next = health.nextNumber();
      if (result.tryFail(unavailable())) {
        health.timedOut(number, next);
        if (ifUnanswered != null) {
          ifUnanswered.handle(sent);
        }
      }
    });
    sent.onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.failed() && isOutage(done.cause())) {
        health.connectionFailed();
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

  private Future<Response> pingOnce() {
    return client.send(Request.cmd(Command.PING));
  }

  /** Pings cluster nodes the library picks at random until one answers, at most {@code tries} of them. */
  private Future<Response> pingAny(int tries) {
    return tries <= 1 ? pingOnce() : pingOnce().recover(failure -> pingAny(tries - 1));
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
