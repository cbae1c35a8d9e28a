package io.reliapi.policy.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13 item 5: a provider's refusal of the request itself is never retried as it is. A request too long
 * for the model goes to the target's {@code llm.context_fallback} (and {@code meta} and a header say why), else
 * the client gets the provider's error with its code; a content-policy refusal is the answer unless the target
 * has {@code llm.fallback_on_content_filter}.
 */
class RefusalFallbackEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final String MESSAGES = "POST /v1/messages";
  static final Behavior TOO_LONG = Behavior.respond(400, LlmBehaviors.openAiHeaders(), """
      {"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in \
      9631 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages",\
      "code":"context_length_exceeded"}}""");
  static final Behavior FILTERED = Behavior.respond(400, LlmBehaviors.openAiHeaders(), """
      {"error":{"message":"Your request was rejected as a result of our safety system.",\
      "type":"invalid_request_error","param":null,"code":"content_policy_violation"}}""");

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("primary", "big", "other"),
      up -> GatewayHarness.yaml("""
        targets:
          small:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, context_fallback: [big]}
            fallback_targets: [other]
          strict:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini}
            fallback_targets: [other]
          lenient:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, fallback_on_content_filter: true}
            fallback_targets: [other]
          claude:
            base_url: "%1$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, context_fallback: [big]}
          big:
            base_url: "%2$s/v1"
            llm: {provider: openai, default_model: gpt-4.1}
          other:
            base_url: "%3$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini}
        """.formatted(up.get("primary").baseUrl(), up.get("big").baseUrl(), up.get("other").baseUrl())));

  @BeforeEach
  void clean() {
    e2e.up("big").otherwise(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4.1", List.of("Hel", "lo"), 9, 2), 1));
    e2e.up("other").otherwise(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi"), 9, 1), 1));
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aRequestTooLongForTheModelGoesOnceToTheContextFallback(StreamRoute route) {
    e2e.up("primary").script(CHAT, TOO_LONG, TOO_LONG);
    StreamRoute.Streamed answer = route.call(e2e.gw(), "small");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Hello");
    assertThat(e2e.up("primary").count("/v1/chat/completions")).as("never retried as it is").isEqualTo(1);
    assertThat(e2e.up("big").count("/v1/chat/completions")).isEqualTo(1);
    assertThat(e2e.up("other").total()).isZero();
  }

  @Test
  void theContextFallbackIsNamedInMetaAndHeaders() {
    e2e.up("primary").script(CHAT, TOO_LONG, TOO_LONG);
    e2e.up("big").script(CHAT, LlmBehaviors.openAi("gpt-4.1", "Hello", 9, 2));
    Res proxy = e2e.gw().http.post("/proxy/llm", "{\"target\": \"small\", \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"Hi\"}]}");
    Res v1 = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"small/gpt-4o-mini\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    JsonNode meta = proxy.json().get("meta");
    assertThat(meta.get("target").asText()).isEqualTo("big");
    assertThat(meta.get("model").asText()).isEqualTo("gpt-4.1");
    assertThat(meta.get("fallback_target").asText()).isEqualTo("big");
    assertThat(meta.get("fallback_reason").asText()).isEqualTo("context_length");
    assertThat(proxy.header("X-ReliAPI-Fallback-Reason")).isEqualTo("context_length");
    assertThat(v1.header("X-ReliAPI-Target")).isEqualTo("big");
    assertThat(v1.header("X-ReliAPI-Fallback-Reason")).isEqualTo("context_length");
  }

  @Test
  void withoutAContextFallbackTheClientGetsTheProvidersErrorAndItsCode() {
    e2e.up("primary").script(CHAT, TOO_LONG);
    Res v1 = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"strict/gpt-4o-mini\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    e2e.up("primary").script(CHAT, TOO_LONG);
    Res proxy = e2e.gw().http.post("/proxy/llm", "{\"target\": \"strict\", \"stream\": true, \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(v1.status()).isEqualTo(400);
    assertThat(v1.json().get("error").get("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(v1.json().get("error").get("message").asText()).contains("context_length_exceeded");
    assertThat(proxy.status()).isEqualTo(400);
    JsonNode error = proxy.json().get("error");
    assertThat(error.get("upstream_status").asInt()).isEqualTo(400);
    assertThat(error.get("details").get("provider_error").get("code").asText()).isEqualTo("context_length_exceeded");
    assertThat(proxy.json().get("meta").get("fallback_used").asBoolean()).isFalse();
    assertThat(e2e.up("primary").count("/v1/chat/completions")).isEqualTo(2);
    assertThat(e2e.up("other").total()).as("a 400 never falls back").isZero();
  }

  @Test
  void aContentPolicyRefusalIsNeverRetriedNorFallsBackByDefault() {
    e2e.up("primary").script(CHAT, FILTERED);
    Res proxy = e2e.gw().http.post("/proxy/llm", "{\"target\": \"strict\", \"stream\": true, \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(proxy.status()).isEqualTo(400);
    assertThat(proxy.json().get("error").get("details").get("provider_error").get("code").asText())
        .isEqualTo("content_policy_violation");
    assertThat(e2e.up("primary").count("/v1/chat/completions")).isEqualTo(1);
    assertThat(e2e.up("other").total()).isZero();
  }

  @Test
  void aContentPolicyRefusalFallsBackWhereTheTargetAllowsIt() {
    e2e.up("primary").script(CHAT, FILTERED);
    Res v1 = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"lenient/gpt-4o-mini\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(v1.status()).isEqualTo(200);
    assertThat(v1.header("X-ReliAPI-Target")).isEqualTo("other");
    assertThat(v1.header("X-ReliAPI-Fallback-Reason")).isEqualTo("content_filter");
    assertThat(e2e.up("primary").count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void anthropicsPromptIsTooLongGoesToTheContextFallback() {
    e2e.up("primary").script(MESSAGES, LlmBehaviors.anthropicError(400, "invalid_request_error",
        "prompt is too long: 208351 tokens > 200000 maximum", Map.of()));
    StreamRoute.Streamed answer = StreamRoute.V1.call(e2e.gw(), "claude");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Hello");
    assertThat(e2e.up("primary").count("/v1/messages")).isEqualTo(1);
  }

  @Test
  void aContextLengthErrorEventInsideA200GoesToTheContextFallback() {
    e2e.up("primary").script(CHAT, LlmBehaviors.sse(List.of("data: {\"error\":{\"message\":\"This model's maximum context "
        + "length is 8192 tokens.\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}\n\n"), 1));
    StreamRoute.Streamed answer = StreamRoute.V1.call(e2e.gw(), "small");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(e2e.up("primary").count("/v1/chat/completions")).isEqualTo(1);
    assertThat(e2e.up("big").count("/v1/chat/completions")).isEqualTo(1);
  }
}
