package io.reliapi.admin;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.server.InboundBody;
import io.reliapi.server.Snapshot;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The status page under {@code /ui}: its login (the key posted once by the page's form to {@code /ui/login}, or
 * given as {@code /ui?key=…}; then a session cookie), its sign-out ({@code POST /ui/logout}) and its files, for an
 * admin only. Runs on the event loop.
 */
final class StatusPageRoutes {
  private final AdminAuth auth;
  private final KeyGate gate;
  private final StatusPage page;

  StatusPageRoutes(AdminAuth auth, KeyGate gate, StatusPage page) {
    this.auth = auth;
    this.gate = gate;
    this.page = page;
  }

  /** The most a login form's body may have: a key and its field name, percent-encoded. */
  static final long MAX_LOGIN_BYTES = 4096;

  void handle(HttpServerRequest request, Snapshot snapshot, String path) {
    if (path.equals("/ui/login") && request.method().equals(HttpMethod.POST)) {
      // A form keeps the key out of URLs, which proxies and browser histories keep.
      InboundBody.read(request, MAX_LOGIN_BYTES).onComplete(body -> {
        String key = body.succeeded() ? LoginForm.key(body.result().toString(StandardCharsets.UTF_8)) : null;
        long refusedS = gate.refusedForS(request, true);
        if (refusedS > 0) {
          page.throttled(request.response(), refusedS);
        } else {
          login(request, snapshot, key);
        }
      });
      return;
    }
    if (path.equals("/ui/logout") && request.method().equals(HttpMethod.POST)) {
      logout(request, snapshot);
      return;
    }
    if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
      boolean form = path.equals("/ui/login") || path.equals("/ui/logout");
      request.response().putHeader("Allow", form ? "POST" : "GET, HEAD");
      AdminReplies.error(request, GatewayException.of(ErrorCode.METHOD_NOT_ALLOWED,
          "The status page answers " + (form ? "POST" : "GET and HEAD") + " here."));
      return;
    }
    String key = request.getParam("key");
    boolean login = key != null && (path.equals("/ui") || path.equals("/ui/"));
    Optional<AdminAuth.Admin> admin = login ? Optional.empty() : auth.admin(request, snapshot);
    boolean guess = login || KeyGate.guess(request, admin);
    long refusedS = gate.refusedForS(request, guess);
    if (refusedS > 0) {
      page.throttled(request.response(), refusedS);
      return;
    }
    if (login) {
      login(request, snapshot, key);
      return;
    }
    if (admin.isEmpty()) {
      if (guess) {
        gate.wrongKey(request);
      }
      page.unauthorized(request.response());
      return;
    }
    page.serve(request.response(), path);
  }

  /** Signs out: the session ends on the gateway, not only in the browser. Like an admin action, only from the page. */
  private void logout(HttpServerRequest request, Snapshot snapshot) {
    if (!SessionWrites.fromThePage(request.getHeader("Content-Type"), request.getHeader("Sec-Fetch-Site"))) {
      AdminReplies.error(request, GatewayException.of(ErrorCode.FORBIDDEN,
          "Sign out from the status page: Content-Type: application/json, from the same origin."));
      return;
    }
    Optional<AdminAuth.Admin> admin = auth.admin(request, snapshot);
    auth.endSession(request);
    admin.ifPresent(signedOut -> Audit.action(signedOut.name(), "ui_logout", null, null, "done"));
    request.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
  }

  private void login(HttpServerRequest request, Snapshot snapshot, String key) {
    Optional<String> admin = auth.byKey(key, snapshot);
    if (admin.isEmpty()) {
      gate.wrongKey(request);
      page.unauthorized(request.response());
      return;
    }
    auth.startSession(request, key);
    Audit.action(admin.get(), "ui_login", null, null, "done");
    // The key leaves the address bar (and the browser's history) at once.
    request.response().setStatusCode(303).putHeader("Location", "/ui").end();
  }
}
