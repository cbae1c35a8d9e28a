package io.reliapi.server.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.EmbeddingBehaviors;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.TestHttp.Res;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/embeddings} end to end against mock OpenAI, Mistral and Gemini endpoints: the wire each provider
 * gets, float and base64 answers, the input's cost, caps, cache, idempotency, retries and fallback.
 * text-embedding-3-small costs $0.02 per 1M input tokens; mistral-embed $0.10.
 */
class EmbeddingsEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        openai:
          base_url: "%1$s/v1"
          auth: {type: bearer_env, env_var: OPENAI_KEY}
          llm: {provider: openai, default_model: text-embedding-3-small}
          retry_matrix: {"5xx": {attempts: 2, backoff: constant, base_s: 0.01}}
          circuit: {enabled: false}
          fallback_targets: [claude, mistral]
        cached:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: text-embedding-3-small}
          cache: {ttl_s: 60}
        capped:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: text-embedding-3-large, hard_cost_cap_usd: 0.0000001}
        budgeted:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: text-embedding-3-small, budget: {daily_usd: 0.0000002}}
        claude:
          base_url: "%1$s/anthropic"
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
        mistral:
          base_url: "%1$s/mistral/v1"
          llm: {provider: mistral, default_model: mistral-embed}
        gemini:
          base_url: "%1$s/v1beta"
          auth: {type: bearer_env, env_var: GEMINI_KEY}
          llm: {provider: gemini, default_model: gemini-embedding-001,
                prices: {gemini-embedding-001: {input_per_1m: 0.15, output_per_1m: 0}}}
      """.formatted(up.baseUrl())).env("OPENAI_KEY", "sk-openai").env("GEMINI_KEY", "g-key"));

  static Res embed(String body, String... headers) {
    return e2e.gw().http.post("/v1/embeddings", body, headers);
  }

  @Test
  void answersFloatVectorsInOpenAisShapeAndPricesTheInputTokens() {
    e2e.up().script("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 4, 12));
    Res r = embed("{\"model\": \"openai/text-embedding-3-small\", \"input\": [\"Hello world\", \"Bonjour\"], "
        + "\"dimensions\": 4, \"user\": \"u-42\"}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(e2e.up().last().header("Authorization")).isEqualTo("Bearer sk-openai");
    assertThat(sent.get("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(sent.get("input").toString()).isEqualTo("[\"Hello world\",\"Bonjour\"]");
    assertThat(sent.get("dimensions").asInt()).isEqualTo(4);
    assertThat(sent.get("encoding_format").asText()).isEqualTo("float");
    assertThat(sent.get("user").asText()).isEqualTo("u-42");
    JsonNode answer = r.json();
    assertThat(answer.get("object").asText()).isEqualTo("list");
    assertThat(answer.get("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(answer.get("data")).hasSize(2);
    assertThat(answer.get("data").get(1).get("index").asInt()).isEqualTo(1);
    assertThat(answer.get("data").get(1).get("object").asText()).isEqualTo("embedding");
    assertThat(answer.get("data").get(1).get("embedding").toString()).isEqualTo("[1.0,0.875,0.75,0.625]");
    assertThat(answer.get("usage").get("prompt_tokens").asInt()).isEqualTo(12);
    assertThat(answer.get("usage").get("total_tokens").asInt()).isEqualTo(12);
    // 12 × 0.02 / 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00000024");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("openai");
    assertThat(r.header("x-ratelimit-remaining-requests")).isEqualTo("4999");
    assertThat(r.header("openai-organization")).isNull();
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_llm_tokens_total", "target", "openai", "model", "text-embedding-3-small",
        "type", "prompt")).isGreaterThanOrEqualTo(12);
  }

  @Test
  void answersBase64OfLittleEndianFloat32WhenAsked() {
    e2e.up().script("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 3, 2));
    Res r = embed("{\"model\": \"openai/text-embedding-3-small\", \"input\": \"Hello\", "
        + "\"encoding_format\": \"base64\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("encoding_format").asText()).isEqualTo("float");
    String encoded = r.json().get("data").get(0).get("embedding").asText();
    var floats = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    assertThat(floats.remaining()).isEqualTo(3);
    assertThat(floats.get(0)).isEqualTo(EmbeddingBehaviors.value(0, 0));
    assertThat(floats.get(1)).isEqualTo(EmbeddingBehaviors.value(0, 1));
    assertThat(floats.get(2)).isEqualTo(EmbeddingBehaviors.value(0, 2));
  }

  @Test
  void cachesOnTheExactInputAndServesEitherEncodingFromOneEntry() {
    e2e.up().script("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 2, 5));
    String request = "{\"model\": \"cached/text-embedding-3-small\", \"input\": [\"same words\"]%s}";
    Res first = embed(request.formatted(""));
    Res again = embed(request.formatted(", \"encoding_format\": \"base64\""));
    e2e.up().script("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 2, 5));
    Res other = embed("{\"model\": \"cached/text-embedding-3-small\", \"input\": [\"other words\"]}");

    assertThat(first.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(again.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(again.json().get("data").get(0).get("embedding").isTextual()).isTrue();
    assertThat(other.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(e2e.up().count("/v1/embeddings")).isEqualTo(2);
  }

  @Test
  void theHardCapRefusesAnInputTooCostlyBeforeAnythingIsSent() {
    // "Hello world" is 2 tokens: 2 × 0.13 / 1M = 0.00000026 > the cap of 0.0000001
    Res r = embed("{\"model\": \"capped/text-embedding-3-large\", \"input\": \"Hello world\"}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(r.json().get("error").get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void aPeriodBudgetReservesTheInputsEstimateAndIsChargedWhatTheProviderBilled() {
    // The estimate of "Hello world" is 2 tokens (0.00000004); the provider bills 12 (0.00000024), over the budget.
    e2e.up().script("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 2, 12));
    Res first = embed("{\"model\": \"budgeted/text-embedding-3-small\", \"input\": \"Hello world\"}");
    Res second = embed("{\"model\": \"budgeted/text-embedding-3-small\", \"input\": \"Hello world\"}");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00000024");
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(second.header("Retry-After")).isNotNull();
    assertThat(e2e.up().count("/v1/embeddings")).isEqualTo(1);
  }

  @Test
  void anIdempotencyKeyReplaysTheFirstAnswer() {
    e2e.up().script("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 2, 3));
    String body = "{\"model\": \"openai/text-embedding-3-small\", \"input\": \"Hello\"}";
    Res first = embed(body, "Idempotency-Key", "emb-1");
    Res replay = embed(body, "Idempotency-Key", "emb-1");

    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.json().get("data")).isEqualTo(first.json().get("data"));
    assertThat(e2e.up().count("/v1/embeddings")).isEqualTo(1);
  }

  @Test
  void retriesAProviderErrorThenFallsBackPastATargetThatCannotEmbed() {
    e2e.up().script("POST /v1/embeddings", Behavior.json(503, "{\"error\":{\"type\":\"server_error\"}}"),
        Behavior.json(503, "{\"error\":{\"type\":\"server_error\"}}"));
    e2e.up().script("POST /mistral/v1/embeddings", EmbeddingBehaviors.mistral("mistral-embed", 2, 7));
    Res r = embed("{\"model\": \"text-embedding-3-small\", \"input\": [\"Hello\"], \"dimensions\": 2, "
        + "\"user\": \"u-1\"}", "X-ReliAPI-Target", "openai");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("mistral");
    assertThat(r.header("X-Retries")).isEqualTo("1");
    assertThat(e2e.up().count("/v1/embeddings")).isEqualTo(2);
    assertThat(e2e.up().count("/anthropic/messages")).isZero();
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("model").asText()).isEqualTo("mistral-embed");
    assertThat(sent.get("output_dimension").asInt()).isEqualTo(2);
    assertThat(sent.has("dimensions")).isFalse();
    assertThat(sent.has("user")).isFalse();
    assertThat(r.json().get("model").asText()).isEqualTo("mistral-embed");
    // 7 × 0.10 / 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.0000007");
  }

  @Test
  void refusesATargetWithoutEmbeddingsInOpenAisErrorShape() {
    Res r = embed("{\"model\": \"claude/claude-haiku-4-5\", \"input\": \"Hello\"}");

    assertThat(r.status()).isEqualTo(400);
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("INVALID_TARGET");
    assertThat(error.get("message").asText()).contains("anthropic").contains("no embeddings endpoint");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void sendsGeminiOneTextByEmbedContentAndSeveralByBatchAndCountsTheInputItself() {
    e2e.up().script("POST /v1beta/models/gemini-embedding-001:embedContent", EmbeddingBehaviors.gemini(3));
    e2e.up().script("POST /v1beta/models/gemini-embedding-001:batchEmbedContents", EmbeddingBehaviors.gemini(3));
    Res one = embed("{\"model\": \"gemini/gemini-embedding-001\", \"input\": \"Hello world\", \"dimensions\": 3}");
    JsonNode oneSent = Json.parseOrNull(e2e.up().last().body().getBytes());
    String key = e2e.up().last().header("x-goog-api-key");
    Res two = embed("{\"model\": \"gemini/gemini-embedding-001\", \"input\": [\"Hello world\", \"Bonjour\"]}");
    JsonNode twoSent = Json.parseOrNull(e2e.up().last().body().getBytes());

    assertThat(one.status()).isEqualTo(200);
    assertThat(key).isEqualTo("g-key");
    assertThat(e2e.up().requests().get(0).header("Authorization")).isNull();
    assertThat(oneSent.toString())
        .isEqualTo("{\"content\":{\"parts\":[{\"text\":\"Hello world\"}]},\"outputDimensionality\":3}");
    assertThat(one.json().get("data").get(0).get("embedding").toString()).isEqualTo("[0.5,0.375,0.25]");
    assertThat(one.json().get("model").asText()).isEqualTo("gemini-embedding-001");
    // Gemini reports no usage: "Hello world" counts 2 tokens, × 0.15 / 1M
    assertThat(one.json().get("usage").get("prompt_tokens").asInt()).isEqualTo(2);
    assertThat(one.header("X-ReliAPI-Cost-USD")).isEqualTo("0.0000003");
    assertThat(two.status()).isEqualTo(200);
    assertThat(twoSent.get("requests")).hasSize(2);
    assertThat(twoSent.get("requests").get(1).toString())
        .isEqualTo("{\"content\":{\"parts\":[{\"text\":\"Bonjour\"}]},\"model\":\"models/gemini-embedding-001\"}");
    assertThat(two.json().get("data")).hasSize(2);
    assertThat(two.json().get("data").get(1).get("embedding").toString()).isEqualTo("[1.0,0.875,0.75]");
  }

  @Test
  void passesTokenArraysToOpenAiProtocolTargetsAndRefusesThemElsewhere() {
    e2e.up().script("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 2, 5));
    Res openAi = embed("{\"model\": \"openai/text-embedding-3-small\", \"input\": [[9906, 1917], [40, 1097, 1618]]}");
    Res gemini = embed("{\"model\": \"gemini/gemini-embedding-001\", \"input\": [9906, 1917]}");

    assertThat(openAi.status()).isEqualTo(200);
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("input").toString())
        .isEqualTo("[[9906,1917],[40,1097,1618]]");
    assertThat(openAi.json().get("data")).hasSize(2);
    assertThat(gemini.status()).isEqualTo(400);
    assertThat(gemini.json().get("error").get("message").asText()).contains("texts only");
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  @Test
  void passesTheProvidersErrorStatusOnInOpenAisShape() {
    e2e.up().script("POST /v1/embeddings", Behavior.json(400, "{\"error\":{\"message\":\"This model's maximum context "
        + "length is 8192 tokens\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
    Res r = embed("{\"model\": \"openai/text-embedding-3-small\", \"input\": \"Hello\"}");

    assertThat(r.status()).isEqualTo(400);
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(error.get("message").asText()).contains("400").contains("invalid_request_error")
        .doesNotContain("8192");
  }

  @Test
  void refusesMalformedRequests() {
    for (String body : new String[] {"{\"model\": \"openai/x\"}", "{\"model\": \"openai/x\", \"input\": []}",
        "{\"model\": \"openai/x\", \"input\": \"\"}", "{\"model\": \"openai/x\", \"input\": [1, \"a\"]}",
        "{\"model\": \"openai/x\", \"input\": \"a\", \"encoding_format\": \"int8\"}",
        "{\"model\": \"openai/x\", \"input\": \"a\", \"dimensions\": 0}", "[]"}) {
      Res r = embed(body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().get("error").get("code").asText()).as(body).isEqualTo("INVALID_REQUEST");
    }
    assertThat(e2e.up().total()).isZero();
  }
}
