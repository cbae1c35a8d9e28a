package io.reliapi.admin;

import static io.reliapi.admin.AdminReplies.error;
import static io.reliapi.admin.AdminReplies.json;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.observe.RequestRecord;
import io.reliapi.server.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The admin API's views ({@code GET}): what the request path publishes (snapshot, breakers, stores, the ring of
 * recent requests), written by {@link AdminViews} and {@link RequestView}. Runs on the event loop.
 */
final class AdminReads {
  /** Requests of the last minute feed the per-target figures. */
  static final long STATS_WINDOW_MS = 60_000;
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 10_000;

  private final AdminParts parts;

  AdminReads(AdminParts parts) {
    this.parts = parts;
  }

  /** Answers the view at {@code path} (below {@code /admin}). */
  void view(HttpServerRequest request, Snapshot snapshot, String path) {
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

  /** Answers one of the recent requests by its id. */
  void request(HttpServerRequest request, String id) {
    RequestRecord record = parts.recent().find(id);
    if (record == null) {
      error(request, GatewayException.of(ErrorCode.ROUTE_NOT_FOUND,
          "No request with this id among the last " + parts.recent().size() + "."));
    } else {
      json(request, Json.write(out -> RequestView.write(out, record)));
    }
  }

  /**
   * Returns how many requests {@code ?limit=} asks for: {@value #DEFAULT_LIMIT} when absent or not a number,
   * else within 1 and {@value #MAX_LIMIT}.
   */
  static int limit(String text) {
    try {
      return text == null ? DEFAULT_LIMIT : Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(text)));
    } catch (NumberFormatException e) {
      return DEFAULT_LIMIT;
    }
  }

  /** Everything the status page shows, in one answer. */
  private void overview(HttpServerRequest request, Snapshot snapshot) {
    budgets(snapshot).onComplete(lines -> json(request, Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("now", Instant.ofEpochMilli(parts.clock().epochMillis()).toString());
      AdminViews.config(out, snapshot, parts.lastReload().get());
      AdminViews.targets(out, snapshot, stats(), parts.stores().deployments(), parts.clock().epochMillis());
      AdminViews.budgets(out, lines.succeeded() ? lines.result() : List.of());
      AdminViews.stores(out, parts.stores(), snapshot.config().redis().isPresent());
      out.writeArrayFieldStart("recent_failures");
      for (RequestRecord record : failures(20)) {
        RequestView.write(out, record);
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
        RequestView.write(out, record);
      }
      out.writeEndArray();
      out.writeEndObject();
    }));
  }

  private List<RequestRecord> failures(int limit) {
    return parts.recent().newestFirst().stream().filter(RequestRecord::failed).limit(limit).toList();
  }

  private Map<String, TargetStats> stats() {
    List<RequestRecord> records = parts.recent().newestFirst();
    return TargetStats.of(records, records.size() >= parts.recent().size(), parts.clock().epochMillis(),
        STATS_WINDOW_MS);
  }

  private Future<List<BudgetLines.Line>> budgets(Snapshot snapshot) {
    return BudgetLines.read(snapshot.config(), parts.stores().budgets().shared(), parts.clock().epochMillis());
  }
}
