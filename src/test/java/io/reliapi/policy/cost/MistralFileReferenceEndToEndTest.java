package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mistral's own file chunk ({@code {"type": "file", "file_id": "…"}}, a file uploaded to Mistral, read by the model)
 * is content by reference like OpenAI's {@code file.file_id} (docs/guides/budget-control.md, "Content by reference"):
 * Mistral bills what the file holds. On mistral-large-2411 (2 USD per 1M input, a 128 000-token window) a request
 * carrying one must count at least 0.256 USD of prompt, over the 0.01 USD cap, and be refused before the call.
 */
class MistralFileReferenceEndToEndTest {
  static final String KEY = "mistral-secret";
  static final String BODY = """
      {"model": "mistral-large-2411", "max_tokens": 100, "messages": [{"role": "user", "content": [\
      {"type": "text", "text": "Summarise this contract."}, {"type": "file", "file_id": "a-300-page-pdf"}]}]}""";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("mistral"), up -> GatewayHarness.yaml("""
      clients:
        - {name: c, key_env: MISTRAL_KEY}
      targets:
        capped:
          base_url: "%1$s/v1"
          llm: {provider: mistral, default_model: mistral-large-2411, max_tokens: 100, hard_cost_cap_usd: 0.01}
      """.formatted(up.get("mistral").baseUrl())).env("MISTRAL_KEY", KEY));

  static void answers() {
    e2e.up("mistral").otherwise("POST /v1/chat/completions", Behavior.respond(200, LlmBehaviors.mistralHeaders(),
        LlmBehaviors.mistralCompletion("mistral-large-2411", "\"A summary.\"", "stop", 90000, 50)));
  }

  static void assertRefusedWithoutACall(Res res) {
    assertThat(res.status()).as(res.body()).isEqualTo(400);
    assertThat(res.body()).contains("BUDGET_EXCEEDED");
    assertThat(e2e.up("mistral").total()).isZero();
  }

  @Test
  void aMistralFileChunkIsCappedOnTheRawChatRoute() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/t/capped/chat/completions", BODY, "X-API-Key", KEY));
  }

  @Test
  void aMistralFileChunkIsCappedOnV1ChatCompletions() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/v1/chat/completions", BODY, "X-ReliAPI-Target", "capped",
        "X-API-Key", KEY));
  }
}
