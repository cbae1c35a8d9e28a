package io.reliapi.testing;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP/1.1 request as the {@link FaultWall} read it off the socket: header names lower-cased. */
record WallRequest(String method, String path, String version, Map<String, String> headers, byte[] body) {

  String header(String name) {
    return headers.get(name);
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The path without its query. */
  String route() {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  boolean keepAlive() {
    String connection = headers.getOrDefault("connection", "").toLowerCase();
    return version.equals("HTTP/1.0") ? connection.contains("keep-alive") : !connection.contains("close");
  }
}
