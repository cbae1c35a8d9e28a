package io.reliapi.llm.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.GeminiBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RawHttp;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.SseEvents.Event;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code provider: gemini} target end to end through {@code /v1/chat/completions} and {@code /proxy/llm}: the
 * wire Gemini gets, answers and streams read back in OpenAI's shape, cached and thought tokens priced apart, tool
 * calls with their thought signatures round-tripped, errors classed for retries, a cut stream told from a whole
 * one. gemini-2.5-flash costs $0.30 in, $2.50 out and $0.03 per cached input token per 1M.
 */
class GeminiEndToEndTest {
  static final String GENERATE = "POST /v1beta/models/gemini-2.5-flash:generateContent";
  static final String STREAM = "POST /v1beta/models/gemini-2.5-flash:streamGenerateContent";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        gemini:
          base_url: "%1$s/v1beta"
          auth: {type: bearer_env, env_var: GEMINI_API_KEY}
          llm: {provider: gemini, default_model: gemini-2.5-flash, raw_paths: [/models]}
          retry_matrix: {"429": {attempts: 2, backoff: constant, base_s: 0.01}, "5xx": {attempts: 1}}
        openai:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
          retry_matrix: {"5xx": {attempts: 1}}
          fallback_targets: [gemini]
      """.formatted(up.baseUrl())).env("GEMINI_API_KEY", "AIza-secret"));

  static String chat(String model, boolean stream, String extra) {
    return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
        + "{\"role\": \"user\", \"content\": \"Hello\"}], \"max_tokens\": 100" + (stream ? ", \"stream\": true" : "")
        + extra + "}";
  }

  @Test
  void sendsTheTranslatedRequestWithTheKeyInXGoogApiKeyAndPricesCachedAndThoughtTokensApart() {
    e2e.up().script(GENERATE, Behavior.respond(200, GeminiBehaviors.headers(), GeminiBehaviors.answer("gemini-2.5-flash",
        "[{\"text\": \"Hi there.\"}]", "STOP", GeminiBehaviors.usage(11, 9, 120, 4))));
    Res r = e2e.gw().http.post("/v1/chat/completions", chat("gemini/gemini-2.5-flash", false, ""));

    assertThat(r.status()).isEqualTo(200);
    MockUpstream.Recorded sent = e2e.up().last();
    assertThat(sent.uri()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.header("x-goog-api-key")).isEqualTo("AIza-secret");
    assertThat(sent.header("Authorization")).isNull();
    assertThat(Json.parseOrNull(sent.body().getBytes())).isEqualTo(Json.parseOrNull("""
        {"contents": [{"role": "user", "parts": [{"text": "Hello"}]}],
         "systemInstruction": {"parts": [{"text": "Be brief."}]},
         "generationConfig": {"maxOutputTokens": 100}}""".getBytes()));
    JsonNode answer = r.json();
    assertThat(answer.get("object").asText()).isEqualTo("chat.completion");
    assertThat(answer.get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hi there.");
    assertThat(answer.get("usage")).isEqualTo(Json.parseOrNull("""
        {"prompt_tokens": 11, "completion_tokens": 129, "total_tokens": 140,
         "prompt_tokens_details": {"cached_tokens": 4}, "completion_tokens_details": {"reasoning_tokens": 120}}"""
        .getBytes()));
    // 7 × 0.30 + 4 × 0.03 + 129 × 2.50, per 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00032472");
    assertThat(r.header("x-gemini-service-tier")).isNull();
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_llm_tokens_total", "target", "gemini", "type", "cache_read")).isEqualTo(4);
    assertThat(metrics.value("reliapi_llm_tokens_total", "target", "gemini", "type", "reasoning")).isEqualTo(120);
  }

  @Test
  void streamsInOpenAisChunksAndEndsWithDoneAfterTheFinishReason() {
    e2e.up().script(STREAM, GeminiBehaviors.sse(
        GeminiBehaviors.streamEvents("gemini-2.5-flash", List.of("Hel", "lo", "!"), 9, 3), 2));
    List<Event> events = SseEvents.parse(e2e.gw().http.post("/v1/chat/completions",
        chat("gemini/gemini-2.5-flash", true, ", \"stream_options\": {\"include_usage\": true}")).body());

    assertThat(e2e.up().last().uri()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(e2e.up().last().header("Accept")).isEqualTo("text/event-stream");
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> !e.data().equals("[DONE]"))
        .forEach(e -> e.json().path("choices").forEach(c -> text.append(c.path("delta").path("content").asText(""))));
    assertThat(text.toString()).isEqualTo("Hello!");
    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    JsonNode usage = events.get(events.size() - 2).json().get("usage");
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(9);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void aStreamThatEndsBeforeTheFinishReasonIsCutNotComplete() {
    List<String> firstTwo = GeminiBehaviors.streamEvents("gemini-2.5-flash", List.of("Hel", "lo", "!"), 9, 3)
        .subList(0, 2);
    e2e.up().script(STREAM, GeminiBehaviors.sse(firstTwo, 2));
    RawHttp.Response cut = RawHttp.post(e2e.gw().port(), "/v1/chat/completions", chat("gemini/gemini-2.5-flash", true, ""));

    assertThat(cut.complete()).as("the chunked body is cut off").isFalse();
    List<Event> events = SseEvents.parse(cut.body());
    assertThat(events.stream().map(Event::data)).doesNotContain("[DONE]");
    assertThat(events.getLast().json().get("error").get("code").asText()).isEqualTo("UPSTREAM_INVALID_RESPONSE");

    e2e.up().script(STREAM, GeminiBehaviors.sse(firstTwo, 2));
    List<Event> proxy = SseEvents.parse(e2e.gw().http.post("/proxy/llm", "{\"target\": \"gemini\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}").body());
    assertThat(SseEvents.names(proxy)).containsExactly("meta", "chunk", "chunk", "error");
  }

  @Test
  void roundTripsAToolCallsThoughtSignatureThroughItsId() {
    e2e.up().script(GENERATE, Behavior.respond(200, GeminiBehaviors.headers(), GeminiBehaviors.answer("gemini-2.5-flash", """
        [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "CiQBsig=="}]""",
        "STOP", GeminiBehaviors.usage(30, 8, 0, 0))));
    String tools = ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", "
        + "\"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}}]";
    JsonNode first = e2e.gw().http.post("/v1/chat/completions", chat("gemini/gemini-2.5-flash", false, tools)).json();
    JsonNode call = first.get("choices").get(0).get("message").get("tool_calls").get(0);
    assertThat(first.get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(call.get("function").get("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");

    e2e.up().script(GENERATE, GeminiBehaviors.text("gemini-2.5-flash", "18 degrees.", 40, 4));
    String history = "{\"model\": \"gemini/gemini-2.5-flash\", \"messages\": ["
        + "{\"role\": \"user\", \"content\": \"Weather in Paris?\"},"
        + "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [" + call + "]},"
        + "{\"role\": \"tool\", \"tool_call_id\": \"" + call.get("id").asText() + "\", \"content\": \"18C\"}]" + tools + "}";
    Res second = e2e.gw().http.post("/v1/chat/completions", history);

    assertThat(second.status()).isEqualTo(200);
    JsonNode contents = Json.parseOrNull(e2e.up().last().body().getBytes()).get("contents");
    assertThat(contents.get(1)).isEqualTo(Json.parseOrNull("""
        {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                                     "thoughtSignature": "CiQBsig=="}]}""".getBytes()));
    assertThat(contents.get(2)).isEqualTo(Json.parseOrNull("""
        {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {"content": "18C"}}}]}"""
        .getBytes()));
  }

  @Test
  void retriesResourceExhaustedAndReportsTheStatusAndReasonOfAnError() {
    Behavior exhausted = GeminiBehaviors.error(429, "RESOURCE_EXHAUSTED", "RATE_LIMIT_EXCEEDED",
        "Quota exceeded for key AIza-secret");
    e2e.up().script(GENERATE, exhausted, GeminiBehaviors.text("gemini-2.5-flash", "Hi", 8, 1));
    Res retried = e2e.gw().http.post("/v1/chat/completions", chat("gemini/gemini-2.5-flash", false, ""));
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.header("X-Retries")).isEqualTo("1");

    e2e.up().script(GENERATE, exhausted, exhausted);
    Res failed = e2e.gw().http.post("/proxy/llm", "{\"target\": \"gemini\", "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}");
    assertThat(failed.status()).isEqualTo(429);
    JsonNode error = failed.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(error.get("details").get("provider_error").get("type").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(error.get("details").get("provider_error").get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
    assertThat(failed.body()).doesNotContain("AIza-secret").doesNotContain("Quota exceeded");
  }

  @Test
  void answersForAnOpenAiTargetThatFailedInOpenAisShape() {
    e2e.up().script("POST /v1/chat/completions", Behavior.json(503, "{\"error\":{\"type\":\"server_error\"}}"));
    e2e.up().script(GENERATE, GeminiBehaviors.text("gemini-2.5-flash", "Bonjour", 8, 2));
    Res r = e2e.gw().http.post("/v1/chat/completions", chat("openai/gpt-4o-mini", false, ""));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("gemini");
    assertThat(r.json().get("choices").get(0).get("message").get("content").asText()).isEqualTo("Bonjour");
    assertThat(e2e.up().last().uri()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
  }

  @Test
  void anErrorEventBeforeTheFirstChunkIsTheProvidersStatus() {
    e2e.up().script(STREAM, GeminiBehaviors.sse(List.of("data: {\"error\": {\"code\": 503, \"message\": \"overloaded\", "
        + "\"status\": \"UNAVAILABLE\"}}\r\n\r\n"), 1));
    Res r = e2e.gw().http.post("/v1/chat/completions", chat("gemini/gemini-2.5-flash", true, ""));

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("UPSTREAM_ERROR");
  }

  @Test
  void theRawRoutesRefuseGenerationCallsTheyCannotPriceEvenUnderAListedPrefix() {
    e2e.up().script("GET /v1beta/models/gemini-2.5-flash",
        Behavior.respond(200, Map.of(), "{\"name\": \"models/gemini-2.5-flash\"}"));
    assertThat(e2e.gw().http.get("/t/gemini/models/gemini-2.5-flash").status()).isEqualTo(200);
    assertThat(e2e.up().total()).isEqualTo(1);

    String body = "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Hello\"}]}]}";
    for (String path : List.of("/models/gemini-2.5-flash:generateContent",
        "/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "/models/gemini-2.5-flash%3AGenerateContent",
        "/models/gemini-2.5-flash:batchGenerateContent", "/models//gemini-2.5-flash:generateContent/")) {
      Res r = e2e.gw().http.post("/t/gemini" + path, body);
      assertThat(r.status()).as(path).isEqualTo(403);
      assertThat(r.json().get("code").asText()).isEqualTo("FORBIDDEN");
    }
    Res viaEnvelope = e2e.gw().http.post("/proxy/http", """
        {"target": "gemini", "method": "POST", "path": "/models/gemini-2.5-flash:generateContent", "body": %s}"""
        .formatted(body));
    assertThat(viaEnvelope.status()).isEqualTo(403);
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  @Test
  void countTokensAsksGeminiForItsOwnCount() {
    e2e.up().script("POST /v1beta/models/gemini-2.5-flash:countTokens",
        Behavior.respond(200, GeminiBehaviors.headers(), "{\"totalTokens\": 31}"));

    Res r = e2e.gw().http.post("/v1/messages/count_tokens", "{\"model\": \"gemini/gemini-2.5-flash\", "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("input_tokens").asLong()).isEqualTo(31);
    assertThat(r.header("X-ReliAPI-Token-Count")).isEqualTo("provider");
    assertThat(e2e.up().last().header("x-goog-api-key")).isEqualTo("AIza-secret");
  }
}
