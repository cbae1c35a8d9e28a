package io.reliapi.admin;

import static io.reliapi.admin.AdminReplies.error;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.server.Snapshot;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * The JSON admin API under {@code /admin/}, for an admin key or the status page's session: it refuses an
 * address that offered too many wrong keys and a session's write that did not come from the status page
 * ({@link SessionWrites}), then hands each route to its view ({@link AdminReads}) or action ({@link AdminActions}).
 * Runs on the event loop.
 */
final class AdminApi {
  private final AdminAuth auth;
  private final KeyGate gate;
  private final AdminReads reads;
  private final AdminActions actions;

  AdminApi(AdminParts parts, AdminAuth auth, KeyGate gate) {
    this.auth = auth;
    this.gate = gate;
    this.reads = new AdminReads(parts);
    this.actions = new AdminActions(parts);
  }

  void handle(HttpServerRequest request, Snapshot snapshot, String path) {
    Optional<AdminAuth.Admin> admin = auth.admin(request, snapshot);
    boolean guess = KeyGate.guess(request, admin);
    long refusedS = gate.refusedForS(request, guess);
    if (refusedS > 0) {
      error(request, GatewayException.of(ErrorCode.RATE_LIMITED,
          "Too many wrong admin keys from this address; retry after the time in Retry-After.").withRetryAfter(refusedS));
      return;
    }
    if (admin.isEmpty()) {
      if (guess) {
        gate.wrongKey(request);
      }
      error(request, GatewayException.of(ErrorCode.UNAUTHORIZED, "A valid admin key is required."));
      return;
    }
    if (admin.get().bySession() && request.method().equals(HttpMethod.POST)
        && !SessionWrites.fromThePage(request.getHeader("Content-Type"), request.getHeader("Sec-Fetch-Site"))) {
      Audit.action(admin.get().name(), "session_write_refused", null, null, "403");
      error(request, GatewayException.of(ErrorCode.FORBIDDEN, "An admin action with the session cookie must come "
          + "from the status page: Content-Type: application/json, from the same origin."));
      return;
    }
    route(request, snapshot, admin.get().name(), path.substring("/admin".length()));
  }

  /**
   * Returns the target named by {@code /targets/{name}/breaker}, or null for another path ({@code /targets/breaker}
   * included, whose prefix and suffix overlap). Pure.
   */
  static String breakerTarget(String path) {
    String prefix = "/targets/";
    String suffix = "/breaker";
    boolean shaped = path.startsWith(prefix) && path.endsWith(suffix)
        && path.length() > prefix.length() + suffix.length();
    return shaped ? path.substring(prefix.length(), path.length() - suffix.length()) : null;
  }

  private void route(HttpServerRequest request, Snapshot snapshot, String admin, String path) {
    // A HEAD reads as a GET does; Vert.x leaves its body out.
    boolean get = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
    boolean post = request.method().equals(HttpMethod.POST);
    String breakerOf = breakerTarget(path);
    if (path.equals("/reload") && post) {
      actions.reload(request, admin);
    } else if (breakerOf != null && post) {
      actions.breaker(request, snapshot, admin, breakerOf);
    } else if (!get) {
      error(request, GatewayException.of(ErrorCode.METHOD_NOT_ALLOWED, "This admin route does not take this method."));
    } else if (path.startsWith("/requests/")) {
      reads.request(request, path.substring("/requests/".length()));
    } else {
      reads.view(request, snapshot, path);
    }
  }
}
