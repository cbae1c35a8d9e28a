package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client sends cannot make a provider bill more than the estimate the caps allowed: the fields that
 * multiply or enlarge what is billed are either priced as the provider will read them or refused, on every route.
 * gpt-4o costs $2.50 in and $10 out per 1M; the prompt "Hello" is 8 tokens.
 */
class BillBoundEndToEndTest {
  static final String HELLO = "[{\"role\": \"user\", \"content\": \"Hello\"}]";
  static MockUpstream up;
  static GatewayHarness gw;

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    gw = GatewayHarness.yaml("""
        targets:
          strict:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o, max_tokens: 100, hard_cost_cap_usd: 0.005}
        """.formatted(up.baseUrl())).start();
  }

  @AfterAll
  static void stop() {
    gw.close();
    up.close();
  }

  @BeforeEach
  void clean() {
    up.reset();
  }

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
    Res r = gw.http.post("/t/strict/chat/completions", chat(n), "Content-Type", "application/json");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(up.total()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"5\"", "5.5", "0", "true"})
  void aV1ChatCallsChoiceCountThatIsNotAPositiveIntegerIsRefusedBeforeAnyCall(String n) {
    Res r = gw.http.post("/v1/chat/completions", chat(n), "X-ReliAPI-Target", "strict");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(up.total()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "5.0"})
  void aRawChatCallsChoicesArePricedEachOnTheirOwn(String n) {
    Res r = gw.http.post("/t/strict/chat/completions", chat(n), "Content-Type", "application/json");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(r.json().get("details").get("estimate").decimalValue()).isEqualByComparingTo("0.00502");
    assertThat(up.total()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4", "null"})
  void aRawChatCallWithinTheCapGoesThrough(String n) {
    up.script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o", "Hi!", 8, 2));
    Res r = gw.http.post("/t/strict/chat/completions", chat(n), "Content-Type", "application/json");

    assertThat(r.status()).isEqualTo(200);
    assertThat(up.total()).isEqualTo(1);
  }
}
