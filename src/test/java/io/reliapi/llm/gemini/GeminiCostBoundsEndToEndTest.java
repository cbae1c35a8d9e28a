package io.reliapi.llm.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.GeminiBehaviors;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Gemini target holds {@code /proxy/llm}'s {@code extra} to the output the gateway priced: the output limit and
 * the number of candidates live in Gemini's {@code generationConfig}, which {@code extra} may otherwise fill, so a
 * client could raise them past the caps under either of the names Gemini accepts (lowerCamel or snake case).
 */
class GeminiCostBoundsEndToEndTest {
  static final String GENERATE = "POST /v1beta/models/gemini-2.5-flash:generateContent";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        gemini:
          base_url: "%1$s/v1beta"
          llm: {provider: gemini, default_model: gemini-2.5-flash, max_tokens: 100, hard_cost_cap_usd: 0.01}
      """.formatted(up.baseUrl())));

  static Res ask(String extra) {
    return e2e.gw().http.post("/proxy/llm", "{\"target\": \"gemini\", \"messages\": [{\"role\": \"user\", \"content\": "
        + "\"Hello\"}], \"extra\": " + extra + "}");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"generationConfig\": {\"maxOutputTokens\": 60000}}",
      "{\"generationConfig\": {\"max_output_tokens\": 60000}}",
      "{\"generationConfig\": {\"candidateCount\": 8}}",
      "{\"generationConfig\": {\"candidate_count\": 8}}",
      "{\"generation_config\": {\"maxOutputTokens\": 60000}}",
      "{\"generation_config\": {\"candidate_count\": 8}}"})
  void extraCannotRaiseTheOutputLimitOrTheCandidatesGeminiIsAskedFor(String extra) {
    Res r = ask(extra);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(r.json().get("error").get("message").asText()).contains("the gateway decides it");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void otherGenerationSettingsInSnakeCaseJoinTheOneGenerationConfigThatCarriesTheCappedLimit() {
    e2e.up().script(GENERATE, GeminiBehaviors.text("gemini-2.5-flash", "Hi", 4, 1));
    Res r = ask("{\"generation_config\": {\"temperature\": 0.5}}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.has("generation_config")).isFalse();
    assertThat(sent.get("generationConfig")).isEqualTo(Json.parseOrNull(
        "{\"maxOutputTokens\": 100, \"temperature\": 0.5}".getBytes()));
  }
}
