package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official OpenAI Java SDK's streaming client reading replayed streams (issue 11 item 4, issue 13 item 6):
 * a cached or keyed stream read a second time adds up, in the SDK's own accumulator, to the same completion.
 */
class OpenAiSdkReplayTest {
  static final String CHAT = "POST /v1/chat/completions";
  static OpenAIClient sdk;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        cached:
          base_url: "%1$s/v1"
          cache: {ttl_s: 300}
          llm: {provider: openai, default_model: gpt-4o-mini}
        keyed:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl())));

  @BeforeAll
  static void start() {
    sdk = OpenAIOkHttpClient.builder().baseUrl(e2e.gw().http.url("/v1")).apiKey("unused").maxRetries(0)
        .timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    sdk.close();
  }

  static ChatCompletion streamed(ChatCompletionCreateParams params) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> {
        chunk.validate();
        accumulator.accumulate(chunk);
      });
    }
    return accumulator.chatCompletion();
  }

  static ChatCompletionCreateParams.Builder ask(String model, String question) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(question)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
  }

  @Test
  void readsACachedStreamReplayLikeTheLiveStream() {
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo", "!"), 9, 3), 1));
    ChatCompletion live = streamed(ask("cached/gpt-4o-mini", "Greet me").build());
    ChatCompletion replayed = streamed(ask("cached/gpt-4o-mini", "Greet me").build());

    assertThat(e2e.up().total()).isEqualTo(1);
    assertThat(replayed.choices().getFirst().message().content()).hasValue("Hello!")
        .isEqualTo(live.choices().getFirst().message().content());
    assertThat(replayed.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(replayed.usage().orElseThrow().totalTokens()).isEqualTo(12);
    assertThat(replayed.id()).isEqualTo(live.id());
  }

  @Test
  void readsAKeyedToolCallStreamReplayWithItsToolCalls() {
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiToolCallStreamEvents("gpt-4o-mini", "call_Q7", "get_weather",
        List.of("{\\\"city\\\":", "\\\"Oslo\\\"}"), 40, 12), 1));
    ChatCompletionCreateParams params = ask("keyed/gpt-4o-mini", "Weather?")
        .putAdditionalHeader("Idempotency-Key", "weather-oslo-1").build();
    ChatCompletion live = streamed(params);
    ChatCompletion replayed = streamed(params);

    assertThat(e2e.up().total()).isEqualTo(1);
    ChatCompletionMessageFunctionToolCall call = replayed.choices().getFirst().message().toolCalls().orElseThrow()
        .getFirst().asFunction();
    assertThat(call.id()).isEqualTo("call_Q7");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(replayed.choices().getFirst().message().toolCalls())
        .isEqualTo(live.choices().getFirst().message().toolCalls());
    assertThat(replayed.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
  }
}
