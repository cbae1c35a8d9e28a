package io.reliapi.admin;

import static io.reliapi.admin.AdminReplies.error;
import static io.reliapi.admin.AdminReplies.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.server.InboundBody;
import io.reliapi.server.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * The admin API's actions ({@code POST}): force a circuit breaker open or closed, reload the config. Each is
 * audit-logged with the admin who asked. Runs on the event loop; a reload runs on a worker.
 */
final class AdminActions {
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final AdminParts parts;

  AdminActions(AdminParts parts) {
    this.parts = parts;
  }

  /** Returns the state a breaker request's body asks for ({@code "open"} or {@code "closed"}), or null. */
  static String requestedState(JsonNode body) {
    String state = body == null ? null : body.path("state").asText(null);
    return "open".equals(state) || "closed".equals(state) ? state : null;
  }

  void breaker(HttpServerRequest request, Snapshot snapshot, String admin, String target) {
    InboundBody.read(request, MAX_BODY_BYTES).onComplete(read -> {
      if (read.failed()) {
        error(request, GatewayException.from(read.cause()));  // too large, or cut off: says which
        return;
      }
      JsonNode body = Json.parseOrNull(read.result().getBytes());
      String state = requestedState(body);
      if (state == null) {
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

  void reload(HttpServerRequest request, String admin) {
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

}
