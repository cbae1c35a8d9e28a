package io.reliapi.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A subscription to one Redis pub/sub channel on a connection of its own, kept up for the life of the
 * gateway: when the connection breaks it is made again (every {@link RedisHealth#PROBE_MS} ms at first,
 * backing off to two seconds). Messages published while no subscription was up are lost, so after each
 * (re)subscription {@code onSubscribed} runs, letting the listener re-read whatever it waits for. Where
 * several nodes can carry the channel (a cluster's seed nodes), each new attempt goes to the next one, so a
 * lost node is not waited for.
 */
final class Signals {
  private static final long MAX_BACKOFF_MS = 2_000;

  private final RedisLink link;
  private final String channel;
  private final Consumer<String> onMessage;
  private final Runnable onSubscribed;
  private final List<Redis> clients;
  private final AtomicInteger next = new AtomicInteger();
  private final Promise<Void> firstSubscription = Promise.promise();
  private volatile RedisConnection connection;
  private volatile boolean closed;

  Signals(RedisLink link, String channel, Consumer<String> onMessage, Runnable onSubscribed) {
    this.link = link;
    this.channel = channel;
    this.onMessage = onMessage;
    this.onSubscribed = onSubscribed;
    this.clients = link.newSignalClients();
  }

  /** Starts subscribing; the future completes once the first subscription is confirmed. */
  Future<Void> start() {
    connect(RedisHealth.PROBE_MS);
    return firstSubscription.future();
  }

  Future<Void> close() {
    closed = true;
    RedisConnection current = connection;
    return (current == null ? Future.<Void>succeededFuture() : current.close().otherwiseEmpty())
        .eventually(() -> Future.join(clients.stream().map(Redis::close).toList()).mapEmpty());
  }

  private void connect(long backoffMs) {
    if (closed) {
      return;
    }
    Redis client = clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
    client.connect().compose(conn -> {
      connection = conn;
      conn.handler(this::handle);
      conn.exceptionHandler(failure -> lost(conn));
      conn.endHandler(end -> lost(conn));
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel));
    }).onComplete(subscribed -> {
      if (subscribed.succeeded()) {
        firstSubscription.tryComplete();
        onSubscribed.run();
      } else {
        RedisConnection failed = connection;
        connection = null;
        if (failed != null) {
          failed.close();
        }
        retry(backoffMs);
      }
    });
  }

  private void lost(RedisConnection conn) {
    if (connection != conn) {
      return;
    }
    connection = null;
    conn.close();
    retry(RedisHealth.PROBE_MS);
  }

  private void retry(long backoffMs) {
    if (!closed) {
      link.vertx().setTimer(backoffMs, t -> connect(Math.min(MAX_BACKOFF_MS, backoffMs * 2)));
    }
  }

  private void handle(Response message) {
    if ((message.type() == ResponseType.PUSH || message.type() == ResponseType.MULTI) && message.size() == 3
        && "message".equals(message.get(0).toString())) {
      onMessage.accept(message.get(2).toString());
    }
  }
}
