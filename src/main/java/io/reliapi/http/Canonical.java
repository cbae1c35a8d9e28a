package io.reliapi.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Canonical forms of request parts, so requests that mean the same produce the same idempotency
 * fingerprint and cache key: the query with its parameters sorted by name, and JSON with its object
 * members sorted by name and no insignificant whitespace.
 */
public final class Canonical {
  private Canonical() {}

  /** Returns the path of a {@code path?query} string. */
  public static String path(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
  }

  /**
   * Returns the query of a {@code path?query} string with its parameters sorted by name; the values of a
   * repeated name keep their order, since it can matter. Empty parameters are dropped.
   */
  public static String query(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    if (q < 0 || q == pathAndQuery.length() - 1) {
      return "";
    }
    List<String> params = new ArrayList<>();
    for (String param : pathAndQuery.substring(q + 1).split("&")) {
      if (!param.isEmpty()) {
        params.add(param);
      }
    }
    params.sort(Comparator.comparing(Canonical::name));
    return String.join("&", params);
  }

  private static String name(String param) {
    int eq = param.indexOf('=');
    return eq < 0 ? param : param.substring(0, eq);
  }

  /** Returns whether a Content-Type names JSON ({@code application/json} or a {@code +json} type). */
  public static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("application/json") || type.contains("+json");
  }

  /**
   * Returns the canonical bytes of a JSON document, or null when {@code bytes} are not one, or not one whose
   * canonical form keeps all a reader of its bytes may go by ({@link FaithfulJson}).
   */
  public static Buffer json(byte[] bytes) {
    if (!FaithfulJson.check(bytes)) {
      return null;
    }
    JsonNode node = Json.parseOrNull(bytes);
    return node == null ? null : Json.write(out -> write(out, node));
  }

  private static void write(JsonGenerator out, JsonNode node) throws IOException {
    if (node.isObject()) {
      out.writeStartObject();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        out.writeFieldName(name);
        write(out, node.get(name));
      }
      out.writeEndObject();
    } else if (node.isArray()) {
      out.writeStartArray();
      for (JsonNode item : node) {
        write(out, item);
      }
      out.writeEndArray();
    } else {
      out.writeTree(node);
    }
  }
}
