package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.GeminiBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gemini's audio is priced as audio (docs/guides/budget-control.md, "Audio"). Gemini reports the audio part of its
 * usage per modality ({@code promptTokensDetails}, {@code candidatesTokensDetails}), and bills it at the model's audio
 * price: gemini-2.5-flash takes USD 1.00 per 1M audio input tokens against 0.30 for text. A model the built-in table
 * has an audio input price for runs audio input on a capped target and is settled at it; one without (gemini-2.5-pro,
 * whose source has none) is refused before the call, as audio input had been for every Gemini model.
 */
class GeminiAudioCostEndToEndTest {
  static final String GENERATE = "POST /v1beta/models/gemini-2.5-flash:generateContent";
  static final String STREAM = "POST /v1beta/models/gemini-2.5-flash:streamGenerateContent";
  /** The start of a wav file, as a clip whose audio the mock provider reports. */
  static final String CLIP = "UklGRiQAAABXQVZFZm10IBAAAAABAAEA";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        gemini-capped:
          base_url: "%1$s/v1beta"
          llm: {provider: gemini, default_model: gemini-2.5-flash, max_tokens: 100, hard_cost_cap_usd: 0.1}
        gemini-stream:
          base_url: "%1$s/v1beta"
          llm: {provider: gemini, default_model: gemini-2.5-flash, max_tokens: 100, hard_cost_cap_usd: 0.1}
      """.formatted(up.baseUrl())));

  /** A request of {@code model} whose prompt carries a wav clip, which Gemini gets as inline audio. */
  static String audioInputBody(String model, boolean stream) {
    return """
        {"model": "%s", "max_tokens": 10, "stream": %s, "messages": [{"role": "user", "content": [\
        {"type": "text", "text": "Summarise the call."},\
        {"type": "input_audio", "input_audio": {"data": "%s", "format": "wav"}}]}]}""".formatted(model, stream, CLIP);
  }

  static Res post(String target, String body) {
    return e2e.gw().http.post("/v1/chat/completions", body, "X-ReliAPI-Target", target);
  }

  @Test
  void audioInputOfAGeminiModelWithAnAudioInputPriceRunsOnACappedTargetAndIsSettledAtIt() {
    e2e.up().script(GENERATE, GeminiBehaviors.audio("gemini-2.5-flash", "Noted.", 1010, 1000, 10));
    Res res = post("gemini-capped", audioInputBody("gemini-2.5-flash", false));

    assertThat(res.status()).as(res.body()).isEqualTo(200);
    assertThat(e2e.up().last().bodyText()).contains("\"mimeType\":\"audio/wav\"");
    // 10 text × 0.30 + 1 000 audio × 1.00 + 10 output × 2.50, per 1M (at the text price: 0.000328)
    assertThat(res.header("X-ReliAPI-Cost-USD")).isEqualTo("0.001028");
    assertThat(res.json().get("usage").get("prompt_tokens_details").get("audio_tokens").asLong()).isEqualTo(1000);
  }

  @Test
  void aStreamedAnswersAudioTokensAreSettledAtTheAudioInputPrice() {
    List<String> events = GeminiBehaviors.streamEvents("gemini-2.5-flash", List.of("Not", "ed."), 1010, 10);
    String last = events.getLast().replace(GeminiBehaviors.usage(1010, 10, 0, 0),
        GeminiBehaviors.audioUsage(1010, 1000, 10, 0));
    e2e.up().script(STREAM, GeminiBehaviors.sse(List.of(events.getFirst(), last), 1));
    Res res = post("gemini-stream", audioInputBody("gemini-2.5-flash", true));

    assertThat(res.status()).as(res.body()).isEqualTo(200);
    assertThat(res.body()).contains("[DONE]");
    assertThat(e2e.gw().http.get("/metrics").body())
        .contains("reliapi_llm_cost_usd_total{model=\"gemini-2.5-flash\",target=\"gemini-stream\"} 0.001028");
  }

  @Test
  void audioInputOfAGeminiModelWithoutAnAudioInputPriceIsRefusedBeforeTheCall() {
    Res res = post("gemini-capped", audioInputBody("gemini-2.5-pro", false));

    assertThat(res.status()).as(res.body()).isEqualTo(400);
    assertThat(res.body()).contains("MODEL_PRICE_UNKNOWN").contains("audio input").contains("messages[0].content[1]");
    assertThat(e2e.up().total()).isZero();
  }
}
