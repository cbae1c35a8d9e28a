package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The access log's {@code error_code} and {@code reliapi_errors_total} carry the code the client was shown: an
 * upstream's or provider's error answer that reaches the client as {@code UPSTREAM_ERROR} (the envelope, the LLM
 * routes, a provider's error event before the stream was committed) is logged and counted as one; the upstream's
 * own answer passed through ({@code /t/}) is not a gateway error.
 */
class UpstreamErrorCodeEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final String OVERLOADED = "event: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        api:
          base_url: "%1$s"
          retry_matrix: {"5xx": {attempts: 1}}
          circuit: {enabled: false}
        llm:
          base_url: "%1$s/v1"
          retry_matrix: {"5xx": {attempts: 1}}
          circuit: {enabled: false}
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
      """.formatted(up.baseUrl())));

  @Test
  void everyUpstreamErrorTheClientIsShownIsLoggedAndCountedWithItsCode() {
    try (LogCapture logs = LogCapture.capture()) {
      double before = MetricSamples.scrape(e2e.gw()).value("reliapi_errors_total", "code", "UPSTREAM_ERROR");
      e2e.up().script("GET /fail", Behavior.json(500, "{\"oops\":true}"));
      Res proxied = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/fail\"}");
      e2e.up().script(CHAT, Behavior.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
      Res chat = e2e.gw().http.post("/v1/chat/completions", chat(false));
      e2e.up().script(CHAT, LlmBehaviors.sse(List.of(OVERLOADED), 1));
      Res streamed = e2e.gw().http.post("/v1/chat/completions", chat(true));
      e2e.up().script(CHAT, LlmBehaviors.sse(List.of(OVERLOADED), 1));
      Res enveloped = e2e.gw().http.post("/proxy/llm", "{\"target\": \"llm\", \"stream\": true, "
          + "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

      for (Res res : List.of(proxied, chat, streamed, enveloped)) {
        assertThat(res.status()).isEqualTo(500);
        assertThat(res.json().path("error").path("code").asText()).isEqualTo("UPSTREAM_ERROR");
        assertThat(accessLine(logs, res).path("error_code").asText()).as(res.body()).isEqualTo("UPSTREAM_ERROR");
      }
      assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_errors_total", "code", "UPSTREAM_ERROR") - before)
          .isEqualTo(4.0);
    }
  }

  @Test
  void anUpstreamsOwnErrorAnswerPassedThroughIsNoGatewayError() {
    try (LogCapture logs = LogCapture.capture()) {
      e2e.up().script("GET /fail", Behavior.json(500, "{\"oops\":true}"));
      Res passed = e2e.gw().http.get("/t/api/fail");

      assertThat(passed.status()).isEqualTo(500);
      assertThat(passed.body()).isEqualTo("{\"oops\":true}");
      JsonNode line = accessLine(logs, passed);
      assertThat(line.path("error_code").isNull()).as(line.toString()).isTrue();
      assertThat(line.path("outcome").asText()).isEqualTo("error");
    }
  }

  private static String chat(boolean stream) {
    return "{\"model\": \"gpt-4o-mini\", \"stream\": " + stream + ", "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
  }

  /** The access line of {@code res}'s request, once it is written. */
  private static JsonNode accessLine(LogCapture logs, Res res) {
    String id = res.header("X-Request-ID");
    return Awaitility.await().until(() -> logs.accessLines().stream().map(l -> Json.parseOrNull(l.getBytes()))
        .filter(json -> json != null && id.equals(json.path("request_id").asText())).findFirst(), Optional::isPresent)
        .orElseThrow();
  }
}
