package io.reliapi.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * failoverbench's "wall", rebuilt: an OpenAI-compatible provider on a real socket that breaks on purpose, the
 * fault chosen by the model name ({@link WallFault}). It speaks hand-written HTTP/1.1 over a raw
 * {@link NetServer}, because the faults that matter are the ones an HTTP framework will not produce: a TCP
 * reset before any byte, a stream that stalls with the socket open, a chunked body that ends without its
 * terminating chunk. Every chat attempt is logged ({@link WallAttempt}) with its time since {@link #reset()}.
 *
 * <p>Routes: {@code POST …/chat/completions}, {@code GET …/models}, and the benchmark's control routes
 * {@code POST /control/reset}, {@code GET /control/log}, {@code POST /control/config} ({@code {"profile":
 * "fast"}} and/or {@code {"timing": {key: value}}}), {@code GET /control/health}.
 */
public final class FaultWall implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final WallLog log = new WallLog();
  private final NetServer server;
  private volatile WallTiming timing;

  private FaultWall(WallTiming timing) {
    this.timing = timing;
    WallChat chat = new WallChat(vertx, log, () -> this.timing);
    server = vertx.createNetServer().connectHandler(socket -> new WallConnection(socket, (connection, request) ->
        request.method().equals("POST") && request.route().endsWith("/chat/completions")
            ? chat.answer(connection, request)
            : control(connection, request)).start());
  }

  public static FaultWall start(WallTiming timing) {
    return start(timing, 0);
  }

  /** Starts listening on {@code port} of the loopback address (0 for any free port). */
  public static FaultWall start(WallTiming timing, int port) {
    return start(timing, "127.0.0.1", port);
  }

  public static FaultWall start(WallTiming timing, String host, int port) {
    FaultWall wall = new FaultWall(timing);
    try {
      wall.server.listen(port, host).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      wall.close();
      throw new IllegalStateException("fault wall could not listen", e);
    }
    return wall;
  }

  public int port() {
    return server.actualPort();
  }

  /** The provider's base URL, version segment included, as a gateway target's {@code base_url}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /** Forgets every attempt and attempt count, and starts the clock again (the flap's outage starts now). */
  public void reset() {
    log.reset();
  }

  /** Every chat attempt since the last reset, in arrival order. */
  public List<WallAttempt> log() {
    return log.entries();
  }

  /** Seconds since the last reset. */
  public double now() {
    return log.now();
  }

  public WallTiming timing() {
    return timing;
  }

  public void timing(WallTiming timing) {
    this.timing = timing;
  }

  private Future<Boolean> control(WallConnection connection, WallRequest request) {
    boolean keep = request.keepAlive();
    String path = request.route();
    if (request.method().equals("GET") && path.endsWith("/models")) {
      JsonArray models = new JsonArray();
      for (WallFault fault : WallFault.values()) {
        models.add(new JsonObject().put("id", "fb-" + fault.tag).put("object", "model")
            .put("owned_by", "failoverbench"));
      }
      return ok(connection, new JsonObject().put("object", "list").put("data", models), keep);
    }
    return switch (path) {
      case "/control/reset" -> {
        reset();
        yield ok(connection, new JsonObject().put("ok", true).put("t", now()), keep);
      }
      case "/control/log" -> {
        JsonArray entries = new JsonArray();
        log().forEach(entry -> entries.add(entry.toJson()));
        yield ok(connection, new JsonObject().put("t", now()).put("timing", new JsonObject(timing.asMap()))
            .put("log", entries), keep);
      }
      case "/control/config" -> configure(connection, request, keep);
      case "/", "/health", "/control/health" -> ok(connection, new JsonObject().put("ok", true).put("t", now()), keep);
      default -> connection.write(WallReplies.json(404, WallReplies.error("No route for " + request.method() + " "
          + path, "invalid_request_error", null, null), keep, Map.of())).map(keep);
    };
  }

  private Future<Boolean> configure(WallConnection connection, WallRequest request, boolean keep) {
    JsonObject config;
    try {
      config = request.body().length == 0 ? new JsonObject() : new JsonObject(request.bodyText());
    } catch (RuntimeException e) {
      return connection.write(WallReplies.json(400, WallReplies.error("invalid JSON", "invalid_request_error", null,
          null), keep, Map.of())).map(keep);
    }
    String profile = config.getString("profile");
    WallTiming next = profile != null && WallTiming.exists(profile) ? WallTiming.named(profile) : timing;
    timing = next.with(config.getJsonObject("timing", new JsonObject()).getMap());
    return ok(connection, new JsonObject().put("ok", true).put("timing", new JsonObject(timing.asMap())), keep);
  }

  private static Future<Boolean> ok(WallConnection connection, JsonObject body, boolean keep) {
    return connection.write(WallReplies.json(200, body, keep, Map.of())).map(keep);
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fault wall did not stop", e);
    }
  }
}
