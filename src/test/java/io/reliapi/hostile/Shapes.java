package io.reliapi.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.http.Json;
import io.reliapi.testing.SseEvents;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What a correct answer looks like on each route, whatever was asked: the upstream's answer, or a SPEC §4
 * error in the route's own wrapper whose code and status agree, and never {@code INTERNAL_ERROR}. Requests
 * the HTTP layer cannot parse get 400, 414 or 431 before any route sees them, with the SPEC error object in the
 * plain wrapper of requests no route takes (docs/api.md).
 */
final class Shapes {
  private static final Set<ErrorCode> HTTP_LAYER = Set.of(ErrorCode.INVALID_REQUEST, ErrorCode.URI_TOO_LONG,
      ErrorCode.HEADER_FIELDS_TOO_LARGE);
  private static final List<String> META = List.of("request_id", "target", "cache_hit", "idempotent_hit", "retries",
      "duration_ms", "fallback_used", "fallback_target",
      "fallback_reason");

  private Shapes() {}

  /**
   * An answer of the HTTP layer: no route ran, so it is the plain {@code {"error": {...}}} object of an unparsable
   * request, its code's status the answer's.
   */
  static boolean fromHttpLayer(RawClient.Answer a) {
    if (a.status() != 400 && a.status() != 414 && a.status() != 431) {
      return false;
    }
    JsonNode root = Json.parseOrNull(a.body());
    JsonNode code = root == null ? null : root.path("error").get("code");
    if (code == null || !code.isTextual() || root.size() != 1) {
      return false;
    }
    ErrorCode parsed = Arrays.stream(ErrorCode.values()).filter(c -> c.name().equals(code.asText())).findFirst()
        .orElse(null);
    return HTTP_LAYER.contains(parsed) && parsed.status() == a.status() && root.path("error").path("target").isNull();
  }

  /** {@code /proxy/http} and {@code /proxy/llm}: the envelope, or the named events of a stream. */
  static void envelope(RawClient.Answer a) {
    assertThat(a.status()).as("an HTTP answer: %s", a.raw()).isPositive();
    if (fromHttpLayer(a)) {
      return;
    }
    if (isEventStream(a)) {
      proxyEvents(a);
      return;
    }
    JsonNode json = json(a);
    assertThat(json.path("success").isBoolean()).as("success in %s", a.text()).isTrue();
    JsonNode meta = json.path("meta");
    for (String field : META) {
      assertThat(meta.has(field)).as("meta.%s in %s", field, a.text()).isTrue();
    }
    if (json.get("success").asBoolean()) {
      assertThat(a.status()).isBetween(200, 299);
      assertThat(json.has("data")).isTrue();
      return;
    }
    JsonNode error = json.path("error");
    ErrorCode code = gatewayCode(error.path("code").asText(), a);
    assertThat(error.path("status_code").asInt()).isEqualTo(a.status());
    assertThat(error.path("type").asText()).isEqualTo(code.type());
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.path("retryable").isBoolean()).isTrue();
    if (code != ErrorCode.UPSTREAM_ERROR) {
      assertThat(json.has("data")).as("a gateway failure has no data").isFalse();
    }
  }

  /** {@code /v1/*}: an OpenAI object, OpenAI's error shape, or OpenAI's stream. */
  static void openAi(RawClient.Answer a) {
    assertThat(a.status()).as("an HTTP answer: %s", a.raw()).isPositive();
    if (fromHttpLayer(a)) {
      return;
    }
    if (isEventStream(a)) {
      openAiEvents(a);
      return;
    }
    JsonNode json = json(a);
    if (a.status() < 300) {
      assertThat(json.path("object").asText()).isEqualTo("chat.completion");
      return;
    }
    JsonNode error = json.path("error");
    ErrorCode code = gatewayCode(error.path("code").asText(), a);
    assertThat(error.path("type").asText()).isEqualTo(code.type());
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.has("param")).isTrue();
  }

  /** {@code /t/*}: the upstream's own answer (the mock only ever says 200), or problem+json. */
  static void problem(RawClient.Answer a) {
    problem(a, false);
  }

  /** As {@link #problem(RawClient.Answer)}; the answer to a HEAD request has no body to check. */
  static void problem(RawClient.Answer a, boolean head) {
    assertThat(a.status()).as("an HTTP answer: %s", a.raw()).isPositive();
    if (fromHttpLayer(a)) {
      return;
    }
    String type = a.header("Content-Type");
    if (type == null || !type.startsWith("application/problem+json")) {
      assertThat(a.status()).as("the upstream's answer: %s", a.raw()).isEqualTo(200);
      assertThat(a.header("X-ReliAPI-Target")).isEqualTo("api");
      return;
    }
    if (head) {
      assertThat(a.body()).isEmpty();
      assertThat(a.status()).isGreaterThanOrEqualTo(400);
      return;
    }
    JsonNode json = json(a);
    ErrorCode code = gatewayCode(json.path("code").asText(), a);
    assertThat(json.path("type").asText()).isEqualTo("urn:reliapi:error:" + code.name());
    assertThat(json.path("status").asInt()).isEqualTo(a.status());
    assertThat(json.path("title").asText()).isEqualTo(code.title());
    assertThat(json.path("request_id").asText()).isEqualTo(a.header("X-Request-ID"));
  }

  /** Returns the code, checked to be a SPEC error other than INTERNAL_ERROR with the status it stands for. */
  static ErrorCode gatewayCode(String name, RawClient.Answer a) {
    ErrorCode code = streamCode(name, a.text());
    if (code != ErrorCode.UPSTREAM_ERROR) {
      assertThat(a.status()).as("the status of %s", name).isEqualTo(code.status());
    }
    return code;
  }

  /** Returns the code of an error inside a started stream (its answer's status is 200 by then). */
  static ErrorCode streamCode(String name, String context) {
    assertThat(Arrays.stream(ErrorCode.values()).map(Enum::name)).as("a SPEC error code in %s", context)
        .contains(name);
    ErrorCode code = ErrorCode.valueOf(name);
    assertThat(code).as("never INTERNAL_ERROR: %s", context).isNotEqualTo(ErrorCode.INTERNAL_ERROR);
    return code;
  }

  static boolean isEventStream(RawClient.Answer a) {
    String type = a.header("Content-Type");
    return a.status() == 200 && type != null && type.startsWith("text/event-stream");
  }

  /** {@code meta}, then {@code chunk}s, then exactly one of {@code done} or {@code error} (SPEC §2.3). */
  static List<SseEvents.Event> proxyEvents(RawClient.Answer a) {
    List<SseEvents.Event> events = SseEvents.parse(a.text());
    List<String> names = SseEvents.names(events);
    assertThat(names).as("events of %s", a.text()).isNotEmpty();
    assertThat(names.getFirst()).isEqualTo("meta");
    String last = names.getLast();
    assertThat(last).as("the last event of %s", a.text()).isIn("done", "error");
    assertThat(names.subList(1, names.size() - 1)).allMatch("chunk"::equals);
    if (last.equals("error")) {
      streamCode(events.getLast().json().path("code").asText(), a.text());
    }
    return events;
  }

  /** Chunk objects, then {@code [DONE]}, or an error object without {@code [DONE]} (SPEC §2.4). */
  static List<SseEvents.Event> openAiEvents(RawClient.Answer a) {
    List<SseEvents.Event> events = SseEvents.parse(a.text());
    assertThat(events).as("events of %s", a.text()).isNotEmpty();
    List<String> data = events.stream().map(SseEvents.Event::data).toList();
    long done = data.stream().filter("[DONE]"::equals).count();
    String last = data.getLast();
    if (done == 1) {
      assertThat(last).isEqualTo("[DONE]");
    } else {
      assertThat(done).isZero();
      JsonNode error = events.getLast().json().path("error");
      streamCode(error.path("code").asText(), a.text());
    }
    for (SseEvents.Event event : events.subList(0, events.size() - 1)) {
      // An OpenAI-protocol provider's chunks pass through as they came, odd ones too; each is a JSON object.
      assertThat(event.json().isObject()).as("a chunk object: %s", event.data()).isTrue();
    }
    return events;
  }

  static JsonNode json(RawClient.Answer a) {
    JsonNode json = Json.parseOrNull(a.body());
    assertThat(json).as("a JSON body: %s", new String(a.body(), StandardCharsets.UTF_8)).isNotNull();
    assertThat(json.isObject()).isTrue();
    return json;
  }
}
