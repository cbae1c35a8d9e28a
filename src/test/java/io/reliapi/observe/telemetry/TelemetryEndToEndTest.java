package io.reliapi.observe.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.OtlpReceiver;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Traces exported over OTLP/HTTP to a real receiver, and the W3C traceparent carried through to the upstream. */
class TelemetryEndToEndTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN = "b7ad6b7169203331";
  private final MockUpstream up = MockUpstream.start();
  private final OtlpReceiver collector = OtlpReceiver.start();
  private GatewayHarness gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    collector.close();
    up.close();
  }

  private void start(String endpoint) {
    gw = GatewayHarness.yaml("""
        telemetry: {otlp_endpoint: "%2$s", service_name: edge-gateway}
        targets:
          api:
            base_url: "%1$s"
            retry_matrix: {"5xx": {attempts: 2, backoff: constant, base_s: 0.02, max_s: 1}}
          openai:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
          pooled:
            base_url: "%1$s/a"
            retry_matrix: {"5xx": {attempts: 2, backoff: constant, base_s: 0.02, max_s: 1}}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
        """.formatted(up.baseUrl(), endpoint)).start();
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static Map<String, String> attributes(Span span) {
    return span.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, kv -> {
      var v = kv.getValue();
      return v.hasIntValue() ? String.valueOf(v.getIntValue()) : v.hasDoubleValue() ? String.valueOf(v.getDoubleValue())
          : v.hasBoolValue() ? String.valueOf(v.getBoolValue()) : v.getStringValue();
    }));
  }

  private List<Span> spansOf(String traceId, int atLeast) {
    return Awaitility.await().atMost(Duration.ofSeconds(15)).until(
        () -> collector.spans().stream().filter(s -> hex(s.getTraceId()).equals(traceId)).toList(),
        spans -> spans.size() >= atLeast);
  }

  @Test
  void aRetriedRequestIsOneTraceUnderTheCallersSpanWithAClientSpanPerAttempt() {
    start(collector.tracesUrl());
    up.script("GET /flaky", Behavior.status(503), Behavior.json(200, "{}"));
    try (LogCapture logs = LogCapture.capture()) {
      Res res = gw.http.get("/t/api/flaky", "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
      assertThat(res.status()).isEqualTo(200);

      List<Span> spans = spansOf(TRACE_ID, 3);
      Span server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
      assertThat(hex(server.getParentSpanId())).isEqualTo(CALLER_SPAN);
      assertThat(server.getName()).isEqualTo("GET /t/{target}/{path}");
      assertThat(attributes(server)).containsEntry("http.response.status_code", "200")
          .containsEntry("reliapi.target", "api").containsEntry("reliapi.retries", "1");

      List<Span> attempts = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
          .sorted(java.util.Comparator.comparing(s -> attributes(s).get("reliapi.attempt"))).toList();
      assertThat(attempts).hasSize(2).allSatisfy(a ->
          assertThat(hex(a.getParentSpanId())).isEqualTo(hex(server.getSpanId())));
      assertThat(attributes(attempts.get(0))).containsEntry("reliapi.attempt", "1").containsEntry("reliapi.retry", "0")
          .containsEntry("reliapi.wait_ms", "0").containsEntry("reliapi.breaker_state", "closed")
          .containsEntry("http.response.status_code", "503").containsEntry("reliapi.result", "http_5xx");
      assertThat(attributes(attempts.get(1))).containsEntry("reliapi.attempt", "2").containsEntry("reliapi.retry", "1")
          .containsEntry("reliapi.wait_ms", "20").containsEntry("reliapi.retry_class", "5xx")
          .containsEntry("http.response.status_code", "200");

      // Each attempt sent its own span as the upstream's parent, in the caller's trace.
      List<String> sent = up.requests().stream().map(r -> r.header("traceparent")).toList();
      assertThat(sent).containsExactly("00-" + TRACE_ID + "-" + hex(attempts.get(0).getSpanId()) + "-01",
          "00-" + TRACE_ID + "-" + hex(attempts.get(1).getSpanId()) + "-01");
      assertThat(collector.serviceNames()).contains("edge-gateway");

      Awaitility.await().until(() -> !logs.accessLines().isEmpty());
      assertThat(Json.parseOrNull(logs.accessLines().get(0).getBytes()).get("trace_id").asText()).isEqualTo(TRACE_ID);
    }
  }

  @Test
  void eachAttemptSpanAndTheAccessLineNameTheDeployment() {
    start(collector.tracesUrl());
    up.script("GET /a/x", Behavior.status(503));
    try (LogCapture logs = LogCapture.capture()) {
      Res res = gw.http.get("/t/pooled/x", "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
      assertThat(res.status()).isEqualTo(200);
      assertThat(res.header("X-ReliAPI-Deployment")).isEqualTo("b");

      List<Span> attempts = spansOf(TRACE_ID, 3).stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
          .sorted(java.util.Comparator.comparing(s -> attributes(s).get("reliapi.attempt"))).toList();
      assertThat(attributes(attempts.get(0))).containsEntry("reliapi.deployment", "a")
          .containsEntry("http.response.status_code", "503");
      assertThat(attributes(attempts.get(1))).containsEntry("reliapi.deployment", "b")
          .containsEntry("http.response.status_code", "200");

      Awaitility.await().until(() -> !logs.accessLines().isEmpty());
      var line = Json.parseOrNull(logs.accessLines().get(0).getBytes());
      assertThat(line.get("deployment").asText()).isEqualTo("b");
      assertThat(line.get("trail").toString()).contains("attempt pooled/a#1 503", "attempt pooled/b#2");
    }
  }

  @Test
  void anLlmAttemptSpanCarriesTheGenAiAttributesAndItsCost() {
    start(collector.tracesUrl());
    up.otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini-2024-07-18", "Hi!", 8, 2));
    Res res = gw.http.post("/proxy/llm", "{\"target\": \"openai\", \"model\": \"gpt-4o-mini\", "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}", "traceparent",
        "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
    assertThat(res.status()).as(res.body()).isEqualTo(200);

    Span chat = spansOf(TRACE_ID, 2).stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .findFirst().orElseThrow();
    assertThat(chat.getName()).isEqualTo("chat gpt-4o-mini");
    assertThat(attributes(chat)).containsEntry("gen_ai.operation.name", "chat").containsEntry("gen_ai.system", "openai")
        .containsEntry("gen_ai.request.model", "gpt-4o-mini")
        .containsEntry("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        .containsEntry("gen_ai.usage.input_tokens", "8").containsEntry("gen_ai.usage.output_tokens", "2")
        .containsEntry("reliapi.cost_usd", "2.4E-6");
  }

  @Test
  void aRequestWithoutTraceparentStartsItsOwnTraceAndSendsItUpstream() {
    start(collector.tracesUrl());
    assertThat(gw.http.get("/t/api/plain").status()).isEqualTo(200);
    String sent = up.last().header("traceparent");
    assertThat(sent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");  // sampled (and, new traces, random)
    String traceId = sent.substring(3, 35);
    Span server = spansOf(traceId, 2).stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .findFirst().orElseThrow();
    assertThat(server.getParentSpanId().isEmpty()).isTrue();
  }

  @Test
  void aDeadCollectorCostsOnlyACounter() {
    start("http://127.0.0.1:" + FreePort.refused() + "/v1/traces");
    for (int i = 0; i < 5; i++) {
      assertThat(gw.http.get("/t/api/x").status()).isEqualTo(200);
    }
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> gw.http.get("/metrics").body()
        .lines().anyMatch(l -> l.startsWith("reliapi_telemetry_export_failures_total") && !l.endsWith(" 0.0")));
    assertThat(up.last().header("traceparent")).isNotNull();
  }
}
