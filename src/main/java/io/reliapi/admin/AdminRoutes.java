package io.reliapi.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.observe.RequestRecord;
import io.reliapi.server.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Optional;

/**
 * The admin API under {@code /admin/} and the status page under {@code /ui}, both behind the admin keys.
 * Reads what the request path publishes (snapshot, breakers, stores, the ring of recent requests); its
 * actions (force a breaker, reload) are audit-logged, and so are wrong keys, which an address may offer only
 * a few times a minute ({@link KeyGuesses}). Runs on the event loop; a reload runs on a worker.
 */
public final class AdminRoutes implements Handler<HttpServerRequest> {
  /** Requests of the last minute feed the per-target figures. */
  static final long STATS_WINDOW_MS = 60_000;
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final AdminParts parts;
  private final AdminAuth auth;
  private final KeyGuesses guesses;
  private final StatusPage page;

  /** {@code page} is loaded from the jar beforehand ({@link StatusPage#load()}), off the event loop. */
  public AdminRoutes(AdminParts parts, StatusPage page) {
    this.parts = parts;
    this.auth = new AdminAuth(parts.clock());
    this.guesses = new KeyGuesses(parts.clock());
    this.page = page;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Snapshot snapshot = parts.current().get();
    String path = request.path();
    if (path.equals("/ui") || path.startsWith("/ui/")) {
      ui(request, snapshot, path);
      return;
    }
    boolean guess = presentsKey(request);
    long refusedS = guess ? guesses.refusedForS(address(request)) : 0;
    if (refusedS > 0) {
      error(request, GatewayException.of(ErrorCode.RATE_LIMITED,
          "Too many wrong admin keys from this address; retry after the time in Retry-After.").withRetryAfter(refusedS));
      return;
    }
    Optional<String> admin = auth.admin(request, snapshot);
    if (admin.isEmpty()) {
      if (guess) {
        wrongKey(request);
      }
      error(request, GatewayException.of(ErrorCode.UNAUTHORIZED, "A valid admin key is required."));
      return;
    }
    api(request, snapshot, admin.get(), path.substring("/admin".length()));
  }

  private void ui(HttpServerRequest request, Snapshot snapshot, String path) {
    String key = request.getParam("key");
    boolean login = key != null && (path.equals("/ui") || path.equals("/ui/"));
    boolean guess = login || presentsKey(request);
    long refusedS = guess ? guesses.refusedForS(address(request)) : 0;
    if (refusedS > 0) {
      page.throttled(request.response(), refusedS);
      return;
    }
    if (login) {
      Optional<String> admin = auth.byKey(key, snapshot);
      if (admin.isEmpty()) {
        wrongKey(request);
        page.unauthorized(request.response());
        return;
      }
      auth.startSession(request, key);
      Audit.action(admin.get(), "ui_login", null, null, "done");
      // The key leaves the address bar (and the browser's history) at once.
      request.response().setStatusCode(303).putHeader("Location", "/ui").end();
      return;
    }
    if (auth.admin(request, snapshot).isEmpty()) {
      if (guess) {
        wrongKey(request);
      }
      page.unauthorized(request.response());
      return;
    }
    page.serve(request.response(), path);
  }

  /** Returns whether the request offers a key (a session cookie is no guess: its token cannot be guessed). */
  private static boolean presentsKey(HttpServerRequest request) {
    return request.getHeader("X-API-Key") != null || request.getHeader("Authorization") != null;
  }

  /** Counts and audits a wrong key; the one that gets its address refused is audited as well. */
  private void wrongKey(HttpServerRequest request) {
    String address = address(request);
    Audit.action(null, "auth_failed", null, address, "401");
    if (guesses.failed(address)) {
      Audit.action(null, "auth_throttled", null, address, "429 for " + guesses.refusedForS(address) + " s");
    }
  }

  /** The client's address as this gateway sees it: a proxy in front of it is one address for all its clients. */
  private static String address(HttpServerRequest request) {
    var remote = request.remoteAddress();
    String host = remote == null ? null : remote.hostAddress();
    return host == null ? "unknown" : host;
  }

  private void api(HttpServerRequest request, Snapshot snapshot, String admin, String path) {
    boolean get = request.method().equals(HttpMethod.GET);
    boolean post = request.method().equals(HttpMethod.POST);
    if (path.equals("/reload") && post) {
      reload(request, admin);
    } else if (path.startsWith("/targets/") && path.endsWith("/breaker") && post) {
      breaker(request, snapshot, admin, path.substring("/targets/".length(), path.length() - "/breaker".length()));
    } else if (!get) {
      error(request, GatewayException.of(ErrorCode.METHOD_NOT_ALLOWED, "This admin route does not take this method."));
    } else if (path.startsWith("/requests/")) {
      RequestRecord record = parts.recent().find(path.substring("/requests/".length()));
      if (record == null) {
        error(request, GatewayException.of(ErrorCode.ROUTE_NOT_FOUND,
            "No request with this id among the last " + parts.recent().size() + "."));
      } else {
        json(request, Json.write(out -> AdminViews.request(out, record)));
      }
    } else {
      view(request, snapshot, path);
    }
  }

  private void view(HttpServerRequest request, Snapshot snapshot, String path) {
    switch (path) {
      case "/overview" -> overview(request, snapshot);
      case "/targets" -> json(request, Json.write(out -> {
        out.writeStartObject();
        AdminViews.targets(out, snapshot, stats(), parts.stores().deployments(), parts.clock().epochMillis());
        out.writeEndObject();
      }));
      case "/budgets" -> budgets(snapshot).onComplete(lines -> json(request, Json.write(out -> {
        out.writeStartObject();
        AdminViews.budgets(out, lines.succeeded() ? lines.result() : List.of());
        out.writeEndObject();
      })));
      case "/stores" -> json(request, Json.write(out -> {
        out.writeStartObject();
        AdminViews.stores(out, parts.stores(), snapshot.config().redis().isPresent());
        out.writeEndObject();
      }));
      case "/config" -> json(request, Json.write(out -> {
        out.writeStartObject();
        AdminViews.config(out, snapshot, parts.lastReload().get());
        out.writeEndObject();
      }));
      case "/requests" -> requests(request);
      default -> error(request, GatewayException.of(ErrorCode.ROUTE_NOT_FOUND, "No admin route at this path."));
    }
  }

  /** Everything the status page shows, in one answer. */
  private void overview(HttpServerRequest request, Snapshot snapshot) {
    budgets(snapshot).onComplete(lines -> json(request, Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("now", java.time.Instant.ofEpochMilli(parts.clock().epochMillis()).toString());
      AdminViews.config(out, snapshot, parts.lastReload().get());
      AdminViews.targets(out, snapshot, stats(), parts.stores().deployments(), parts.clock().epochMillis());
      AdminViews.budgets(out, lines.succeeded() ? lines.result() : List.of());
      AdminViews.stores(out, parts.stores(), snapshot.config().redis().isPresent());
      out.writeArrayFieldStart("recent_failures");
      for (RequestRecord record : failures(20)) {
        AdminViews.request(out, record);
      }
      out.writeEndArray();
      out.writeEndObject();
    })));
  }

  private void requests(HttpServerRequest request) {
    boolean failedOnly = "true".equals(request.getParam("failed"));
    int limit = limit(request.getParam("limit"));
    List<RequestRecord> records = failedOnly ? failures(limit)
        : parts.recent().newestFirst().stream().limit(limit).toList();
    json(request, Json.write(out -> {
      out.writeStartObject();
      out.writeArrayFieldStart("requests");
      for (RequestRecord record : records) {
        AdminViews.request(out, record);
      }
      out.writeEndArray();
      out.writeEndObject();
    }));
  }

  private List<RequestRecord> failures(int limit) {
    return parts.recent().newestFirst().stream().filter(RequestRecord::failed).limit(limit).toList();
  }

  private static int limit(String text) {
    try {
      return text == null ? 100 : Math.max(1, Math.min(10_000, Integer.parseInt(text)));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  private java.util.Map<String, TargetStats> stats() {
    List<RequestRecord> records = parts.recent().newestFirst();
    return TargetStats.of(records, records.size() >= parts.recent().size(), parts.clock().epochMillis(),
        STATS_WINDOW_MS);
  }

  private Future<List<BudgetLines.Line>> budgets(Snapshot snapshot) {
    return BudgetLines.read(snapshot.config(), parts.stores().budgets().shared(), parts.clock().epochMillis());
  }

  private void breaker(HttpServerRequest request, Snapshot snapshot, String admin, String target) {
    body(request).onComplete(read -> {
      JsonNode body = read.succeeded() ? Json.parseOrNull(read.result().getBytes()) : null;
      String state = body == null ? null : body.path("state").asText(null);
      if (!"open".equals(state) && !"closed".equals(state)) {
        error(request, GatewayException.of(ErrorCode.INVALID_REQUEST, "Send {\"state\": \"open\"} or {\"state\": \"closed\"}."));
        return;
      }
      // A target with deployments has a breaker per deployment, named by the body's "deployment".
      var breaker = snapshot.breakers().of(target, body.path("deployment").asText(null));
      if (breaker.isEmpty()) {
        Audit.action(admin, "breaker_" + state, target, null, "no_such_breaker");
        error(request, GatewayException.of(ErrorCode.TARGET_NOT_FOUND, "No target with a circuit breaker by this name."));
        return;
      }
      if ("open".equals(state)) {
        breaker.get().forceOpen();
      } else {
        breaker.get().forceClosed();
      }
      Audit.action(admin, "breaker_" + state, target, null, "done");
      json(request, Json.write(out -> {
        out.writeStartObject();
        out.writeStringField("target", target);
        out.writeStringField("state", breaker.get().state());
        out.writeBooleanField("forced", breaker.get().forcedOpen());
        out.writeEndObject();
      }));
    });
  }

  private void reload(HttpServerRequest request, String admin) {
    parts.reload().apply("admin").onComplete(done -> {
      if (done.failed()) {
        Audit.action(admin, "reload", null, null, "failed");
        error(request, GatewayException.from(done.cause()));
        return;
      }
      ReloadOutcome outcome = done.result();
      Audit.action(admin, "reload", null, "version " + outcome.version(), outcome.result());
      request.response().setStatusCode(outcome.refused() ? 422 : 200);
      json(request, Json.write(out -> AdminViews.reload(out, outcome)));
    });
  }

  private static Future<Buffer> body(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length != null && length.length() > 6) {
      return Future.failedFuture(new IllegalArgumentException("too large"));
    }
    return request.body().compose(b -> b.length() > MAX_BODY_BYTES
        ? Future.failedFuture(new IllegalArgumentException("too large")) : Future.succeededFuture(b));
  }

  private static void json(HttpServerRequest request, Buffer body) {
    HttpServerResponse response = request.response();
    response.putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(body);
  }

  private static void error(HttpServerRequest request, GatewayException error) {
    request.response().setStatusCode(error.status());
    if (error.retryAfterS() != null) {
      request.response().putHeader("Retry-After", Long.toString(error.retryAfterS()));
    }
    json(request, Json.write(out -> {
      out.writeStartObject();
      out.writeObjectFieldStart("error");
      out.writeStringField("type", error.code().type());
      out.writeStringField("code", error.code().name());
      out.writeStringField("message", error.getMessage());
      out.writeBooleanField("retryable", error.code().retryable());
      out.writeNullField("target");
      out.writeNumberField("status_code", error.status());
      if (error.retryAfterS() != null) {
        out.writeNumberField("retry_after_s", error.retryAfterS());
      }
      out.writeEndObject();
      out.writeEndObject();
    }));
  }
}
