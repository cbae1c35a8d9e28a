package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client sends cannot make a provider bill more than the estimate the caps allowed: the fields that
 * multiply or enlarge what is billed are either priced as the provider will read them or refused, on every route.
 * gpt-4o costs $2.50 in and $10 out per 1M; the prompt "Hello" is 8 tokens. The model {@code writer} costs $1 in
 * and $1.25 per prompt token written to the cache, and its output is free, so its estimates are its prompt alone;
 * its target's hard cap refuses every call, with the estimate in the error's details.
 */
class BillBoundEndToEndTest {
  static final String HELLO = "[{\"role\": \"user\", \"content\": \"Hello\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        strict:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o, max_tokens: 100, hard_cost_cap_usd: 0.005}
        claude:
          base_url: "%1$s/v1"
          llm:
            provider: anthropic
            default_model: writer
            max_tokens: 100
            hard_cost_cap_usd: 0.0000001
            prices: {writer: {input_per_1m: 1, output_per_1m: 0, cache_write_per_1m: 1.25}}
        claude_open:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100}
      """.formatted(up.baseUrl())));

  static String chat(String n) {
    return "{\"model\": \"gpt-4o\", \"messages\": " + HELLO + ", \"max_tokens\": 100, \"n\": " + n + "}";
  }

  /**
   * 8 × 2.5 / 1M + 5 × 100 × 10 / 1M = 0.00502 > 0.005. A choice count the gateway would read as 1 (a string, a
   * fraction) is one a lenient OpenAI-protocol server may read as 5: it is refused rather than priced once.
   */
  @ParameterizedTest
  @ValueSource(strings = {"\"5\"", "5.5", "0", "-5", "true", "[5]", "{\"n\": 5}"})
  void aRawChatCallsChoiceCountThatIsNotAPositiveIntegerIsRefusedBeforeAnyCall(String n) {
    Res r = e2e.gw().http.post("/t/strict/chat/completions", chat(n), "Content-Type", "application/json");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(e2e.up().total()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"5\"", "5.5", "0", "true"})
  void aV1ChatCallsChoiceCountThatIsNotAPositiveIntegerIsRefusedBeforeAnyCall(String n) {
    Res r = e2e.gw().http.post("/v1/chat/completions", chat(n), "X-ReliAPI-Target", "strict");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(e2e.up().total()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "5.0"})
  void aRawChatCallsChoicesArePricedEachOnTheirOwn(String n) {
    Res r = e2e.gw().http.post("/t/strict/chat/completions", chat(n), "Content-Type", "application/json");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(r.json().get("details").get("estimate").decimalValue()).isEqualByComparingTo("0.00502");
    assertThat(e2e.up().total()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4", "null"})
  void aRawChatCallWithinTheCapGoesThrough(String n) {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o", "Hi!", 8, 2));
    Res r = e2e.gw().http.post("/t/strict/chat/completions", chat(n), "Content-Type", "application/json");

    assertThat(r.status()).isEqualTo(200);
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  static final String SYSTEM = "You are a careful assistant who answers in one short sentence.";

  static String messages(String cacheControl) {
    return "{\"model\": \"writer\", \"max_tokens\": 100, \"system\": [{\"type\": \"text\", \"text\": \"" + SYSTEM
        + "\"" + cacheControl + "}], \"messages\": " + HELLO + "}";
  }

  static BigDecimal refusedEstimate(Res r) {
    assertThat(r.status()).isEqualTo(400);
    // problem+json on /t/, OpenAI's error on /v1/chat, Anthropic's (the gateway's object in its details) on /v1/messages
    JsonNode error = r.json().has("error") ? r.json().get("error") : r.json();
    JsonNode details = error.get("details").has("details") ? error.get("details").get("details") : error.get("details");
    assertThat(error.toString()).contains("BUDGET_EXCEEDED");
    return details.get("estimate").decimalValue();
  }

  static Res onV1Messages(String cacheControl) {
    return e2e.gw().http.post("/v1/messages", messages(cacheControl), "X-ReliAPI-Target", "claude");
  }

  /**
   * A prompt marked for the cache is billed at the write price: 1.25 times the input price for the default five
   * minutes, twice it for an hour. The estimate prices it so; on /v1/messages the mark adds no token to the count.
   */
  @Test
  void aPromptMarkedForTheCacheIsEstimatedAtTheCacheWritePrice() {
    BigDecimal plain = refusedEstimate(onV1Messages(""));
    BigDecimal fiveMinutes = refusedEstimate(onV1Messages(", \"cache_control\": {\"type\": \"ephemeral\"}"));
    BigDecimal hour = refusedEstimate(onV1Messages(", \"cache_control\": {\"type\": \"ephemeral\", \"ttl\": \"1h\"}"));

    assertThat(fiveMinutes).isEqualByComparingTo(plain.multiply(new BigDecimal("1.25")));
    assertThat(hour).isEqualByComparingTo(plain.multiply(new BigDecimal("2")));
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void aPromptMarkedForTheCacheIsEstimatedAtTheCacheWritePriceOnTheRawRoutesAndV1ChatToo() {
    String mark = ", \"cache_control\": {\"type\": \"ephemeral\", \"ttl\": \"1h\"}";
    BigDecimal rawPlain = refusedEstimate(e2e.gw().http.post("/t/claude/messages", messages("")));
    BigDecimal rawMarked = refusedEstimate(e2e.gw().http.post("/t/claude/messages", messages(mark)));
    // The mark's own JSON text is counted on the raw routes, so the marked prompt has a few tokens more.
    assertThat(rawMarked).isGreaterThanOrEqualTo(rawPlain.multiply(new BigDecimal("2")));

    String chat = "{\"model\": \"writer\", \"max_tokens\": 100, \"messages\": [{\"role\": \"user\", "
        + "\"content\": [{\"type\": \"text\", \"text\": \"" + SYSTEM + "\"%s}]}]}";
    BigDecimal chatPlain = refusedEstimate(e2e.gw().http.post("/v1/chat/completions", chat.formatted(""),
        "X-ReliAPI-Target", "claude"));
    BigDecimal chatMarked = refusedEstimate(e2e.gw().http.post("/v1/chat/completions", chat.formatted(mark),
        "X-ReliAPI-Target", "claude"));
    assertThat(chatMarked).isGreaterThanOrEqualTo(chatPlain.multiply(new BigDecimal("2")));
    assertThat(e2e.up().total()).isZero();
  }

  /** claude-haiku-4-5: $1 in, $5 out, $1.25 per five-minute cache write, so $2 per one-hour write (per 1M). */
  @Test
  void promptTokensWrittenToTheCacheForAnHourAreChargedTwiceTheInputPrice() {
    e2e.up().script("POST /v1/messages", Behavior.json(200, """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001",
         "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":10,"cache_creation_input_tokens":1000,"cache_read_input_tokens":0,
                  "cache_creation":{"ephemeral_5m_input_tokens":400,"ephemeral_1h_input_tokens":600},
                  "output_tokens":20}}"""));
    Res r = e2e.gw().http.post("/v1/messages", "{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 100, "
        + "\"messages\": " + HELLO + "}", "X-ReliAPI-Target", "claude_open");

    assertThat(r.status()).isEqualTo(200);
    // 10 × 1 + 400 × 1.25 + 600 × 2 + 20 × 5, per 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00181");
  }
}
