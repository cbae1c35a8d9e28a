package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.EmbeddingBehaviors;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.SseEvents.Event;
import io.reliapi.testing.TestHttp.Res;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAI-protocol presets of {@code docs/providers.md}, each configured as the page writes it (only the host
 * is the mock) against a mock that refuses what the real server refuses: the path, the query and the credential
 * header it requires, and the body fields it reads or rejects.
 */
class ProviderPresetsEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        azure:
          base_url: "%1$s/openai/deployments/gpt-4o-mini"
          auth: {type: header_env, header: api-key, env_var: AZURE_OPENAI_API_KEY}
          llm:
            provider: openai
            default_model: gpt-4o-mini
            query: {api-version: "2024-10-21"}
            max_tokens_field: max_tokens
        azure-embed:
          base_url: "%1$s/openai/deployments/text-embedding-3-small"
          auth: {type: header_env, header: api-key, env_var: AZURE_OPENAI_API_KEY}
          llm: {provider: openai, default_model: text-embedding-3-small, query: {api-version: "2024-10-21"}}
        azure-v1:
          base_url: "%1$s/openai/v1"
          auth: {type: header_env, header: api-key, env_var: AZURE_OPENAI_API_KEY}
          llm: {provider: openai, default_model: my-gpt-4o-deployment}
        ollama:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: llama3.2, max_tokens: 512, max_tokens_field: max_tokens}
        vllm:
          base_url: "%1$s/vllm/v1"
          auth: {type: bearer_env, env_var: VLLM_API_KEY}
          llm: {provider: openai, default_model: meta-llama/Llama-3.1-8B-Instruct}
        groq:
          base_url: "%1$s/openai/v1"
          auth: {type: bearer_env, env_var: GROQ_API_KEY}
          llm: {provider: openai, default_model: llama-3.3-70b-versatile}
        openrouter:
          base_url: "%1$s/api/v1"
          auth: {type: bearer_env, env_var: OPENROUTER_API_KEY}
          llm: {provider: openai, default_model: anthropic/claude-sonnet-4.5}
          retry_matrix: {"429": {attempts: 1}}
      """.formatted(up.baseUrl()))
      .env("AZURE_OPENAI_API_KEY", "azure-key").env("VLLM_API_KEY", "vllm-key").env("GROQ_API_KEY", "gsk_key")
      .env("OPENROUTER_API_KEY", "sk-or-v1-key"));

  /**
   * A server that answers {@code ok} only when {@code refusal} finds nothing wrong with the request, else the
   * error the real server gives.
   */
  static Behavior server(Function<MockUpstream.Recorded, Behavior> refusal, Behavior ok) {
    return call -> {
      Behavior refused = refusal.apply(call.recorded());
      (refused != null ? refused : ok).respond(call);
    };
  }

  static Behavior azure(String deployment, String endpoint, Behavior ok) {
    return server(r -> {
      if (!r.path().equals("/openai/deployments/" + deployment + endpoint)) {
        return Behavior.json(404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
      }
      if (!"api-version=2024-10-21".equals(query(r))) {
        return Behavior.json(404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
      }
      if (!"azure-key".equals(r.header("api-key")) || r.header("Authorization") != null) {
        return Behavior.json(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid "
            + "subscription key or wrong API endpoint.\"}}");
      }
      // GA 2024-10-21 refuses max_completion_tokens for non-reasoning deployments.
      if (body(r).has("max_completion_tokens")) {
        return Behavior.json(400, "{\"error\":{\"message\":\"Unsupported parameter: 'max_completion_tokens'\","
            + "\"type\":\"invalid_request_error\",\"param\":\"max_completion_tokens\",\"code\":\"unsupported_parameter\"}}");
      }
      return null;
    }, ok);
  }

  static Behavior bearer(String path, String key, Behavior ok) {
    return server(r -> {
      if (!r.path().equals(path)) {
        return Behavior.json(404, "{\"error\":{\"message\":\"Unknown request URL\",\"type\":\"invalid_request_error\"}}");
      }
      if (!("Bearer " + key).equals(r.header("Authorization"))) {
        return Behavior.json(401, "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\","
            + "\"code\":\"invalid_api_key\"}}");
      }
      return null;
    }, ok);
  }

  static String query(MockUpstream.Recorded r) {
    int q = r.uri().indexOf('?');
    return q < 0 ? null : r.uri().substring(q + 1);
  }

  static JsonNode body(MockUpstream.Recorded r) {
    JsonNode node = Json.parseOrNull(r.body().getBytes());
    return node == null ? Json.MAPPER.createObjectNode() : node;
  }

  static String chat(String model, String extra) {
    return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]" + extra + "}";
  }

  static String text(List<Event> events) {
    StringBuilder out = new StringBuilder();
    events.stream().filter(e -> !e.data().equals("[DONE]"))
        .forEach(e -> e.json().path("choices").forEach(c -> out.append(c.path("delta").path("content").asText(""))));
    return out.toString();
  }

  @Test
  void azureLegacyGetsTheDeploymentInThePathApiVersionInTheQueryAndTheKeyInApiKey() {
    e2e.up().otherwise("* *", azure("gpt-4o-mini", "/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 1)));
    Res r = e2e.gw().http.post("/v1/chat/completions", chat("azure/gpt-4o-mini", ", \"max_completion_tokens\": 50"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hi");
    assertThat(e2e.up().last().uri()).isEqualTo("/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21");
    assertThat(body(e2e.up().last()).get("max_tokens").asInt()).isEqualTo(50);
  }

  @Test
  void azureLegacyStreamsPastItsPromptFilterChunk() {
    List<String> events = new ArrayList<>(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 8, 2));
    events.addFirst("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
        + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,"
        + "\"severity\":\"safe\"}}}]}\n\n");
    e2e.up().otherwise("* *", azure("gpt-4o-mini", "/chat/completions", LlmBehaviors.sse(events, 1)));
    List<Event> out = SseEvents.parse(e2e.gw().http.post("/v1/chat/completions", chat("azure/gpt-4o-mini",
        ", \"stream\": true")).body());

    assertThat(text(out)).isEqualTo("Hello");
    assertThat(out.getLast().data()).isEqualTo("[DONE]");
    assertThat(e2e.up().last().uri()).isEqualTo("/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21");
  }

  @Test
  void azureLegacyEmbedsThroughItsEmbeddingDeployment() {
    e2e.up().otherwise("* *", azure("text-embedding-3-small", "/embeddings",
        EmbeddingBehaviors.openAi("text-embedding-3-small", 2, 3)));
    Res r = e2e.gw().http.post("/v1/embeddings", "{\"model\": \"azure-embed/text-embedding-3-small\", \"input\": \"Hi\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("data").get(0).get("embedding")).hasSize(2);
    assertThat(e2e.up().last().uri()).isEqualTo("/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21");
  }

  @Test
  void azureV1TakesTheDeploymentAsTheModelAndNoApiVersion() {
    e2e.up().otherwise("* *", server(r -> !r.uri().equals("/openai/v1/chat/completions") || !"azure-key".equals(r.header("api-key"))
        ? Behavior.json(404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}")
        : !body(r).path("model").asText().equals("my-gpt-4o-deployment")
        ? Behavior.json(404, "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this "
            + "resource does not exist.\"}}") : null, LlmBehaviors.openAi("gpt-4o-2024-08-06", "Hi", 8, 1)));
    Res r = e2e.gw().http.post("/v1/chat/completions", chat("azure-v1/my-gpt-4o-deployment", ""));

    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void ollamaIsSentMaxTokensSoTheCapHoldsAndEmbedsWithoutAKey() {
    // Ollama reads only max_tokens: a max_completion_tokens would be dropped silently and nothing would cap the answer.
    e2e.up().otherwise("POST /v1/chat/completions", server(r -> r.header("Authorization") != null
        ? Behavior.json(400, "{\"error\":{\"message\":\"unexpected credential\"}}")
        : !body(r).has("max_tokens") ? Behavior.json(500, "{\"error\":{\"message\":\"test: no cap sent\"}}") : null,
        LlmBehaviors.openAi("llama3.2", "Hi", 8, 1)));
    e2e.up().otherwise("POST /v1/embeddings", EmbeddingBehaviors.openAi("nomic-embed-text", 3, 2));
    Res chat = e2e.gw().http.post("/v1/chat/completions", chat("ollama/llama3.2", ", \"max_completion_tokens\": 4096"));
    Res embed = e2e.gw().http.post("/v1/embeddings", "{\"model\": \"ollama/nomic-embed-text\", \"input\": [\"a\", \"b\"]}");

    assertThat(chat.status()).isEqualTo(200);
    JsonNode sent = body(e2e.up().requests().getFirst());
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(512);
    assertThat(sent.has("max_completion_tokens")).isFalse();
    assertThat(embed.status()).isEqualTo(200);
    assertThat(embed.json().get("data")).hasSize(2);
  }

  @Test
  void vllmGetsItsApiKeyAndTheModelWithItsOrganisationPrefix() {
    e2e.up().otherwise("* *", bearer("/vllm/v1/chat/completions", "vllm-key",
        LlmBehaviors.openAi("meta-llama/Llama-3.1-8B-Instruct", "Hi", 8, 1)));
    Res r = e2e.gw().http.post("/v1/chat/completions", chat("vllm/meta-llama/Llama-3.1-8B-Instruct", ""));

    assertThat(r.status()).isEqualTo(200);
    assertThat(body(e2e.up().last()).get("model").asText()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
  }

  @Test
  void vllmsFlatErrorBodyIsReadForItsType() {
    e2e.up().otherwise("* *", bearer("/vllm/v1/chat/completions", "vllm-key", Behavior.json(400, "{\"object\":\"error\","
        + "\"message\":\"This model's maximum context length is 16384 tokens.\",\"type\":\"BadRequestError\","
        + "\"param\":null,\"code\":400}")));
    Res r = e2e.gw().http.post("/proxy/llm", "{\"target\": \"vllm\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("details").get("provider_error").get("type").asText())
        .isEqualTo("BadRequestError");
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  @Test
  void groqStreamsWithItsUsageUnderItsOpenAiPath() {
    List<String> events = LlmBehaviors.openAiStreamEvents("llama-3.3-70b-versatile", List.of("Hel", "lo"), 8, 2);
    e2e.up().otherwise("* *", bearer("/openai/v1/chat/completions", "gsk_key", LlmBehaviors.sse(events, 1)));
    Res r = e2e.gw().http.post("/v1/chat/completions", chat("groq/llama-3.3-70b-versatile",
        ", \"stream\": true, \"stream_options\": {\"include_usage\": true}"));

    List<Event> out = SseEvents.parse(r.body());
    assertThat(text(out)).isEqualTo("Hello");
    assertThat(out.get(out.size() - 2).json().get("usage").get("total_tokens").asInt()).isEqualTo(10);
    assertThat(body(e2e.up().last()).get("stream_options").get("include_usage").asBoolean()).isTrue();
  }

  @Test
  void openRouterKeepsItsVendorModelIdSkipsItsKeepAliveCommentsAndReadsItsNumericErrorCode() {
    List<String> events = new ArrayList<>(LlmBehaviors.openAiStreamEvents("anthropic/claude-sonnet-4.5",
        List.of("Hel", "lo"), 8, 2));
    events.addFirst(": OPENROUTER PROCESSING\n\n");
    events.add(2, ": OPENROUTER PROCESSING\n\n");
    e2e.up().script("POST /api/v1/chat/completions", bearer("/api/v1/chat/completions", "sk-or-v1-key",
        LlmBehaviors.sse(events, 1)));
    List<Event> out = SseEvents.parse(e2e.gw().http.post("/v1/chat/completions", chat("anthropic/claude-sonnet-4.5",
        ", \"stream\": true"), "X-ReliAPI-Target", "openrouter").body());

    assertThat(text(out)).isEqualTo("Hello");
    assertThat(out.getLast().data()).isEqualTo("[DONE]");
    assertThat(body(e2e.up().last()).get("model").asText()).isEqualTo("anthropic/claude-sonnet-4.5");

    e2e.up().script("POST /api/v1/chat/completions", Behavior.respond(429, Map.of("Content-Type", "application/json",
        "Retry-After", "3"), "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded: free-models-per-day\"}}"));
    Res limited = e2e.gw().http.post("/proxy/llm", "{\"target\": \"openrouter\", "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("error").get("details").get("provider_error").get("code").asText()).isEqualTo("429");
    assertThat(limited.json().get("error").get("retry_after_s").asInt()).isEqualTo(3);
  }
}
