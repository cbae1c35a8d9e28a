package io.reliapi.llm.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A target whose own base_url is api.openai.com, served through a LiteLLM deployment: the deployment gets the
 * tool-call ids whole (LiteLLM maps them back to its own providers' ids), not cut to OpenAI's 40 characters.
 */
class DeploymentIdLimitsEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("litellm"), up -> GatewayHarness.yaml("""
      targets:
        gpt:
          base_url: "https://api.openai.com/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
          deployments: [{name: litellm, base_url: "%s/v1"}]
      """.formatted(up.get("litellm").baseUrl())));

  @Test
  void aLiteLlmDeploymentGetsALongToolCallIdAsTheClientWroteIt() {
    e2e.up("litellm").otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Sunny.", 20, 2));
    String id = DeploymentIdLimitsTest.LONG;

    var res = e2e.gw().http.post("/v1/chat/completions", """
        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Weather?"},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "%1$s", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
         {"role": "tool", "tool_call_id": "%1$s", "content": "sunny"}]}""".formatted(id), "X-ReliAPI-Target", "gpt");

    assertThat(res.status()).isEqualTo(200);
    JsonNode sent = Json.parseOrNull(e2e.up("litellm").last().bodyText().getBytes(StandardCharsets.UTF_8));
    assertThat(sent.get("messages").get(1).get("tool_calls").get(0).get("id").asText()).isEqualTo(id);
    assertThat(sent.get("messages").get(2).get("tool_call_id").asText()).isEqualTo(id);
  }
}
