package io.reliapi.llm.cost;

import static io.reliapi.llm.ChatFixtures.json;
import static io.reliapi.llm.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Usage;
import io.reliapi.llm.WireProtocol;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Audio in a chat request, the price its estimate is bounded at, and audio tokens settled at the audio prices. */
class AudioUseTest {
  /** gpt-4o-audio-preview as the source prices it: text 2.50 / 10, audio 40 / 80 per 1M. */
  static final ModelPrice AUDIO_MODEL = BuiltInPrices.table().models().get("gpt-4o-audio-preview");
  static final ModelPrice TEXT_MODEL = new ModelPrice(2.5, 10);
  static final String AUDIO_PART = "{\"type\": \"input_audio\", \"input_audio\": {\"data\": \"UklGRiQA\", \"format\": \"wav\"}}";

  static ChatRequest chat(String parts, String options, String extra) {
    return request("gpt-4o-audio-preview", "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi\"}"
        + parts + "]}]", 100, false, options, extra);
  }

  static AudioUse of(String parts, String options, String extra) {
    return AudioUse.of(chat(parts, options, extra), WireProtocol.OPENAI_CHAT);
  }

  @Test
  void findsAudioInputAndSpokenAnswersWhereverTheRequestAsksForThem() {
    assertThat(of("", "{}", "{}")).isEqualTo(AudioUse.NONE);
    assertThat(of(", " + AUDIO_PART, "{}", "{}").input()).contains("messages[0].content[1]");
    assertThat(of("", "{\"modalities\": [\"text\", \"audio\"]}", "{}").output()).contains("modalities");
    assertThat(of("", "{\"audio\": {\"voice\": \"alloy\"}}", "{}").output()).contains("audio");
    assertThat(of("", "{\"modalities\": [\"text\"]}", "{}")).isEqualTo(AudioUse.NONE);
    assertThat(of("", "{}", "{\"modalities\": [\"audio\"]}").output()).contains("extra.modalities");
    assertThat(AudioUse.of(chat("", "{}", "{\"generationConfig\": {\"responseModalities\": [\"AUDIO\"]}}"),
        WireProtocol.GEMINI_GENERATE_CONTENT).output()).contains("extra.generationConfig.responseModalities");
    assertThat(of("", "{}", "{\"contents\": [{\"parts\": [{\"inlineData\": {\"mimeType\": \"audio/mp3\", "
        + "\"data\": \"SUQz\"}}]}]}").input()).contains("extra");
    assertThat(of("", "{}", "{\"contents\": [{\"parts\": [{\"inlineData\": {\"mimeType\": \"image/png\", "
        + "\"data\": \"iVBO\"}}]}]}").input()).isEmpty();
  }

  @Test
  void boundsTheOutputAtTheAudioOutputPriceOnlyWhenASpokenAnswerIsAskedFor() {
    assertThat(AudioUse.NONE.bound(AUDIO_MODEL)).isSameAs(AUDIO_MODEL);
    assertThat(new AudioUse(Optional.of("messages[0].content[1]"), Optional.empty()).bound(AUDIO_MODEL))
        .isSameAs(AUDIO_MODEL);
    ModelPrice output = new AudioUse(Optional.empty(), Optional.of("modalities")).bound(AUDIO_MODEL);
    assertThat(output.inputPer1m()).isEqualTo(2.5);
    assertThat(output.outputPer1m()).isEqualTo(80.0);
    assertThat(new AudioUse(Optional.of("x"), Optional.of("y")).bound(TEXT_MODEL)).isSameAs(TEXT_MODEL);
  }

  @Test
  void pricesTheAudioDataOfThePromptAtTheAudioInputPriceAndTheRestAtTheInputPrice() {
    AudioUse input = new AudioUse(Optional.of("messages[0].content[1]"), Optional.empty());
    assertThat(input.surcharged(AUDIO_MODEL)).isTrue();
    assertThat(input.surcharged(TEXT_MODEL)).isFalse();
    assertThat(AudioUse.NONE.surcharged(AUDIO_MODEL)).isFalse();
    // 1 000 tokens of audio data, counted at 2.50 in the prompt, cost 40: 37.50 per 1M more.
    assertThat(AudioUse.inputSurchargeUsd(1000, AUDIO_MODEL)).isEqualByComparingTo("0.0375");
    assertThat(AudioUse.inputSurchargeUsd(1000, TEXT_MODEL)).isEqualByComparingTo("0");

    String data = Base64.getEncoder().encodeToString("RIFF and a little wav data".repeat(40).getBytes());
    ChatRequest twoClips = chat(", " + AUDIO_PART.replace("UklGRiQA", data) + ", " + AUDIO_PART, "{}",
        "{\"contents\": [{\"parts\": [{\"inline_data\": {\"mime_type\": \"audio/wav\", \"data\": \"" + data + "\"}}]}]}");
    TokenCounter counter = TokenCounter.shared();
    long one = counter.textTokens("gpt-4o-audio-preview", data);
    assertThat(AudioUse.dataTokens(twoClips, counter))
        .isEqualTo(2 * one + counter.textTokens("gpt-4o-audio-preview", "UklGRiQA"));
  }

  @Test
  void audioWithoutAnAudioPriceCannotBeBounded() {
    AudioUse both = new AudioUse(Optional.of("messages[0].content[1]"), Optional.of("modalities"));
    assertThat(both.unpriced(Optional.of(AUDIO_MODEL))).isEmpty();
    assertThat(both.unpriced(Optional.of(TEXT_MODEL))).hasValueSatisfying(u -> {
      assertThat(u.field()).isEqualTo("messages[0].content[1]");
      assertThat(u.tool()).isEqualTo("audio input");
    });
    assertThat(new AudioUse(Optional.empty(), Optional.of("modalities")).unpriced(Optional.of(TEXT_MODEL)))
        .hasValueSatisfying(u -> assertThat(u.tool()).isEqualTo("audio output"));
    assertThat(both.unpriced(Optional.empty())).isPresent();
    assertThat(AudioUse.NONE.unpriced(Optional.empty())).isEmpty();
  }

  @Test
  void readsOpenAisAudioTokenDetailsAndWritesThemBack() {
    Usage usage = ChatCompletion.usage(json("""
        {"prompt_tokens": 1017, "completion_tokens": 181, "total_tokens": 1198,
         "prompt_tokens_details": {"cached_tokens": 0, "text_tokens": 17, "audio_tokens": 1000},
         "completion_tokens_details": {"reasoning_tokens": 0, "text_tokens": 33, "audio_tokens": 148}}"""));
    assertThat(usage.audioPromptTokens()).isEqualTo(1000);
    assertThat(usage.audioCompletionTokens()).isEqualTo(148);
    assertThat(ChatCompletion.usage(usage).path("prompt_tokens_details").path("audio_tokens").asLong()).isEqualTo(1000);
    assertThat(ChatCompletion.usage(usage).path("completion_tokens_details").path("audio_tokens").asLong())
        .isEqualTo(148);
  }

  @Test
  void settlesAudioTokensAtTheAudioPricesAndTheRestAtTheTextPrices() {
    Usage usage = Usage.reported(1017, 181).withAudio(1000, 148);
    // 17 × 2.50 + 1 000 × 40 + 33 × 10 + 148 × 80, per 1M
    assertThat(Costs.usd(usage, AUDIO_MODEL)).isEqualByComparingTo("0.0522125");
    // Without audio prices, audio tokens cost the text prices.
    assertThat(Costs.usd(usage, TEXT_MODEL)).isEqualByComparingTo(Costs.usd(Usage.reported(1017, 181), TEXT_MODEL));
  }

  @Test
  void aCacheReadThatNoLongerFitsTheTextPartIsSettledAsAudio() {
    ModelPrice cached = new ModelPrice(2.5, 10, Optional.of(1.25), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(40.0), Optional.of(80.0));
    // 1 000 prompt tokens, 900 audio, 500 read from the cache: at most 100 of the reads were text.
    Usage usage = Usage.reported(1000, 0).withCache(500, 0).withAudio(900, 0);
    assertThat(Costs.usd(usage, cached)).isEqualByComparingTo("0.036125"); // 900 × 40 + 100 × 1.25
  }

  /**
   * The estimate prices the whole counted prompt, the audio's base64 text included, at the audio input price; that
   * is an upper bound when the base64 counts more tokens than the audio is billed. OpenAI's chat takes wav and mp3;
   * the smallest audio per second is an mp3 at 8 kbit/s, 1 000 bytes a second, and OpenAI bills audio input at about
   * ten tokens a second (reported by its users; OpenAI does not publish the rate). Its base64 counts hundreds.
   */
  @Test
  void theBase64OfASecondOfTheSmallestAudioCountsFarMoreTokensThanTheAudioIsBilled() {
    byte[] second = new byte[1000];
    new Random(7).nextBytes(second); // compressed audio is close to random bytes
    String base64 = Base64.getEncoder().encodeToString(second);
    long tokens = TokenCounter.shared().textTokens("gpt-4o-audio-preview", base64);
    // 909 with o200k_base: about ninety times the audio's ten tokens; fifty times is the margin this test keeps.
    assertThat(tokens).isGreaterThan(50 * 10);
  }
}
