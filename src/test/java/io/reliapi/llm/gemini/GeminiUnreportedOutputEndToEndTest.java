package io.reliapi.llm.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.GeminiBehaviors;
import io.reliapi.testing.SseEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gemini leaves a count that is 0 out of its usage metadata, and a compatible server may leave
 * {@code candidatesTokenCount} out altogether: an answer with text whose metadata lacks it is charged the output the
 * gateway counts plus the reported thoughts, whole and streamed, never 0 for the text. The target's
 * price is $1 in and $5 out per 1M.
 */
class GeminiUnreportedOutputEndToEndTest {
  static final String GENERATE = "POST /v1beta/models/gemini-2.5-flash:generateContent";
  static final String STREAM = "POST /v1beta/models/gemini-2.5-flash:streamGenerateContent";
  static final String TEXT = "The quick brown fox jumps over the lazy dog near the riverbank at dawn ";
  static final List<String> PIECES = List.of(TEXT.repeat(20), TEXT.repeat(20), TEXT.repeat(20));
  static final String HELLO = "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        gemini:
          base_url: "%1$s/v1beta"
          llm:
            provider: gemini
            default_model: gemini-2.5-flash
            max_tokens: 2000
            prices: {gemini-2.5-flash: {input_per_1m: 1, output_per_1m: 5}}
      """.formatted(up.baseUrl())));

  static long outputTokens() {
    return TokenCounter.shared().textTokens("gemini-2.5-flash", String.join("", PIECES));
  }

  /** Usage metadata of a 10-token prompt without {@code candidatesTokenCount}, with {@code thoughts} if any. */
  static String usageWithoutCandidates(int thoughts) {
    return "{\"promptTokenCount\":10" + (thoughts > 0 ? ",\"thoughtsTokenCount\":" + thoughts : "")
        + ",\"totalTokenCount\":" + (10 + thoughts) + "}";
  }

  static void answerWhole(String usage) {
    e2e.up().script(GENERATE, Behavior.respond(200, GeminiBehaviors.headers(), GeminiBehaviors.answer(
        "gemini-2.5-flash", "[{\"text\":\"" + String.join("", PIECES) + "\"}]", "STOP", usage)));
  }

  static JsonNode proxied() {
    var res = e2e.gw().http.post("/proxy/llm", "{\"target\": \"gemini\", " + HELLO + "}");
    assertThat(res.status()).as(res.body()).isEqualTo(200);
    return res.json().get("meta");
  }

  @Test
  void aWholeAnswerWithoutACandidatesCountIsChargedTheOutputTheGatewayCounts() {
    answerWhole(usageWithoutCandidates(0));
    var res = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"gemini-2.5-flash\", " + HELLO + "}",
        "X-ReliAPI-Target", "gemini");

    assertThat(res.status()).as(res.body()).isEqualTo(200);
    JsonNode usage = res.json().get("usage");
    assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(10);
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(outputTokens());
    // 10 × 1 + output × 5 per 1M
    assertThat(Double.parseDouble(res.header("X-ReliAPI-Cost-USD")))
        .isEqualTo((10 + 5.0 * outputTokens()) / 1_000_000, within());
  }

  @Test
  void reportedThoughtsAreChargedBesideTheCountedText() {
    // Found in review: the larger of the two charged 5000 thoughts and the text's tokens as 5000 alone.
    answerWhole(usageWithoutCandidates(5000));
    assertThat(proxied().get("cost_usd").doubleValue())
        .isEqualTo((10 + 5.0 * (5000 + outputTokens())) / 1_000_000, within());

    answerWhole(usageWithoutCandidates(3));
    assertThat(proxied().get("cost_usd").doubleValue())
        .isEqualTo((10 + 5.0 * (3 + outputTokens())) / 1_000_000, within());
  }

  @Test
  void aReportedCandidatesCountStandsEvenWhenTheGatewayCountsMore() {
    answerWhole(GeminiBehaviors.usage(10, 7, 0, 0));
    assertThat(proxied().get("cost_usd").doubleValue()).isEqualTo((10 + 5.0 * 7) / 1_000_000, within());
  }

  /** Streams the answer with metadata lacking the candidates count, with {@code thoughts}; returns the last event. */
  static SseEvents.Event streamedWithoutCandidates(int thoughts) {
    List<String> events = new ArrayList<>(GeminiBehaviors.streamEvents("gemini-2.5-flash", PIECES, 10, 0));
    events.replaceAll(e -> e.replace(GeminiBehaviors.usage(10, 0, 0, 0), usageWithoutCandidates(thoughts)));
    e2e.up().script(STREAM, GeminiBehaviors.sse(events, 1));
    return SseEvents.parse(e2e.gw().http.post("/proxy/llm", "{\"target\": \"gemini\", \"stream\": true, "
        + HELLO + "}").body()).getLast();
  }

  @Test
  void aStreamWhoseLastMetadataLacksTheCandidatesCountIsChargedTheCountedOutput() {
    var last = streamedWithoutCandidates(0);

    assertThat(last.name()).isEqualTo("done");
    assertThat(last.json().get("usage").get("prompt_tokens").asLong()).isEqualTo(10);
    assertThat(last.json().get("usage").get("completion_tokens").asLong()).isEqualTo(outputTokens());
    assertThat(last.json().get("cost_usd").doubleValue()).isEqualTo((10 + 5.0 * outputTokens()) / 1_000_000, within());
  }

  @Test
  void aStreamWhoseLastMetadataLacksTheCandidatesCountIsChargedItsThoughtsBesideTheCountedText() {
    assertThat(streamedWithoutCandidates(5000).json().get("usage").get("completion_tokens").asLong())
        .isEqualTo(5000 + outputTokens());
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-12);
  }
}
