package io.reliapi.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** One scripted answer of the {@link MockUpstream}: a status, a fault, a delay, a stream. */
@FunctionalInterface
public interface Behavior {
  void respond(MockUpstream.Call call);

  /** 200 with a JSON description of the request: method, uri, headers and body. */
  static Behavior echo() {
    return call -> {
      var r = call.recorded();
      JsonObject headers = new JsonObject();
      r.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
      JsonObject json = new JsonObject().put("method", r.method()).put("uri", r.uri())
          .put("headers", headers).put("body", r.bodyText());
      call.request().response().putHeader("Content-Type", "application/json").end(json.encode());
    };
  }

  static Behavior status(int status) {
    return respond(status, Map.of(), "");
  }

  static Behavior json(int status, String json) {
    return respond(status, Map.of("Content-Type", "application/json"), json);
  }

  static Behavior respond(int status, Map<String, String> headers, String body) {
    return respond(status, headers, Buffer.buffer(body));
  }

  static Behavior respond(int status, Map<String, String> headers, Buffer body) {
    return call -> {
      HttpServerResponse response = call.request().response().setStatusCode(status);
      headers.forEach(response::putHeader);
      response.end(body);
    };
  }

  /** Answers {@code status} with a JSON body naming the call: {"call":1} for the first, and so on. */
  static Behavior numbered(java.util.concurrent.atomic.AtomicInteger calls, int status) {
    return call -> call.request().response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end("{\"call\":" + calls.incrementAndGet() + "}");
  }

  /** Answers like {@code then}, but only after {@code delayMs}. */
  static Behavior delayed(long delayMs, Behavior then) {
    return call -> call.vertx().setTimer(Math.max(1, delayMs), t -> then.respond(call));
  }

  /** Closes the connection without answering: a reset after the request was received. */
  static Behavior reset() {
    return call -> call.request().connection().close();
  }

  /** Never answers (the connection stays open). */
  static Behavior silence() {
    return call -> {};
  }

  /** Sends the head and part of a body announced longer, then closes the connection. */
  static Behavior truncated(String firstPart, int announcedLength) {
    return call -> {
      HttpServerResponse response = call.request().response();
      response.putHeader("Content-Length", Integer.toString(announcedLength));
      response.write(firstPart).onComplete(v -> call.request().connection().close());
    };
  }

  /** Sends {@code chunks} one by one, {@code gapMs} apart, then ends the (chunked) response. */
  static Behavior chunks(Map<String, String> headers, List<String> chunks, long gapMs) {
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      headers.forEach(response::putHeader);
      writeChunks(call, response, chunks, 0, gapMs);
    };
  }

  /**
   * Streams {@code chunk} for ever (chunked), as fast as the reader takes it: it writes while the connection
   * accepts more and waits for it to drain otherwise, so a reader that stops reading holds the connection
   * without the upstream piling up memory. Writes a few chunks per event-loop turn (a closed connection
   * fails writes without ever filling up), and stops when the connection closes.
   */
  static Behavior endless(String chunk) {
    return endless(Map.of("Content-Type", "application/octet-stream"), "", chunk);
  }

  /** Answers with {@code headers} and {@code first}, then streams {@code chunk} for ever as {@link #endless(String)}. */
  static Behavior endless(Map<String, String> headers, String first, String chunk) {
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      headers.forEach(response::putHeader);
      if (!first.isEmpty()) {
        response.write(first);
      }
      writeWhileAccepted(call, response, Buffer.buffer(chunk));
    };
  }

  private static void writeWhileAccepted(MockUpstream.Call call, HttpServerResponse response, Buffer chunk) {
    if (response.closed()) {
      return;
    }
    for (int i = 0; i < 16 && !response.writeQueueFull(); i++) {
      response.write(chunk);
    }
    if (response.writeQueueFull()) {
      response.drainHandler(v -> writeWhileAccepted(call, response, chunk));
    } else {
      call.vertx().runOnContext(v -> writeWhileAccepted(call, response, chunk));
    }
  }

  private static void writeChunks(MockUpstream.Call call, HttpServerResponse response, List<String> chunks,
      int index, long gapMs) {
    if (index == chunks.size()) {
      response.end();
      return;
    }
    response.write(chunks.get(index));
    call.vertx().setTimer(Math.max(1, gapMs), t -> writeChunks(call, response, chunks, index + 1, gapMs));
  }
}
