package io.reliapi.server;

import io.reliapi.time.IdleTimer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.HashMap;
import java.util.Map;

/**
 * Watches the client connections of one event loop. Closes those the gateway owes nothing and that have stayed so for
 * {@code server.idle_timeout_s}: before their first request, between requests, or while a request's head trickles in.
 * A connection with a request in flight is never idle, however long its answer takes: the request is bounded by its
 * deadline, {@code stream_max_s} and {@code body_timeout_ms} instead. (Vert.x's own idle timeout counts only bytes, so
 * it closed a connection whose answer took longer than the timeout to arrive, and the answer was lost.)
 *
 * <p>It is also where a connection is decided to be closing: once an answer on it says {@code Connection: close},
 * whoever wrote it (any route, any refusal), no later request on it is served (RFC 9112 §9.6). Such a request may
 * already have been read behind the answer (pipelined) and is handed over while the answer is written, before any
 * handler of its end runs: so the answer's own headers are what decides, looked at when the next request comes. Once
 * such an answer is written, the connection is drained and closed ({@link UnreadBody#drainAndClose}), never left
 * open unwatched.
 *
 * <p>Nothing of an exchange is kept past its end: a connection can wait here for its next request for the whole idle
 * time, and an answer references its request, whose body (up to {@code server.max_body_bytes}) and stream state its
 * handlers hold. Only the answer's headers are looked at, and only while it is written.
 */
final class IdleClients {
  private final Vertx vertx;
  private final long idleMs;
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  IdleClients(Vertx vertx, long idleMs) {
    this.vertx = vertx;
    this.idleMs = idleMs;
  }

  /** One connection's idle clock, the requests it has in flight, and the headers of the HTTP/1.x answer being written. */
  private static final class Watch {
    final IdleTimer timer;
    int inFlight;
    /** The headers alone, never the answer: a plain map of strings. Null once no answer is being written. */
    MultiMap answering;

    Watch(IdleTimer timer) {
      this.timer = timer;
    }
  }

  /** Starts watching a new connection; its clock runs until its first request's head has arrived. */
  void connected(HttpConnection connection) {
    Watch watch = new Watch(new IdleTimer(vertx, idleMs, connection::close));
    watches.put(connection, watch);
    watch.timer.restart();
    connection.closeHandler(v -> forget(connection));
  }

  /**
   * Stops the connection's clock while {@code request} is answered, and starts it again once it is; false when nobody
   * is to serve it: the connection is closed, or an earlier answer on it said {@code Connection: close}. An answer
   * that says so ends the connection once written: what is left of its request's body is drained first, for a
   * bounded time ({@link UnreadBody#drainAndClose}).
   */
  boolean requestArrived(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    Watch watch = watches.get(connection);
    if (watch == null) {
      return false;
    }
    if (watch.answering != null && closes(watch.answering)) {
      forget(connection);
      return false;
    }
    HttpServerResponse response = request.response();
    boolean http1 = request.version() != HttpVersion.HTTP_2;
    if (http1) {
      watch.answering = response.headers();
    }
    watch.inFlight++;
    watch.timer.stop();
    response.endHandler(v -> {
      if (http1 && closes(response.headers())) {
        forget(connection);
        UnreadBody.drainAndClose(vertx, request);
        return;
      }
      if (watch.answering == response.headers()) {
        watch.answering = null;
      }
      if (--watch.inFlight == 0 && watches.get(connection) == watch) {
        watch.timer.restart();
      }
    });
    return true;
  }

  /** Returns whether an answer's {@code headers} tell the client the connection closes after it. */
  private static boolean closes(MultiMap headers) {
    return headers.contains(HttpHeaders.CONNECTION, HttpHeaders.CLOSE, true);
  }

  private void forget(HttpConnection connection) {
    Watch watch = watches.remove(connection);
    if (watch != null) {
      watch.timer.stop();
    }
  }
}
