package io.reliapi.server;

import io.reliapi.time.IdleTimer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes the client connections of one event loop that the gateway owes nothing and that have stayed so for
 * {@code server.idle_timeout_s}: before their first request, between requests, or while a request's head
 * trickles in. A connection with a request in flight is never idle, however long its answer takes: the request
 * is bounded by its deadline, {@code stream_max_s} and {@code body_timeout_ms} instead. (Vert.x's own idle
 * timeout counts only bytes, so it closed a connection whose answer took longer than the timeout to arrive,
 * and the answer was lost.)
 */
final class IdleClients {
  private final Vertx vertx;
  private final long idleMs;
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  IdleClients(Vertx vertx, long idleMs) {
    this.vertx = vertx;
    this.idleMs = idleMs;
  }

  /** One connection's idle clock and the requests it has in flight. */
  private static final class Watch {
    final IdleTimer timer;
    int inFlight;

    Watch(IdleTimer timer) {
      this.timer = timer;
    }
  }

  /** Starts watching a new connection; its clock runs until its first request's head has arrived. */
  void connected(HttpConnection connection) {
    Watch watch = new Watch(new IdleTimer(vertx, idleMs, connection::close));
    watches.put(connection, watch);
    watch.timer.restart();
    connection.closeHandler(v -> {
      Watch closed = watches.remove(connection);
      if (closed != null) {
        closed.timer.stop();
      }
    });
  }

  /**
   * Forgets a connection about to be closed after a refusal of its framing: a request the parser already read behind
   * the refused one (pipelined, or smuggled in its body) is handed over as soon as the refusal is written, and must
   * find nobody to serve it ({@link #requestArrived} says false).
   */
  void closing(HttpConnection connection) {
    Watch watch = watches.remove(connection);
    if (watch != null) {
      watch.timer.stop();
    }
  }

  /**
   * Stops the connection's clock while {@code request} is answered, and starts it again once it is; false when the
   * connection is not watched (closed already).
   */
  boolean requestArrived(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch == null) {
      return false;
    }
    watch.inFlight++;
    watch.timer.stop();
    request.response().endHandler(v -> {
      if (--watch.inFlight == 0 && watches.get(request.connection()) == watch) {
        watch.timer.restart();
      }
    });
    return true;
  }
}
