package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import io.reliapi.testing.Behavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Audio is priced as audio on capped and budgeted targets (docs/guides/budget-control.md, "Audio"). OpenAI bills
 * gpt-4o-audio-preview's audio tokens far above its text tokens (audio output USD 80 per 1M against text USD 10;
 * audio input USD 40 against 2.50), and the built-in table has both from its source: a spoken answer is estimated at
 * the audio output price and settled at the audio prices. Priced as text, a call asking for 1 000 tokens of spoken
 * answer was estimated at about 0.01 USD, under a cap of 0.02, while the provider may bill it 0.08. A model without
 * audio prices (a text model, or one a target prices without them) cannot be bounded, so a capped or budgeted target
 * refuses audio for it before the call, on every route that can carry it.
 */
class AudioCostEndToEndTest {
  static final String KEY = "audio-secret";
  static final String AUDIO = "\"modalities\": [\"text\", \"audio\"], \"audio\": {\"voice\": \"alloy\", \"format\": \"wav\"}";
  /** The start of a wav file, as a clip whose audio the mock provider reports. */
  static final String CLIP = "UklGRiQAAABXQVZFZm10IBAAAAABAAEA";
  static final String MESSAGES = "\"messages\": [{\"role\": \"user\", \"content\": \"Read me a long story.\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("openai", "gemini"), up -> GatewayHarness.yaml("""
      clients:
        - {name: c, key_env: AUDIO_KEY}
      targets:
        capped:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-audio-preview, max_tokens: 1000, hard_cost_cap_usd: 0.02}
        spoken:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-audio-preview, max_tokens: 1000, hard_cost_cap_usd: 0.1}
        text-capped:
          base_url: "%1$s/v1"
          llm:
            provider: openai
            default_model: gpt-4o-mini
            max_tokens: 1000
            hard_cost_cap_usd: 0.1
            prices:
              house-audio: {input_per_1m: 2.5, output_per_1m: 10}
              house-audio-priced: {input_per_1m: 2.5, output_per_1m: 10, input_audio_per_1m: 40, output_audio_per_1m: 80}
        windowed:
          base_url: "%1$s/v1"
          llm:
            provider: openai
            default_model: short-audio
            max_tokens: 10
            hard_cost_cap_usd: 0.5
            prices:
              short-audio: {input_per_1m: 2.5, output_per_1m: 10, input_audio_per_1m: 40, output_audio_per_1m: 80, max_input_tokens: 2000}
        windowed-tight:
          base_url: "%1$s/v1"
          llm:
            provider: openai
            default_model: short-audio
            max_tokens: 10
            hard_cost_cap_usd: 0.1
            prices:
              short-audio: {input_per_1m: 2.5, output_per_1m: 10, input_audio_per_1m: 40, output_audio_per_1m: 80, max_input_tokens: 2000}
        budgeted:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-audio-preview, max_tokens: 100, budget: {daily_usd: 0.04}}
        gemini-capped:
          base_url: "%2$s/v1beta"
          llm: {provider: gemini, default_model: gemini-2.5-pro-preview-tts, max_tokens: 1000, hard_cost_cap_usd: 1}
        open:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 1000}
      """.formatted(up.get("openai").baseUrl(), up.get("gemini").baseUrl())).env("AUDIO_KEY", KEY));

  static void answers() {
    e2e.up("openai").otherwise("POST /v1/chat/completions",
        LlmBehaviors.openAi("gpt-4o-audio-preview", "Once upon a time", 12, 1000));
  }

  /** The provider answers with {@code prompt} tokens, {@code audioIn} of them audio, and so for the completion. */
  static void answersWithAudio(int prompt, int audioIn, int completion, int audioOut) {
    e2e.up("openai").otherwise("POST /v1/chat/completions", Behavior.respond(200, LlmBehaviors.openAiHeaders(),
        LlmBehaviors.openAiCompletion("gpt-4o-audio-preview", "Once upon a time", "stop", prompt, completion)
            .replace("\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0}",
                "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":" + audioIn + "}")
            .replace("\"reasoning_tokens\":0,\"audio_tokens\":0", "\"reasoning_tokens\":0,\"audio_tokens\":" + audioOut)));
  }

  static String chatBody(String model) {
    return "{\"model\": \"" + model + "\", \"max_tokens\": 1000, " + MESSAGES + ", " + AUDIO + "}";
  }

  /** A request of {@code model} whose prompt carries {@code data} as a wav clip. */
  static String audioInputBody(String model, String data) {
    return """
        {"model": "%s", "max_tokens": 10, "messages": [{"role": "user", "content": [\
        {"type": "text", "text": "Summarise the call."},\
        {"type": "input_audio", "input_audio": {"data": "%s", "format": "wav"}}]}]}""".formatted(model, data);
  }

  /** 30 KB of audio as base64: under a second of wav, some 27 000 tokens. */
  static String clip30Kb() {
    byte[] clip = new byte[30_000];
    new Random(3).nextBytes(clip);
    return Base64.getEncoder().encodeToString(clip);
  }

  static Res post(String target, String body) {
    return e2e.gw().http.post("/v1/chat/completions", body, "X-ReliAPI-Target", target, "X-API-Key", KEY);
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
  void aSpokenAnswerOfAModelWithAudioPricesRunsOnACappedTargetAndIsChargedAtTheAudioPrices() {
    answersWithAudio(12, 0, 1000, 900);
    Res res = post("spoken", chatBody("gpt-4o-audio-preview"));
    assertThat(res.status()).as(res.body()).isEqualTo(200);
    // 12 × 2.50 + 100 text × 10 + 900 audio × 80, per 1M
    assertThat(res.header("X-ReliAPI-Cost-USD")).isEqualTo("0.07303");
    assertThat(res.body()).contains("\"audio_tokens\":900");
  }

  /**
   * A provider that reports no usage is charged what the gateway counts; a spoken answer's count was settled at the
   * text output price (10 per 1M), an eighth of what gpt-4o-audio-preview bills for audio (80).
   */
  @Test
  void aSpokenAnswerWithoutReportedUsageIsSettledAtTheAudioOutputPrice() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", Behavior.respond(200, LlmBehaviors.openAiHeaders(),
        LlmBehaviors.openAiCompletion("gpt-4o-audio-preview", "Once upon a time", "stop", 0, 0)
            .replaceAll(",\"usage\":\\{.*?\\}\\},", ",")));
    Res res = post("spoken", chatBody("gpt-4o-audio-preview"));
    assertThat(res.status()).as(res.body()).isEqualTo(200);
    JsonObject usage = new JsonObject(res.body()).getJsonObject("usage");
    long prompt = usage.getLong("prompt_tokens");
    long completion = usage.getLong("completion_tokens");
    assertThat(completion).as(res.body()).isPositive();
    assertThat(Double.parseDouble(res.header("X-ReliAPI-Cost-USD")))
        .isCloseTo((prompt * 2.5 + completion * 80) / 1e6, offset(1e-12));
  }

  @Test
  void theAudioTokensAreCountedApartInTheTokenMetric() {
    answersWithAudio(20, 15, 1000, 900);
    MetricSamples before = MetricSamples.scrape(e2e.gw());

    assertThat(post("spoken", chatBody("gpt-4o-audio-preview")).status()).isEqualTo(200);

    MetricSamples after = MetricSamples.scrape(e2e.gw());
    assertThat(spokenTokens(after, "audio_prompt") - spokenTokens(before, "audio_prompt")).isEqualTo(15);
    assertThat(spokenTokens(after, "audio_completion") - spokenTokens(before, "audio_completion")).isEqualTo(900);
    assertThat(spokenTokens(after, "prompt") - spokenTokens(before, "prompt")).as("parts of the totals").isEqualTo(20);
    assertThat(spokenTokens(after, "completion") - spokenTokens(before, "completion")).isEqualTo(1000);
  }

  static double spokenTokens(MetricSamples metrics, String type) {
    return metrics.value("reliapi_llm_tokens_total", "target", "spoken", "model", "gpt-4o-audio-preview", "type", type);
  }

  @Test
  void aSpokenAnswerIsEstimatedAtTheAudioOutputPriceSoAHardCapItPassedAsTextRefusesIt() {
    answers();
    Res res = post("capped", chatBody("gpt-4o-audio-preview"));
    assertThat(res.status()).as(res.body()).isEqualTo(400);
    assertThat(res.body()).contains("BUDGET_EXCEEDED");
    assertThat(e2e.up("openai").total()).isZero();
    Res text = post("capped", "{\"model\": \"gpt-4o-audio-preview\", \"max_tokens\": 1000, " + MESSAGES + "}");
    assertThat(text.status()).as("the same call without audio, at 0.01").isEqualTo(200);
  }

  @Test
  void aSpokenAnswerOfAModelWithoutAudioPricesIsRefusedOnV1ChatCompletions() {
    answers();
    assertRefusedWithoutACall(post("text-capped", chatBody("gpt-4o-mini")));
    assertRefusedWithoutACall(post("text-capped", chatBody("house-audio")));
  }

  @Test
  void aSpokenAnswerOfAModelWithoutAudioPricesIsRefusedOnTheRawChatRoute() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/t/text-capped/chat/completions", chatBody("gpt-4o-mini"),
        "X-API-Key", KEY));
  }

  @Test
  void aSpokenAnswerAskedForInExtraIsRefusedOnACappedTargetOnProxyLlm() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/proxy/llm",
        "{\"target\": \"text-capped\", \"max_tokens\": 1000, " + MESSAGES + ", \"extra\": {" + AUDIO + "}}",
        "X-API-Key", KEY));
  }

  @Test
  void aSpokenAnswerAskedOfGeminiInExtraIsRefusedOnACappedTarget() {
    Res res = e2e.gw().http.post("/proxy/llm", "{\"target\": \"gemini-capped\", " + MESSAGES
        + ", \"extra\": {\"generationConfig\": {\"responseModalities\": [\"AUDIO\"]}}}", "X-API-Key", KEY);
    assertRefusedBeforeTheCall(res, e2e.up("gemini"), "generationConfig.responseModalities");
  }

  @Test
  void audioInputOfAModelWithoutAnAudioInputPriceIsRefusedNamingThePart() {
    answers();
    Res res = post("text-capped", audioInputBody("gpt-4o-mini", CLIP));
    assertRefusedBeforeTheCall(res, e2e.up("openai"), "audio input");
    assertThat(res.body()).contains("messages[0].content[1]");
  }

  /** Audio input of the built-in table's audio model, and of a model the target prices audio for itself. */
  @Test
  void audioInputIsSettledAtTheAudioInputPriceOfTheTableOrOfTheTarget() {
    answersWithAudio(1010, 1000, 10, 0);
    for (String[] call : new String[][] {{"spoken", "gpt-4o-audio-preview"}, {"text-capped", "house-audio-priced"}}) {
      Res res = post(call[0], audioInputBody(call[1], CLIP));
      assertThat(res.status()).as(res.body()).isEqualTo(200);
      assertThat(res.header("X-ReliAPI-Cost-USD")).isEqualTo("0.040125"); // 10 × 2.50 + 1 000 × 40 + 10 × 10
    }
  }

  /**
   * The audio data of the prompt is estimated at the audio input price: 30 KB of audio (under a second of wav, some
   * 27 000 tokens of base64) pass a cap of 0.1 at the text price (about 0.07 USD at 2.50 per 1M), and not at 40 per
   * 1M (about 1.1 USD).
   */
  @Test
  void theAudioDataOfThePromptIsEstimatedAtTheAudioInputPrice() {
    answers();
    Res res = post("spoken", audioInputBody("gpt-4o-audio-preview", clip30Kb()));
    assertThat(res.status()).as(res.body()).isEqualTo(400);
    assertThat(res.body()).contains("BUDGET_EXCEEDED");
    assertThat(e2e.up("openai").total()).isZero();
  }

  /**
   * The provider bills at most the model's context window of audio tokens, however much base64 the clip is: the same
   * 30 KB (some 27 000 tokens of base64), on a model with a window of 2 000 tokens, is estimated at about 2 000 tokens
   * at 40 per 1M (0.08 USD), the window bounding the audio data both at the text price and in the surcharge, so it
   * passes a cap of 0.1 as well as one of 0.5. Unbounded in the surcharge, that alone was about 1 USD; unbounded at
   * the text price, the 27 000 tokens (0.07) besides the bounded surcharge (0.075) passed only the cap of 0.5.
   */
  @Test
  void theAudioDataOfThePromptIsEstimatedAtMostAtTheModelsContextWindow() {
    answers();
    for (String target : new String[] {"windowed", "windowed-tight"}) {
      Res res = post(target, audioInputBody("short-audio", clip30Kb()));
      assertThat(res.status()).as(target + ": " + res.body()).isEqualTo(200);
    }
    assertThat(e2e.up("openai").total()).isEqualTo(2);
  }

  @Test
  void aTextAnswerOfAModelWithoutAudioPricesStillRunsOnTheCappedTargetAndASpokenOneOnAnOpenTarget() {
    answers();
    Res text = post("text-capped", "{\"model\": \"gpt-4o-mini\", \"max_tokens\": 1000, " + MESSAGES + "}");
    assertThat(text.status()).as(text.body()).isEqualTo(200);

    Res spoken = post("open", chatBody("gpt-4o-mini"));
    assertThat(spoken.status()).as(spoken.body()).isEqualTo(200);
    assertThat(e2e.up("openai").total()).isEqualTo(2);
  }

  /**
   * Audio input was settled at the text input price: 1 000 audio tokens (under two minutes of speech) cost 0.04 USD
   * at gpt-4o-audio-preview's USD 40 per 1M, but were charged 0.0025 (2.50 per 1M), so a daily budget of 0.04 paid
   * for sixteen such calls where it should stop after one. Settled at the audio price, the first call spends the
   * budget. (The budget is 0.04, not 0.05: a call is let through while its own estimate fits the room left, and this
   * mock bills 1 000 audio tokens for 24 bytes of audio, whose estimate is a thousandth of that; real audio of 1 000
   * tokens is some 100 KB, estimated above the whole budget.)
   */
  @Test
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
    // Each call reaching the provider costs 0.04 (audio) + 0.0001 (output): the budget of 0.04 has room for one.
    assertThat(e2e.up("openai").total()).isLessThanOrEqualTo(1);
  }
}
