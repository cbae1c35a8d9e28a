package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.EmbeddingBehaviors;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client guarantees (key, target allowlist, {@code rate_limit}) and the breaker on the newer LLM routes,
 * {@code /v1/embeddings}, {@code /v1/messages} and {@code /v1/responses}, end to end. The clock is manual (the
 * breaker's cooldown never passes by itself); each test starts with a full bucket.
 */
class LlmRouteGuaranteesEndToEndTest {
  static final String EMBED = "{\"model\": \"%s/text-embedding-3-small\", \"input\": \"Hello\"}";
  static final ManualClock clock = new ManualClock();

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: app, key_env: APP_KEY}
        - {name: limited, key_env: LIMITED_KEY, rate_limit: {rps: 1, burst: 2}}
        - {name: narrow, key_env: NARROW_KEY, targets: [other]}
      targets:
        openai:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
          %2$s
        responses:
          base_url: "%1$s/responses/v1"
          llm: {provider: openai, default_model: gpt-4.1-mini, responses_api: true}
          %2$s
        fragile:
          base_url: "%1$s/fragile/v1"
          llm: {provider: openai, default_model: text-embedding-3-small}
          %2$s
          circuit: {error_threshold: 2, cooldown_s: 600}
        other:
          base_url: "%1$s/other/v1"
          llm: {provider: openai, default_model: text-embedding-3-small}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("APP_KEY", "k-app").env("LIMITED_KEY", "k-limited")
      .env("NARROW_KEY", "k-narrow").clock(clock, ManualScheduler.manual(clock)));

  @BeforeEach
  void refill() {
    clock.advance(Duration.ofMinutes(1));
  }

  static Res embed(String target, String... headers) {
    return e2e.gw().http.post("/v1/embeddings", EMBED.formatted(target), headers);
  }

  static Res message(String key) {
    return e2e.gw().http.post("/v1/messages", "{\"model\": \"openai/gpt-4o-mini\", \"max_tokens\": 50, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}", "x-api-key", key);
  }

  static Res response(String key) {
    return e2e.gw().http.post("/v1/responses", "{\"model\": \"responses/gpt-4.1-mini\", \"input\": \"Hello\"}",
        "Authorization", "Bearer " + key);
  }

  @Test
  void embeddingsWithoutAKeyOrWithAWrongOneAre401InOpenAisShape() {
    for (Res r : new Res[] {embed("openai"), embed("openai", "Authorization", "Bearer k-wrong"),
        embed("openai", "X-API-Key", "k-wrong")}) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
      assertThat(r.json().get("error").get("type").asText()).isEqualTo("authentication_error");
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void embeddingsOnATargetTheClientMayNotUseAre403WithNoUpstreamCall() {
    e2e.up().otherwise("POST /other/v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 4, 1));
    for (String target : new String[] {"openai", "fragile"}) {
      Res r = embed(target, "Authorization", "Bearer k-narrow");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
      assertThat(r.json().get("error").get("type").asText()).isEqualTo("permission_error");
    }
    Res named = e2e.gw().http.post("/v1/embeddings", "{\"model\": \"text-embedding-3-small\", \"input\": \"Hello\"}",
        "Authorization", "Bearer k-narrow", "X-ReliAPI-Target", "openai");
    assertThat(named.status()).isEqualTo(403);
    assertThat(e2e.up().total()).isZero();

    assertThat(embed("other", "Authorization", "Bearer k-narrow").status()).isEqualTo(200);
  }

  @Test
  void theBreakerOpensOnEmbeddingsAfterUpstreamFailuresThenRefusesWithoutAnUpstreamCall() {
    e2e.up().otherwise("POST /fragile/v1/embeddings", Behavior.status(500));
    assertThat(embed("fragile", "X-API-Key", "k-app").status()).isEqualTo(500);
    assertThat(embed("fragile", "X-API-Key", "k-app").status()).isEqualTo(500);

    Res refused = embed("fragile", "X-API-Key", "k-app");
    assertThat(refused.status()).isEqualTo(503);
    JsonNode error = refused.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(refused.header("Retry-After")).isEqualTo("600");
    assertThat(e2e.up().count("/fragile/v1/embeddings")).isEqualTo(2);

    e2e.up().otherwise("POST /fragile/v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 4, 1));
    assertThat(embed("fragile", "X-API-Key", "k-app").status()).as("open until its cooldown").isEqualTo(503);
    assertThat(e2e.up().count("/fragile/v1/embeddings")).isEqualTo(2);
  }

  @Test
  void aClientsRateLimitHoldsOnEmbeddings() {
    e2e.up().otherwise("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 4, 1));
    assertLimited(() -> embed("openai", "Authorization", "Bearer k-limited"), "/v1/embeddings");
    assertThat(embed("openai", "Authorization", "Bearer k-limited").json().get("error").get("type").asText())
        .isEqualTo("rate_limit_error");
  }

  @Test
  void aClientsRateLimitHoldsOnMessages() {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 3));
    assertLimited(() -> message("k-limited"), "/v1/chat/completions");
    JsonNode refused = message("k-limited").json();
    assertThat(refused.get("type").asText()).isEqualTo("error");
    assertThat(refused.get("error").get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(refused.get("error").get("details").get("error_code").asText()).isEqualTo("RATE_LIMITED");
  }

  @Test
  void aClientsRateLimitHoldsOnResponses() {
    e2e.up().otherwise("POST /responses/v1/responses", ResponsesBehaviors.answer("gpt-4.1-mini", "Hi!", 8, 3));
    assertLimited(() -> response("k-limited"), "/responses/v1/responses");
    assertThat(response("k-limited").json().get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
  }

  /** Two calls of {@code call} pass, the third is 429 with {@code Retry-After}; the upstream saw two. */
  private static void assertLimited(Supplier<Res> call, String upstreamPath) {
    assertThat(call.get().status()).isEqualTo(200);
    assertThat(call.get().status()).isEqualTo(200);
    Res refused = call.get();
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(e2e.up().count(upstreamPath)).isEqualTo(2);
  }
}
