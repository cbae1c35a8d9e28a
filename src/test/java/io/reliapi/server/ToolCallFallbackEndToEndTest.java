package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tool conversation falls back from one provider to another with its ids still naming their calls: each
 * attempt fits the ids its provider accepts on its own copy, so the next one starts from the client's.
 */
class ToolCallFallbackEndToEndTest {
  static final String CONVERSATION = """
      {"target": "%s", "messages": [{"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": null, "tool_calls": [
          {"id": "%s", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]},
        {"role": "tool", "tool_call_id": "%2$s", "content": "18C"}]}""";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("mistral", "openai", "anthropic"),
      up -> GatewayHarness.yaml("""
        targets:
          mistral_then_openai:
            base_url: "%1$s/v1"
            llm: {provider: mistral, default_model: mistral-small-latest}
            fallback_targets: [gpt]
          mistral_then_claude:
            base_url: "%1$s/v1"
            llm: {provider: mistral, default_model: mistral-small-latest}
            fallback_targets: [claude]
          gpt:
            base_url: "%2$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini}
          claude:
            base_url: "%3$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
        """.formatted(up.get("mistral").baseUrl(), up.get("openai").baseUrl(), up.get("anthropic").baseUrl())));

  @Test
  void fallsBackFromMistralToOpenAiWithTheClientsIds() {
    JsonNode toOpenAi = fallBack("mistral_then_openai", "call_Kd8sWq", "openai", "POST /v1/chat/completions",
        LlmBehaviors.openAi("gpt-4o-mini", "18C in Paris", 9, 3));

    JsonNode toMistral = sent("mistral");
    assertThat(callId(toMistral)).matches("[a-zA-Z0-9]{9}").isEqualTo(resultId(toMistral));
    assertThat(callId(toOpenAi)).isEqualTo("call_Kd8sWq");
    assertThat(resultId(toOpenAi)).isEqualTo("call_Kd8sWq");
  }

  @Test
  void fallsBackFromMistralToAnthropicWithEachResultNamingItsCall() {
    JsonNode messages = fallBack("mistral_then_claude", "toolu_01A09q90qw90lq917835", "anthropic",
        "POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "18C in Paris", 8, 4)).get("messages");

    assertThat(messages.get(1).get("content").get(0).get("id").asText()).isEqualTo("toolu_01A09q90qw90lq917835");
    assertThat(messages.get(2).get("content").get(0).get("tool_use_id").asText())
        .isEqualTo("toolu_01A09q90qw90lq917835");
  }

  /** Sends the conversation with {@code id} to a target whose Mistral answers 503; returns what the fallback got. */
  private static JsonNode fallBack(String target, String id, String fallback, String route, Behavior answer) {
    e2e.up("mistral").otherwise("POST /v1/chat/completions", Behavior.status(503));
    e2e.up(fallback).script(route, answer);
    assertThat(e2e.gw().http.post("/proxy/llm", CONVERSATION.formatted(target, id)).status()).isEqualTo(200);
    return sent(fallback);
  }

  private static JsonNode sent(String upstream) {
    return Json.parseOrNull(e2e.up(upstream).last().body().getBytes());
  }

  private static String callId(JsonNode body) {
    return body.get("messages").get(1).get("tool_calls").get(0).get("id").asText();
  }

  private static String resultId(JsonNode body) {
    return body.get("messages").get(2).get("tool_call_id").asText();
  }
}
