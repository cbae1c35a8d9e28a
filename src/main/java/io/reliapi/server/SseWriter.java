package io.reliapi.server;

import io.reliapi.llm.ChatStream;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a {@code text/event-stream} response, pausing the provider's stream while the client cannot take
 * more, so a slow client holds back the provider instead of filling the gateway's memory. A response whose head
 * a {@link StreamHold} already committed is continued as it is.
 */
public final class SseWriter {
  private final Inbound in;
  private final HttpServerResponse response;

  /**
   * Starts the response; {@code costKnown} says whether the cost is known before the first event (a replay or
   * an answer that came whole), else it is known only at the end and travels in the final event, not in a
   * header.
   */
  public SseWriter(Inbound in, Clock clock, boolean costKnown) {
    this.in = in;
    this.response = in.request().response();
    if (in.hold().committed() || response.headWritten()) {
      return;
    }
    response.setStatusCode(200);
    var headers = response.headers();
    GatewayHeaders.write(headers, in, clock);
    if (!costKnown) {
      headers.remove("X-ReliAPI-Cost-USD");
    }
    sseHeaders(response);
  }

  /** Sets the headers of an event stream and makes the response chunked. */
  static void sseHeaders(HttpServerResponse response) {
    var headers = response.headers();
    GatewayHeaders.ownBody(headers, "text/event-stream; charset=utf-8");
    headers.set("Cache-Control", "no-cache");
    headers.set("X-Accel-Buffering", "no");
    response.setChunked(true);
  }

  HttpServerResponse response() {
    return response;
  }

  /** Writes raw event text; pauses {@code stream} until the client drained what is queued. */
  public void write(String text, ChatStream stream) {
    if (response.closed()) {
      return;
    }
    response.write(text);
    if (stream != null && response.writeQueueFull()) {
      stream.pause();
      response.drainHandler(v -> stream.resume());
    }
  }

  public static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  public static String data(String data) {
    return "data: " + data + "\n\n";
  }

  public Future<Void> end() {
    return response.closed() ? Future.succeededFuture() : response.end();
  }

  /**
   * Writes {@code text} as the last bytes of a broken stream, then closes the connection without ending the
   * chunked body: the HTTP message itself is cut off, so no client (and no connection pool) can take it for a
   * whole answer. The future completes once the text is written, before the close.
   */
  public Future<Void> breakOffAfter(String text) {
    if (response.closed()) {
      return Future.succeededFuture();
    }
    return response.write(text).andThen(written -> in.request().connection().close());
  }
}
