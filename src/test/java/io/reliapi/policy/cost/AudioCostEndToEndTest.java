package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Audio cannot walk around a capped target's hard cap (docs/guides/budget-control.md, "Audio"). OpenAI bills
 * gpt-4o-audio-preview's audio tokens far above its text tokens (audio output USD 80 per 1M against text USD 10;
 * audio input USD 40 against 2.50), and the price table has only the text prices: a call asking for 1 000 tokens of
 * spoken answer is estimated at about 0.01 USD, under a cap of 0.02, while the provider may bill it 0.08. The gateway
 * cannot price it, so a capped or budgeted target refuses it before the call, on every route that can carry it.
 */
class AudioCostEndToEndTest {
  static final String KEY = "audio-secret";
  static final String AUDIO = "\"modalities\": [\"text\", \"audio\"], \"audio\": {\"voice\": \"alloy\", \"format\": \"wav\"}";
  static final String MESSAGES = "\"messages\": [{\"role\": \"user\", \"content\": \"Read me a long story.\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("openai"), up -> GatewayHarness.yaml("""
      clients:
        - {name: c, key_env: AUDIO_KEY}
      targets:
        capped:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-audio-preview, max_tokens: 1000, hard_cost_cap_usd: 0.02}
        open:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-audio-preview, max_tokens: 1000}
      """.formatted(up.get("openai").baseUrl())).env("AUDIO_KEY", KEY));

  static void answers() {
    e2e.up("openai").otherwise("POST /v1/chat/completions",
        LlmBehaviors.openAi("gpt-4o-audio-preview", "Once upon a time", 12, 1000));
  }

  static String chatBody() {
    return "{\"model\": \"gpt-4o-audio-preview\", \"max_tokens\": 1000, " + MESSAGES + ", " + AUDIO + "}";
  }

  static void assertRefusedWithoutACall(Res res) {
    assertThat(res.status()).as(res.body()).isEqualTo(400);
    assertThat(res.body()).contains("MODEL_PRICE_UNKNOWN").contains("audio output");
    assertThat(e2e.up("openai").total()).isZero();
  }

  @Test
  void aSpokenAnswerIsRefusedOnACappedTargetOnV1ChatCompletions() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/v1/chat/completions", chatBody(),
        "X-ReliAPI-Target", "capped", "X-API-Key", KEY));
  }

  @Test
  void aSpokenAnswerIsRefusedOnACappedTargetOnTheRawChatRoute() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/t/capped/chat/completions", chatBody(), "X-API-Key", KEY));
  }

  @Test
  void aSpokenAnswerAskedForInExtraIsRefusedOnACappedTargetOnProxyLlm() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/proxy/llm",
        "{\"target\": \"capped\", \"max_tokens\": 1000, " + MESSAGES + ", \"extra\": {" + AUDIO + "}}",
        "X-API-Key", KEY));
  }

  @Test
  void aTextAnswerOfTheSameModelStillRunsOnTheCappedTargetAndASpokenOneOnAnOpenTarget() {
    answers();
    Res text = e2e.gw().http.post("/v1/chat/completions",
        "{\"model\": \"gpt-4o-audio-preview\", \"max_tokens\": 1000, " + MESSAGES + "}",
        "X-ReliAPI-Target", "capped", "X-API-Key", KEY);
    assertThat(text.status()).as(text.body()).isEqualTo(200);

    Res spoken = e2e.gw().http.post("/v1/chat/completions", chatBody(), "X-ReliAPI-Target", "open", "X-API-Key", KEY);
    assertThat(spoken.status()).as(spoken.body()).isEqualTo(200);
    assertThat(e2e.up("openai").total()).isEqualTo(2);
  }
}
