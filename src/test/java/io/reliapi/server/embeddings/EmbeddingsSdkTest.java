package io.reliapi.server.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.reliapi.testing.EmbeddingBehaviors;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official OpenAI Java SDK's {@code embeddings().create} against the gateway: only its base URL changes. */
class EmbeddingsSdkTest {
  static OpenAIClient sdk;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: app, key_env: APP_KEY}
      targets:
        openai:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: text-embedding-3-small}
        claude:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
      """.formatted(up.baseUrl())).env("APP_KEY", "k-app"));

  @BeforeAll
  static void start() {
    sdk = OpenAIOkHttpClient.builder().baseUrl(e2e.gw().http.url("/v1")).apiKey("k-app").maxRetries(0)
        .timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    sdk.close();
  }

  @Test
  void readsTheBase64VectorsItAsksForByDefault() {
    e2e.up().script("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 4, 6));
    CreateEmbeddingResponse response = sdk.embeddings().create(EmbeddingCreateParams.builder()
        .model("openai/text-embedding-3-small").inputOfArrayOfStrings(List.of("Hello", "world")).build());

    response.validate();
    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(1).embeddingValue().isBase64()).isTrue();
    assertThat(response.data().get(1).embedding()).containsExactly(EmbeddingBehaviors.value(1, 0),
        EmbeddingBehaviors.value(1, 1), EmbeddingBehaviors.value(1, 2), EmbeddingBehaviors.value(1, 3));
    assertThat(response.usage().promptTokens()).isEqualTo(6);
    assertThat(response.model()).isEqualTo("text-embedding-3-small");
  }

  @Test
  void readsFloatVectorsWhenItAsksForThem() {
    e2e.up().script("POST /v1/embeddings", EmbeddingBehaviors.openAi("text-embedding-3-small", 3, 2));
    CreateEmbeddingResponse response = sdk.embeddings().create(EmbeddingCreateParams.builder()
        .model("openai/text-embedding-3-small").input("Hello").dimensions(3)
        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

    response.validate();
    assertThat(response.data().getFirst().embeddingValue().isFloats()).isTrue();
    assertThat(response.data().getFirst().embedding()).containsExactly(0.5f, 0.375f, 0.25f);
  }

  @Test
  void raisesTheSdksBadRequestForATargetWithoutEmbeddings() {
    assertThatThrownBy(() -> sdk.embeddings().create(EmbeddingCreateParams.builder()
        .model("claude/claude-haiku-4-5").input("Hello").build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.body().toString()).contains("INVALID_TARGET"));
  }
}
