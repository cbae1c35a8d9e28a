package io.reliapi.admin;

import io.reliapi.error.GatewayException;
import io.reliapi.server.Snapshot;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * The admin API under {@code /admin/} ({@link AdminApi}) and the status page under {@code /ui}
 * ({@link StatusPageRoutes}), both behind the admin keys. Reads what the request path publishes (snapshot,
 * breakers, stores, the ring of recent requests); its actions (force a breaker, reload) are audit-logged, and
 * so are wrong keys, which an address may offer only a few times a minute ({@link KeyGate}). Runs on the event
 * loop; a reload runs on a worker.
 */
public final class AdminRoutes implements Handler<HttpServerRequest> {
  private final AdminParts parts;
  private final AdminApi api;
  private final StatusPageRoutes ui;
  private final AdminAuth auth;

  /** {@code page} is loaded from the jar beforehand ({@link StatusPage#load()}), off the event loop. */
  public AdminRoutes(AdminParts parts, StatusPage page) {
    this.parts = parts;
    this.auth = new AdminAuth(parts.clock());
    KeyGate gate = new KeyGate(parts.clock());
    this.api = new AdminApi(parts, auth, gate);
    this.ui = new StatusPageRoutes(auth, gate, page);
  }

  /**
   * Ends the status page's sessions whose admin key {@code snapshot} no longer holds: a reload that removes a key ends
   * its sessions for good, so a reload that puts the key back does not revive them.
   */
  public void reloaded(Snapshot snapshot) {
    auth.forgetSessionsWithoutKey(snapshot);
  }

  @Override
  public void handle(HttpServerRequest request) {
    try {
      Snapshot snapshot = parts.current().get();
      String path = request.path();
      if (path.equals("/ui") || path.startsWith("/ui/")) {
        ui.handle(request, snapshot, path);
      } else {
        api.handle(request, snapshot, path);
      }
    } catch (RuntimeException bug) {
      // A bug here must not leave the operator's request without an answer; the event loop's handler logs it.
      if (!request.response().headWritten()) {
        AdminReplies.error(request, GatewayException.from(bug));
      }
      throw bug;
    }
  }
}
