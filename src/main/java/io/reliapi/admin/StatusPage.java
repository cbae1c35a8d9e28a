package io.reliapi.admin;

import io.reliapi.server.WholeBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The status page's files, read from the jar once at startup (no CDN: the page works offline) and served
 * with a strict content security policy: only the page's own script, style and admin API.
 */
public final class StatusPage {
  private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private static final Map<String, String> TYPES = Map.of(
      "/ui", "text/html; charset=utf-8",
      "/ui/app.js", "text/javascript; charset=utf-8",
      "/ui/app.css", "text/css; charset=utf-8");
  private static final Buffer UNAUTHORIZED = Buffer.buffer("""
      <!doctype html><html lang="en"><head><meta charset="utf-8"><title>ReliAPI status</title>
      <link rel="icon" href="data:,"></head><body><h1>Admin key required</h1>
      <form method="post" action="/ui/login"><input type="text" name="username" value="reliapi-admin"
      autocomplete="username" hidden><label>Admin key <input type="password" name="key" id="key"
      autocomplete="current-password" required></label> <button type="submit">Sign in</button></form>
      <p>The page then keeps a session cookie.</p></body></html>
      """);

  private static final Buffer THROTTLED = Buffer.buffer("""
      <!doctype html><html lang="en"><head><meta charset="utf-8"><title>ReliAPI status</title>
      <link rel="icon" href="data:,"></head><body><h1>Too many wrong keys</h1>
      <p>This address offered too many wrong admin keys; try again in a minute.</p></body></html>
      """);

  private final Map<String, Buffer> files;

  private StatusPage(Map<String, Buffer> files) {
    this.files = files;
  }

  /** Reads the page's files from the jar; blocking, so call it at startup. */
  public static StatusPage load() {
    return new StatusPage(Map.of(
        "/ui", read("/ui/index.html"),
        "/ui/app.js", read("/ui/app.js"),
        "/ui/app.css", read("/ui/app.css")));
  }

  void serve(HttpServerResponse response, String path) {
    String file = path.equals("/ui/") || path.equals("/ui/index.html") ? "/ui" : path;
    Buffer body = files.get(file);
    if (body == null) {
      response.setStatusCode(404);
      headers(response, "text/plain; charset=utf-8").end("Not found");
      return;
    }
    WholeBody.end(headers(response, TYPES.get(file)), body);
  }

  /** Refuses a login from an address that offered too many wrong keys, for {@code seconds}. */
  void throttled(HttpServerResponse response, long seconds) {
    response.setStatusCode(429).putHeader("Retry-After", Long.toString(seconds));
    WholeBody.end(headers(response, "text/html; charset=utf-8"), THROTTLED);
  }

  void unauthorized(HttpServerResponse response) {
    response.setStatusCode(401);
    WholeBody.end(headers(response, "text/html; charset=utf-8"), UNAUTHORIZED);
  }

  private static HttpServerResponse headers(HttpServerResponse response, String type) {
    return response.putHeader("Content-Type", type)
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        // frame-ancestors for browsers that predate it.
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-store");
  }

  private static Buffer read(String resource) {
    try (InputStream in = StatusPage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
