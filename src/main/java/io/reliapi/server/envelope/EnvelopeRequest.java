package io.reliapi.server.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.FieldSyntax;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.http.StrictUtf8;
import io.reliapi.http.WrittenValue;
import io.reliapi.server.Fields;
import io.reliapi.upstream.PathGuard;
import io.vertx.core.buffer.Buffer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The parsed body of {@code POST /proxy/http} (SPEC §2.2), validated field by field. */
record EnvelopeRequest(
    TargetConfig target,
    HttpCall call,
    Optional<String> idempotencyKey,
    Optional<Long> cache,
    Optional<Long> timeoutMs) {

  private static final Set<String> FIELDS = Set.of("target", "method", "path", "query", "headers", "body",
      "body_base64", "idempotency_key", "cache", "timeout_ms");
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /** Parses the envelope; {@code targets} resolves the target name first, so later errors can name it. */
  static EnvelopeRequest parse(Buffer bytes, Function<String, TargetConfig> targets) {
    byte[] written = bytes.getBytes();
    if (!StrictUtf8.isJsonText(written)) {
      // JSON on the wire is UTF-8 (RFC 8259 §8.1). The parser would guess UTF-16 or UTF-32 from the bytes, and a
      // body forwarded as written could then not be found in them.
      throw invalid("The request body must be JSON encoded as UTF-8.");
    }
    JsonNode root = Json.parseOrNull(written);
    if (root == null || !root.isObject()) {
      throw invalid("The request body must be a JSON object.");
    }
    for (var names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw invalid("Unknown field '" + Fields.printable(name) + "'.");
      }
    }
    TargetConfig target = targets.apply(Fields.requiredText(root, "target"));
    String method = Fields.requiredText(root, "method").toUpperCase(java.util.Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw invalid("Field 'method' must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.");
    }
    String path = PathGuard.check(Fields.requiredText(root, "path"));
    if (path.isEmpty()) {
      throw invalid("Field 'path' must start with '/'.");
    }
    String pathAndQuery = PathGuard.encodeUnsafe(withQuery(path, root.get("query")));
    Headers headers = headers(root.get("headers"));
    Body body = Body.EMPTY;
    JsonNode text = root.get("body");
    JsonNode base64 = root.get("body_base64");
    if (Fields.given(text) && Fields.given(base64)) {
      throw invalid("Fields 'body' and 'body_base64' exclude each other.");
    }
    if (Fields.given(text)) {
      if (text.isTextual()) {
        body = Body.of(Buffer.buffer(text.asText()));
      } else if (text.isObject() || text.isArray()) {
        // As the client wrote it: written again from the tree, its decimals would have gone through doubles.
        body = Body.of(Objects.requireNonNull(WrittenValue.of(written, "body")));
        if (!headers.contains("content-type")) {
          headers = headers.with("Content-Type", "application/json");
        }
      } else {
        throw invalid("Field 'body' must be a string, an object or an array.");
      }
    } else if (Fields.given(base64)) {
      body = Body.of(Buffer.buffer(decodeBase64(base64)));
    }
    return new EnvelopeRequest(target, new HttpCall(method, pathAndQuery, headers, body),
        idempotencyKeyField(root.get("idempotency_key")),
        Fields.optionalInteger(root, "cache", 0, 31_536_000),
        Fields.optionalInteger(root, "timeout_ms", 1, 3_600_000));
  }

  private static String withQuery(String path, JsonNode query) {
    if (!Fields.given(query)) {
      return path;
    }
    if (!query.isObject()) {
      throw invalid("Field 'query' must be an object.");
    }
    List<String> pairs = new ArrayList<>();
    query.properties().forEach(e -> {
      List<JsonNode> values = new ArrayList<>();
      if (e.getValue().isArray()) {
        e.getValue().forEach(values::add);
      } else {
        values.add(e.getValue());
      }
      for (JsonNode value : values) {
        if (!value.isValueNode() || value.isNull()) {
          throw invalid("Query values must be strings, numbers, booleans or lists of them.");
        }
        pairs.add(encode(e.getKey()) + "=" + encode(value.asText()));
      }
    });
    if (pairs.isEmpty()) {
      return path;
    }
    return path + (path.indexOf('?') >= 0 ? "&" : "?") + String.join("&", pairs);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Headers headers(JsonNode node) {
    if (!Fields.given(node)) {
      return Headers.empty();
    }
    if (!node.isObject()) {
      throw invalid("Field 'headers' must be an object of strings.");
    }
    List<String> pairs = new ArrayList<>();
    node.properties().forEach(e -> {
      String name = e.getKey();
      JsonNode value = e.getValue();
      if (!FieldSyntax.isName(name)) {
        throw invalid("Header names must be HTTP tokens, without spaces, CR or LF.");
      }
      if (!value.isValueNode() || value.isNull()) {
        throw invalid("Header values must be strings.");
      }
      String text = value.asText();
      if (!FieldSyntax.isValue(text)) {
        throw invalid("Header values may hold only visible characters, spaces and tabs (no control characters).");
      }
      pairs.add(name);
      pairs.add(text);
    });
    return Headers.of(pairs.toArray(String[]::new));
  }

  private static byte[] decodeBase64(JsonNode node) {
    if (!node.isTextual()) {
      throw invalid("Field 'body_base64' must be a base64 string.");
    }
    try {
      return Base64.getDecoder().decode(node.asText().replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw invalid("Field 'body_base64' is not valid base64.");
    }
  }

  /** Reads the body's {@code idempotency_key}, of {@code /proxy/http} and of {@code /proxy/llm} alike. */
  static Optional<String> idempotencyKeyField(JsonNode node) {
    if (!Fields.given(node)) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw GatewayException.of(ErrorCode.IDEMPOTENCY_KEY_INVALID, "Field 'idempotency_key' must be a string.");
    }
    return Optional.of(node.asText());
  }

  private static GatewayException invalid(String message) {
    return GatewayException.of(ErrorCode.INVALID_REQUEST, message);
  }
}
