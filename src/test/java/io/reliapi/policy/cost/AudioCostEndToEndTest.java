package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import io.reliapi.testing.Behavior;
import org.junit.jupiter.api.Disabled;
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
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("openai", "gemini"), up -> GatewayHarness.yaml("""
      clients:
        - {name: c, key_env: AUDIO_KEY}
      targets:
        capped:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-audio-preview, max_tokens: 1000, hard_cost_cap_usd: 0.02}
        budgeted:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-audio-preview, max_tokens: 100, budget: {daily_usd: 0.05}}
        gemini-capped:
          base_url: "%2$s/v1beta"
          llm: {provider: gemini, default_model: gemini-2.5-pro-preview-tts, max_tokens: 1000, hard_cost_cap_usd: 1}
        open:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-audio-preview, max_tokens: 1000}
      """.formatted(up.get("openai").baseUrl(), up.get("gemini").baseUrl())).env("AUDIO_KEY", KEY));

  static void answers() {
    e2e.up("openai").otherwise("POST /v1/chat/completions",
        LlmBehaviors.openAi("gpt-4o-audio-preview", "Once upon a time", 12, 1000));
  }

  static String chatBody() {
    return "{\"model\": \"gpt-4o-audio-preview\", \"max_tokens\": 1000, " + MESSAGES + ", " + AUDIO + "}";
  }

  static void assertRefusedWithoutACall(Res res) {
    assertRefusedBeforeTheCall(res, e2e.up("openai"), "audio output");
  }

  /** Asserts {@code res} is the 400 refusal of a price the gateway cannot bound, naming {@code what}, with no call. */
  static void assertRefusedBeforeTheCall(Res res, MockUpstream upstream, String what) {
    assertThat(res.status()).as(res.body()).isEqualTo(400);
    assertThat(res.body()).contains("MODEL_PRICE_UNKNOWN").contains(what);
    assertThat(upstream.total()).isZero();
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
  void aSpokenAnswerAskedOfGeminiInExtraIsRefusedOnACappedTarget() {
    Res res = e2e.gw().http.post("/proxy/llm", "{\"target\": \"gemini-capped\", " + MESSAGES
        + ", \"extra\": {\"generationConfig\": {\"responseModalities\": [\"AUDIO\"]}}}", "X-API-Key", KEY);
    assertRefusedBeforeTheCall(res, e2e.up("gemini"), "generationConfig.responseModalities");
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

  /**
   * Audio input is settled at the text input price: 1 000 audio tokens (under two minutes of speech) cost
   * 0.04 USD at gpt-4o-audio-preview's USD 40 per 1M, but are charged 0.0025 (2.50 per 1M), so a daily budget of
   * 0.05 pays for sixteen such calls where it should stop after one. The estimate is not the problem (the base64
   * counts as text, far above the audio's tokens); the settlement is.
   */
  @Test
  @Disabled("redteam3: input_audio is settled at the text input price, so a period budget pays ~16x its limit")
  void audioInputCannotSpendABudgetAtTheTextPrice() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", Behavior.respond(200, LlmBehaviors.openAiHeaders(),
        LlmBehaviors.openAiCompletion("gpt-4o-audio-preview", "Noted.", "stop", 1000, 10)
            .replace("\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0}",
                "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":1000}")));
    for (int i = 0; i < 4; i++) {
      e2e.gw().http.post("/v1/chat/completions", """
          {"model": "gpt-4o-audio-preview", "max_tokens": 100, "messages": [{"role": "user", "content": [\
          {"type": "text", "text": "Summarise call %d."},\
          {"type": "input_audio", "input_audio": {"data": "UklGRiQAAABXQVZFZm10IBAAAAABAAEA", "format": "wav"}}]}]}"""
          .formatted(i), "X-ReliAPI-Target", "budgeted", "X-API-Key", KEY);
    }
    // Each call reaching the provider costs 0.04 (audio) + 0.0001 (output): the budget of 0.05 has room for one.
    assertThat(e2e.up("openai").total()).isLessThanOrEqualTo(1);
  }
}
