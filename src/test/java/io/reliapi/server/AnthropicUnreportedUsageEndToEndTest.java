package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.SseEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An Anthropic stream states its output only in {@code message_delta}: the {@code output_tokens} of its
 * {@code message_start} is a placeholder. A stream that completes without that report (an Anthropic-compatible server
 * that leaves usage out) is charged the output the gateway counts, never the placeholder or nothing; claude-haiku-4-5
 * costs $1 in and $5 out per 1M. So is a whole answer whose {@code usage} lacks its counts. The prompt counts as
 * reported only when the events state a prompt of more than 0 tokens (input, cache reads and writes): a stream whose
 * usage leaves it out (an empty {@code usage}, one only in {@code message_delta}, or 0s) is charged the prompt the
 * gateway counts, never 0. A {@code message_delta} usage is merged into the start's field by field, each the larger.
 */
class AnthropicUnreportedUsageEndToEndTest {
  static final String TEXT = "The quick brown fox jumps over the lazy dog near the riverbank at dawn ";
  static final List<String> PIECES = List.of(TEXT.repeat(20), TEXT.repeat(20), TEXT.repeat(20));

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        claude:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 2000}
      """.formatted(up.baseUrl())));

  static long outputTokens() {
    return TokenCounter.shared().textTokens("claude-haiku-4-5", String.join("", PIECES));
  }

  static JsonNode done(List<String> events) {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(events, 1));
    var last = SseEvents.parse(e2e.gw().http.post("/proxy/llm", "{\"target\": \"claude\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}").body()).getLast();
    assertThat(last.name()).isEqualTo("done");
    return last.json();
  }

  @Test
  void aStreamWhoseDeltaReportsNoUsageIsChargedTheCountedOutputNotTheStartsPlaceholder() {
    List<String> events = new ArrayList<>(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", PIECES, 10, 0));
    events.replaceAll(e -> e.startsWith("event: message_delta")
        ? e.replace(",\"usage\":{\"output_tokens\":0}", "") : e);

    JsonNode done = done(events);

    assertThat(done.get("usage").get("prompt_tokens").asLong()).isEqualTo(10);
    assertThat(done.get("usage").get("completion_tokens").asLong()).isEqualTo(outputTokens());
    // 10 × 1 + output × 5 per 1M
    assertThat(done.get("cost_usd").doubleValue()).isEqualTo((10 + 5.0 * outputTokens()) / 1_000_000, within());
  }

  @Test
  void aStreamThatReportsNoUsageAtAllIsChargedThePromptAndOutputTheGatewayCounts() {
    List<String> events = new ArrayList<>(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", PIECES, 10, 0));
    events.replaceAll(e -> e.replaceAll(",\"usage\":\\{[^}]*\\}", ""));

    JsonNode done = done(events);

    assertThat(done.get("usage").get("prompt_tokens").asLong()).isPositive();
    assertThat(done.get("usage").get("completion_tokens").asLong()).isEqualTo(outputTokens());
    assertThat(done.get("cost_usd").doubleValue()).isGreaterThanOrEqualTo(5.0 * outputTokens() / 1_000_000);
  }

  @Test
  void aStreamWhoseOnlyUsageIsTheDeltasOutputIsChargedTheCountedPromptNotNone() {
    List<String> events = new ArrayList<>(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", PIECES, 10, 900));
    events.replaceAll(e -> e.startsWith("event: message_start") ? e.replaceAll(",\"usage\":\\{[^}]*\\}", "") : e);

    JsonNode done = done(events);

    long prompt = done.get("usage").get("prompt_tokens").asLong();
    assertThat(prompt).isPositive();
    assertThat(done.get("usage").get("completion_tokens").asLong()).isEqualTo(900);
    assertThat(done.get("cost_usd").doubleValue()).isEqualTo((prompt + 5.0 * 900) / 1_000_000, within());
  }

  @Test
  void aStreamWhoseStartHasAnEmptyUsageAndWhoseDeltaHasNoneIsChargedTheCountedPromptAndOutput() {
    List<String> events = new ArrayList<>(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", PIECES, 10, 0));
    events.replaceAll(e -> e.startsWith("event: message_start") ? e.replaceAll("\"usage\":\\{[^}]*\\}", "\"usage\":{}")
        : e.replace(",\"usage\":{\"output_tokens\":0}", ""));

    JsonNode done = done(events);

    long prompt = done.get("usage").get("prompt_tokens").asLong();
    assertThat(prompt).isPositive();
    assertThat(done.get("usage").get("completion_tokens").asLong()).isEqualTo(outputTokens());
    assertThat(done.get("cost_usd").doubleValue()).isEqualTo((prompt + 5.0 * outputTokens()) / 1_000_000, within());
  }

  /** The done event of a stream whose start reports {@code input} and {@code cacheReads}, its delta {@code usage}. */
  static JsonNode withDeltaUsage(int input, int cacheReads, String usage) {
    List<String> events = new ArrayList<>(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", PIECES, input, 7));
    events.replaceAll(e -> e.replace("\"cache_read_input_tokens\":0", "\"cache_read_input_tokens\":" + cacheReads)
        .replace("\"usage\":{\"output_tokens\":7}", "\"usage\":" + usage));
    return done(events);
  }

  @Test
  void aDeltaStatingZeroInputTokensKeepsThePromptTheStartReported() {
    // sglang states "input_tokens": 0 in its message_delta.
    JsonNode done = withDeltaUsage(10, 0, "{\"input_tokens\":0,\"output_tokens\":7}");

    assertThat(done.get("usage").get("prompt_tokens").asLong()).isEqualTo(10);
    assertThat(done.get("cost_usd").doubleValue()).isEqualTo((10 + 5.0 * 7) / 1_000_000, within());
  }

  @Test
  void aDeltaWithoutTheCacheFieldsKeepsTheCacheReadsTheStartReported() {
    JsonNode done = withDeltaUsage(10, 5000, "{\"input_tokens\":10,\"output_tokens\":7}");

    assertThat(done.get("usage").get("prompt_tokens").asLong()).isEqualTo(5010);
    // 10 × 1 + 5 000 cache reads × 0.10 + 7 × 5, per 1M
    assertThat(done.get("cost_usd").doubleValue()).isEqualTo((10 + 500 + 5.0 * 7) / 1_000_000, within());
  }

  @Test
  void zeroPromptCountsAndANullOutputAreChargedWhatTheGatewayCounts() {
    JsonNode done = withDeltaUsage(0, 0, "{\"input_tokens\":0,\"output_tokens\":null}");

    assertThat(done.get("usage").get("prompt_tokens").asLong()).isPositive();
    assertThat(done.get("usage").get("completion_tokens").asLong()).isEqualTo(outputTokens());
  }

  @Test
  void aReportedOutputStandsEvenWhenTheGatewayCountsMore() {
    JsonNode done = done(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", PIECES, 10, 7));

    assertThat(done.get("usage").get("completion_tokens").asLong()).isEqualTo(7);
  }

  @Test
  void aWholeAnswerWhoseUsageLacksItsCountsIsChargedWhatTheGatewayCounts() {
    String text = String.join("", PIECES);
    e2e.up().script("POST /v1/messages", io.reliapi.testing.Behavior.json(200,
        LlmBehaviors.anthropicMessage("claude-haiku-4-5", text, "end_turn", 0, 0)
            .replaceAll("\"usage\":\\{.*\\}\\}$", "\"usage\":{\"service_tier\":\"standard\"}}")));
    var res = e2e.gw().http.post("/proxy/llm", "{\"target\": \"claude\", "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}");

    assertThat(res.status()).as(res.body()).isEqualTo(200);
    JsonNode usage = res.json().get("data").get("usage");
    assertThat(usage.get("prompt_tokens").asLong()).isPositive();
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(outputTokens());
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-12);
  }
}
