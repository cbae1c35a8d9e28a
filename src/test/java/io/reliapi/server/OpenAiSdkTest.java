package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official OpenAI Java SDK as a client of the gateway's {@code /v1}: only its base URL changes. */
class OpenAiSdkTest {
  static OpenAIClient sdk;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: app, key_env: APP_KEY}
      targets:
        openai:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
          # The SDK does the retrying in these tests; the gateway passes a 429 straight back.
          retry_matrix: {"429": {attempts: 1}}
          idempotency: {forward_header: Idempotency-Key}
        claude:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 512, hard_cost_cap_usd: 0.001}
      """.formatted(up.baseUrl())).env("APP_KEY", "k-app"));

  @BeforeAll
  static void start() {
    sdk = client("k-app", 2);
  }

  static OpenAIClient client(String key, int retries) {
    return OpenAIOkHttpClient.builder().baseUrl(e2e.gw().http.url("/v1")).apiKey(key).maxRetries(retries)
        .timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    sdk.close();
  }

  static ChatCompletionCreateParams.Builder ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello");
  }

  @Test
  void makesAPlainCall() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini-2024-07-18", "Hello!", 9, 3));
    ChatCompletion completion = sdk.chat().completions().create(ask("openai/gpt-4o-mini").build());

    completion.validate();
    assertThat(completion.choices().getFirst().message().content()).contains("Hello!");
    assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(12);
  }

  @Test
  void makesAPlainCallToAnAnthropicTargetThroughTheTranslation() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5-20251001", "Bonjour", 12, 6));
    ChatCompletion completion = sdk.chat().completions().create(ask("claude/claude-haiku-4-5").maxTokens(100).build());

    completion.validate();
    assertThat(completion.choices().getFirst().message().content()).contains("Bonjour");
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.model()).isEqualTo("claude-haiku-4-5-20251001");
  }

  @Test
  void streams() {
    e2e.up().script("POST /v1/chat/completions",
        LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo", "!"), 9, 3), 2));
    StringBuilder text = new StringBuilder();
    long usage = 0;
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(ask("openai/gpt-4o-mini")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      for (ChatCompletionChunk chunk : stream.stream().toList()) {
        chunk.validate();
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
        if (chunk.usage().isPresent()) {
          usage = chunk.usage().get().totalTokens();
        }
      }
    }
    assertThat(text.toString()).isEqualTo("Hello!");
    assertThat(usage).isEqualTo(12);
  }

  @Test
  void streamsFromAnAnthropicTarget() {
    e2e.up().script("POST /v1/messages",
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Bon", "jour"), 25, 15), 2));
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions()
        .createStreaming(ask("claude/claude-haiku-4-5").maxTokens(100).build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("Bonjour");
  }

  @Test
  void streamsAnAnthropicToolCallWithoutInputWithArgumentsThatParseAsJson() {
    // Anthropic streams a call of a tool without parameters as a tool_use block whose input arrives as one empty
    // input_json_delta: its arguments must still read as the JSON object {}, as OpenAI streams them.
    String start = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_t\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-haiku-4-5\",\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}";
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(List.of(
        "event: message_start\ndata: " + start + "\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_T\",\"name\":\"get_time\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":12}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), 1));
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions()
        .createStreaming(ask("claude/claude-haiku-4-5").maxTokens(100).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion completion = accumulator.chatCompletion();

    var call = completion.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(call.function().name()).isEqualTo("get_time");
    assertThat(call.function().arguments()).isEqualTo("{}");
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
  }

  @Test
  void sendsAnAnthropicTargetATemperatureItAccepts() {
    // OpenAI's temperature goes to 2, Anthropic's to 1: above it Anthropic refuses the request with a 400, which
    // is final (no retry, no fallback), though the client asked for something Anthropic can do: its most random.
    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Wild", 12, 6));
    ChatCompletion completion = sdk.chat().completions().create(ask("claude/claude-haiku-4-5").maxTokens(100)
        .temperature(1.6).build());

    assertThat(completion.choices().getFirst().message().content()).contains("Wild");
    assertThat(io.reliapi.http.Json.parseOrNull(e2e.up().last().body().getBytes()).get("temperature").asDouble())
        .isEqualTo(1.0);
  }

  @Test
  void listsTheModelsAndRetrievesOneByItsId() {
    assertThat(sdk.models().list().data()).extracting(com.openai.models.models.Model::id)
        .containsExactly("claude/claude-haiku-4-5", "openai/gpt-4o-mini");
    com.openai.models.models.Model one = sdk.models().retrieve("openai/gpt-4o-mini");
    assertThat(one.id()).isEqualTo("openai/gpt-4o-mini");
    assertThat(one.ownedBy()).isEqualTo("openai");
    assertThatThrownBy(() -> sdk.models().retrieve("openai/no-such-model")).isInstanceOf(NotFoundException.class);
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void raisesTheSdksUsualExceptionsForTheGatewaysErrors() {
    // 8 × 1 / 1M + 512 × 5 / 1M = 0.002568 > the hard cap of 0.001
    assertThatThrownBy(() -> sdk.chat().completions().create(ask("claude/claude-haiku-4-5").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.body().toString()).contains("BUDGET_EXCEEDED");
          // The rest of the gateway's error object rides along; the SDK keeps what it does not model.
          assertThat(e.body().toString()).contains("details").contains("estimate").contains("cap")
              .contains("claude-haiku-4-5");
        });
    assertThatThrownBy(() -> sdk.chat().completions().create(ask("gpt-4o-mini")
        .putAdditionalHeader("X-ReliAPI-Target", "nope").build()))
        .isInstanceOf(NotFoundException.class);
    OpenAIClient stranger = client("wrong-key", 0);
    assertThatThrownBy(() -> stranger.chat().completions().create(ask("openai/gpt-4o-mini").build()))
        .isInstanceOf(UnauthorizedException.class);
    stranger.close();
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAiRateLimited());
    OpenAIClient noRetries = client("k-app", 0);
    assertThatThrownBy(() -> noRetries.chat().completions().create(ask("openai/gpt-4o-mini").build()))
        .isInstanceOf(RateLimitException.class);
    noRetries.close();
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  @Test
  void retriesWithTheSameIdempotencyKeyAfterARateLimit() {
    Map<String, String> limited = LlmBehaviors.openAiHeaders();
    limited.put("retry-after-ms", "10");
    e2e.up().script("POST /v1/chat/completions",
        Behavior.respond(429, limited, "{\"error\": {\"message\": \"slow down\", \"type\": \"requests\", "
            + "\"param\": null, \"code\": \"rate_limit_exceeded\"}}"),
        LlmBehaviors.openAi("gpt-4o-mini", "Summary", 9, 3));
    ChatCompletion completion = sdk.chat().completions().create(ask("openai/gpt-4o-mini")
        .putAdditionalHeader("Idempotency-Key", "order-42-summary").build());

    assertThat(completion.choices().getFirst().message().content()).contains("Summary");
    // The SDK's retry reached the gateway with the same key; the gateway carried it to the provider both times.
    assertThat(e2e.up().countKey("order-42-summary")).isEqualTo(2);
    assertThat(e2e.up().requests()).extracting(r -> r.header("Idempotency-Key")).containsOnly("order-42-summary");
  }

  @Test
  void replaysAnIdempotentCompletionWithoutASecondProviderCall() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Once only", 9, 3));
    var params = ask("openai/gpt-4o-mini").putAdditionalHeader("Idempotency-Key", "invoice-7-summary").build();
    ChatCompletion first = sdk.chat().completions().create(params);
    ChatCompletion second = sdk.chat().completions().create(params);

    assertThat(second.choices().getFirst().message().content()).contains("Once only");
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(e2e.up().total()).as("the provider saw one call").isEqualTo(1);
  }

  @Test
  void seesABrokenStreamAsAnErrorNeverAsAFinishedAnswer() {
    var events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 3);
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(events.subList(0, 3), 2));
    StringBuilder text = new StringBuilder();
    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions()
          .createStreaming(ask("openai/gpt-4o-mini").build())) {
        stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
      }
    }).isInstanceOf(com.openai.errors.OpenAIException.class);
    assertThat(text.toString()).isEqualTo("Hello");
  }
}
