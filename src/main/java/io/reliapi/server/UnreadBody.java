package io.reliapi.server;

import io.reliapi.time.IdleTimer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Ends an HTTP/1.x connection whose request body was not read (an answer given before it: 401, 413, 408,
 * a bad path): the rest of that body stands between this request and the next, so the connection cannot
 * carry another one. The answer says {@code Connection: close}; then what still arrives is read and dropped
 * for a moment, so the close is an orderly end after the answer and not a reset that could destroy the
 * answer on its way, and the connection closes. HTTP/2 streams are independent of each other: nothing to do.
 */
final class UnreadBody {
  /** How long the rest of an unread body is drained before the connection closes anyway. */
  static final long LINGER_MS = 1_000;
  /**
   * How long an answer that closes its connection may take to reach a client that reads it (the server's default idle
   * limit): a client that stops reading does not hold the connection for ever.
   */
  static final long FLUSH_MS = 60_000;

  private UnreadBody() {}

  /** The largest body a route that reads none drops to keep the connection; a larger one is 413. */
  static final long DISCARDED_MAX = 64 * 1024;

  /**
   * For a route that reads no body ({@code /healthz}, {@code GET /v1/models}, …): a small body announced by its
   * {@code Content-Length} is read and dropped, never kept, and the connection stays open for the next request; true
   * when it is. A client waiting for {@code 100 Continue} (never invited here) or a chunked body of unknown length is
   * left to {@link #closeIfLeftUnread}.
   */
  static boolean discardSmall(HttpServerRequest request) {
    if (!pending(request) || request.getHeader("transfer-encoding") != null || request.getHeader("expect") != null) {
      return false;
    }
    long declared = InboundBody.declaredLength(request);
    if (declared < 0 || declared > DISCARDED_MAX) {
      return false;
    }
    request.handler(dropped -> {});
    request.resume();
    return true;
  }

  /** Returns whether the request announces a body larger than a route that reads none drops. */
  static boolean tooLargeToDiscard(HttpServerRequest request) {
    return request.getHeader("transfer-encoding") == null && InboundBody.declaredLength(request) > DISCARDED_MAX;
  }

  /** Returns whether the request's connection still has body bytes of it to come. */
  static boolean pending(HttpServerRequest request) {
    return request.version() != HttpVersion.HTTP_2 && !request.isEnded() && InboundBody.mayHaveBody(request);
  }

  /** Makes the answer about to be written say {@code Connection: close}, whatever headers it sets. */
  static void announceClose(HttpServerResponse response) {
    response.headersEndHandler(v -> response.headers().set("Connection", "close"));
  }

  /**
   * For an answer that may be given before the body is read (the admin routes, a path with no route): if the body
   * is still to come when the answer's head is written, the answer says {@code Connection: close}, and the connection
   * is drained and closed after it ({@link IdleClients} does so after every answer that says it). A client waiting
   * for {@code 100 Continue} that was never invited otherwise leaves a connection the next request would be read as
   * the rest of the body from.
   */
  static void closeIfLeftUnread(HttpServerRequest request) {
    if (!pending(request)) {
      return;
    }
    HttpServerResponse response = request.response();
    response.headersEndHandler(v -> {
      if (!request.isEnded()) {
        response.headers().set("Connection", "close");
      }
    });
  }

  /**
   * Ends the connection after an answer that says {@code Connection: close}: what is left of the body is drained, then
   * the close lingers ({@link LingeringClose}: the output is shut and whatever else arrives, a pipelined request
   * among it, is dropped) until the client closes its side; all of it {@link #LINGER_MS} at most.
   */
  static void drainAndClose(Vertx vertx, HttpServerRequest request) {
    HttpConnection connection = request.connection();
    LingeringClose lingering = request.response().closed() ? null : LingeringClose.install(connection);
    if (lingering == null) {
      connection.close();
      return;
    }
    // I/O timeouts of the connection: real time, each started once.
    IdleTimer deadline = new IdleTimer(vertx, LINGER_MS, lingering::end);
    lingering.whenClosed(deadline::stop);
    if (request.isEnded()) {
      // The linger starts once the answer is on the wire: a large answer to a slow reader (a stream of tens of MB)
      // may still be flushing when it ends, and was cut 1 s after its end. Its flush is bounded on its own.
      IdleTimer flushing = new IdleTimer(vertx, FLUSH_MS, lingering::end);
      flushing.restart();
      lingering.whenClosed(flushing::stop);
      lingering.whenWritten(() -> {
        flushing.stop();
        deadline.restart();
      });
      connection.close();
      return;
    }
    deadline.restart();
    request.exceptionHandler(failure -> {});
    request.handler(dropped -> {});
    request.endHandler(v -> connection.close());
    request.resume();
  }
}
