package io.reliapi.server.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.CustomTool;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseCustomToolCall;
import com.openai.models.responses.ResponseCustomToolCallOutput;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ResponsesBehaviors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official OpenAI Java SDK's {@code responses()} as a client of the gateway's {@code /v1/responses}: only
 * its base URL changes, whether OpenAI answers in its own Responses API or Anthropic answers through the
 * translation.
 */
class ResponsesSdkTest {
  static OpenAIClient sdk;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: app, key_env: APP_KEY}
      targets:
        openai:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4.1-mini, responses_api: true}
          retry_matrix: {"429": {attempts: 1}}
        claude:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 512}
        chat:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl())).env("APP_KEY", "k-app"));

  @BeforeAll
  static void start() {
    sdk = client(2);
  }

  static OpenAIClient client(int retries) {
    return OpenAIOkHttpClient.builder().baseUrl(e2e.gw().http.url("/v1")).apiKey("k-app").maxRetries(retries)
        .timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    sdk.close();
  }

  static ResponseCreateParams.Builder ask(String model) {
    return ResponseCreateParams.builder().model(model).input("Hello");
  }

  static String text(Response response) {
    return response.output().getFirst().asMessage().content().getFirst().asOutputText().text();
  }

  static FunctionTool weatherTool() {
    return FunctionTool.builder().name("get_weather").strict(true)
        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
        .build();
  }

  @Test
  void createsAResponse() {
    e2e.up().script("POST /v1/responses", ResponsesBehaviors.answer("gpt-4.1-mini-2025-04-14", "Hello!", 9, 3));
    Response response = sdk.responses().create(ask("openai/gpt-4.1-mini").instructions("Be terse.").build());

    response.validate();
    assertThat(text(response)).isEqualTo("Hello!");
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(12);
    assertThat(response.id()).isEqualTo(ResponsesBehaviors.ID);
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("store").asBoolean(true)).isFalse();
  }

  @Test
  void createsAResponseAnsweredByAnthropic() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5-20251001", "Bonjour", 12, 6));
    Response response = sdk.responses().create(ask("claude/claude-haiku-4-5").maxOutputTokens(100).build());

    response.validate();
    assertThat(text(response)).isEqualTo("Bonjour");
    assertThat(response.model().asString()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(12);
  }

  @Test
  void streamsAndAccumulatesTheEventsIntoAResponse() {
    e2e.up().script("POST /v1/responses",
        LlmBehaviors.sse(ResponsesBehaviors.textEvents("gpt-4.1-mini", List.of("Hel", "lo", "!"), 9, 3), 2));
    assertThat(streamed(ask("openai/gpt-4.1-mini").build())).isEqualTo("Hello!");
  }

  @Test
  void streamsAnAnswerWhoseTerminalEventLeavesOutTheStatusAsCompleted() {
    // Some servers speaking the Responses API leave status out of response.completed: the event's type says it.
    List<String> events = new ArrayList<>(ResponsesBehaviors.textEvents("gpt-4.1-mini", List.of("Hel", "lo"), 9, 2));
    String last = events.removeLast();
    events.add(last.replace(",\"status\":\"completed\",\"background\"", ",\"background\""));
    assertThat(events.getLast()).isNotEqualTo(last);
    e2e.up().script("POST /v1/responses", LlmBehaviors.sse(events, 1));
    assertThat(streamed(ask("openai/gpt-4.1-mini").build())).isEqualTo("Hello");
  }

  @Test
  void streamsAnAnthropicAnswerAsResponsesEvents() {
    e2e.up().script("POST /v1/messages",
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Bon", "jour"), 25, 15), 2));
    assertThat(streamed(ask("claude/claude-haiku-4-5").build())).isEqualTo("Bonjour");
  }

  /** Streams {@code params}; checks the accumulated response against the deltas; returns its text. */
  @Test
  void rendersTheRefusalOfAChatCompletionsProviderAsARefusalPartWholeAndStreamed() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAiRefusal("gpt-4o-mini", "I can't help with that."));
    Response whole = sdk.responses().create(ask("chat/gpt-4o-mini").build());

    whole.validate();
    var content = whole.output().getFirst().asMessage().content();
    assertThat(content).hasSize(1);
    assertThat(content.getFirst().asRefusal().refusal()).isEqualTo("I can't help with that.");

    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(
        LlmBehaviors.openAiRefusalStreamEvents("gpt-4o-mini", List.of("I can't", " help with that.")), 1));
    StringBuilder deltas = new StringBuilder();
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(ask("chat/gpt-4o-mini").build())) {
      stream.stream().forEach(event -> {
        event.validate();
        accumulator.accumulate(event);
        event.refusalDelta().ifPresent(delta -> deltas.append(delta.delta()));
      });
    }
    Response streamed = accumulator.response();
    assertThat(deltas.toString()).isEqualTo("I can't help with that.");
    assertThat(streamed.output().getFirst().asMessage().content().getFirst().asRefusal().refusal())
        .isEqualTo("I can't help with that.");
  }

  @Test
  void passesOnTheRefusalOfAResponsesProviderAsARefusalPartWholeAndStreamed() {
    e2e.up().script("POST /v1/responses", ResponsesBehaviors.refusal("gpt-4.1-mini", "I can't help with that."));
    Response whole = sdk.responses().create(ask("openai/gpt-4.1-mini").build());

    whole.validate();
    assertThat(whole.output().getFirst().asMessage().content().getFirst().asRefusal().refusal())
        .isEqualTo("I can't help with that.");

    e2e.up().script("POST /v1/responses", LlmBehaviors.sse(
        ResponsesBehaviors.refusalEvents("gpt-4.1-mini", List.of("I can't", " help with that.")), 1));
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(ask("openai/gpt-4.1-mini").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertThat(accumulator.response().output().getFirst().asMessage().content().getFirst().asRefusal().refusal())
        .isEqualTo("I can't help with that.");
  }

  private static String streamed(ResponseCreateParams params) {
    StringBuilder deltas = new StringBuilder();
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(params)) {
      stream.stream().forEach(event -> {
        event.validate();
        accumulator.accumulate(event);
        event.outputTextDelta().ifPresent(delta -> deltas.append(delta.delta()));
      });
    }
    Response response = accumulator.response();
    response.validate();
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(response.usage()).isPresent();
    assertThat(text(response)).isEqualTo(deltas.toString());
    return text(response);
  }

  @Test
  void callsAToolThroughAnthropicAndSendsItsOutputBack() {
    e2e.up().script("POST /v1/messages", Behavior.respond(200, LlmBehaviors.anthropicHeaders(), """
        {"id":"msg_01A","type":"message","role":"assistant","model":"claude-haiku-4-5",
         "content":[{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Lyon"}}],
         "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":50,"output_tokens":20}}"""),
        LlmBehaviors.anthropic("claude-haiku-4-5", "It is 18C in Lyon.", 80, 9));
    ResponseCreateParams first = ResponseCreateParams.builder().model("claude/claude-haiku-4-5")
        .input("Weather in Lyon?").addTool(weatherTool()).build();
    Response called = sdk.responses().create(first);
    called.validate();
    ResponseFunctionToolCall call = called.output().getFirst().asFunctionCall();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.arguments()).isEqualTo("{\"city\":\"Lyon\"}");

    List<ResponseInputItem> input = new ArrayList<>();
    input.add(ResponseInputItem.ofMessage(ResponseInputItem.Message.builder().role(ResponseInputItem.Message.Role.USER)
        .addInputTextContent("Weather in Lyon?").build()));
    input.add(ResponseInputItem.ofFunctionCall(call));
    input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
        .callId(call.callId()).output("18C").build()));
    Response answered = sdk.responses().create(ResponseCreateParams.builder().model("claude/claude-haiku-4-5")
        .inputOfResponse(input).addTool(weatherTool()).build());

    assertThat(text(answered)).isEqualTo("It is 18C in Lyon.");
    var messages = Json.parseOrNull(e2e.up().last().body().getBytes()).get("messages");
    assertThat(messages.get(1).get("content").get(0).get("id").asText()).isEqualTo("toolu_01");
    assertThat(messages.get(2).get("content").get(0).get("tool_use_id").asText()).isEqualTo("toolu_01");
  }

  @Test
  void streamsAFunctionCallWithItsArgumentDeltas() {
    e2e.up().script("POST /v1/responses", LlmBehaviors.sse(ResponsesBehaviors.callEvents("gpt-4.1-mini", "call_7",
        "get_weather", List.of("{\\\"city\\\":", "\\\"Paris\\\"}"), 30, 8), 2));
    StringBuilder deltas = new StringBuilder();
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(
        ResponseCreateParams.builder().model("openai/gpt-4.1-mini").input("Weather?").addTool(weatherTool()).build())) {
      stream.stream().forEach(event -> {
        accumulator.accumulate(event);
        if (event.isFunctionCallArgumentsDelta()) {
          deltas.append(event.asFunctionCallArgumentsDelta().delta());
        }
      });
    }
    ResponseFunctionToolCall call = accumulator.response().output().getFirst().asFunctionCall();
    assertThat(call.callId()).isEqualTo("call_7");
    assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}").isEqualTo(deltas.toString());
  }

  @Test
  void streamsACustomToolCallOfAChatTargetAndTakesItBackOnTheNextTurn() {
    String arguments = "{\\\"input\\\":\\\"*** Begin Patch\\\\n*** End Patch\\\\n\\\"}";
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(LlmBehaviors.openAiToolCallStreamEvents("gpt-4o-mini",
        "call_P1", "apply_patch", List.of(arguments.substring(0, 15), arguments.substring(15)), 40, 12), 1),
        LlmBehaviors.openAi("gpt-4o-mini", "Patched.", 60, 2));
    CustomTool patch = CustomTool.builder().name("apply_patch").description("Edit files.").build();
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(
        ResponseCreateParams.builder().model("chat/gpt-4o-mini").input("Empty patch").addTool(patch).build())) {
      stream.stream().forEach(event -> {
        event.validate();
        accumulator.accumulate(event);
      });
    }
    Response called = accumulator.response();
    called.validate();
    ResponseCustomToolCall call = called.output().getFirst().asCustomToolCall();
    assertThat(call.callId()).isEqualTo("call_P1");
    assertThat(call.input()).isEqualTo("*** Begin Patch\n*** End Patch\n");

    List<ResponseInputItem> input = new ArrayList<>();
    input.add(ResponseInputItem.ofCustomToolCall(call));
    input.add(ResponseInputItem.ofCustomToolCallOutput(ResponseCustomToolCallOutput.builder().callId(call.callId())
        .output("Done!").build()));
    Response answered = sdk.responses().create(ResponseCreateParams.builder().model("chat/gpt-4o-mini")
        .inputOfResponse(input).addTool(patch).build());
    assertThat(text(answered)).isEqualTo("Patched.");
    var messages = Json.parseOrNull(e2e.up().last().body().getBytes()).get("messages");
    assertThat(messages.get(0).get("tool_calls").get(0).get("function").get("arguments").asText())
        .isEqualTo("{\"input\":\"*** Begin Patch\\n*** End Patch\\n\"}");
    assertThat(messages.get(1).get("content").asText()).isEqualTo("Done!");
  }

  @Test
  void seesABrokenStreamAsAFailedResponse() {
    var events = ResponsesBehaviors.textEvents("gpt-4.1-mini", List.of("Hel", "lo"), 9, 2);
    e2e.up().script("POST /v1/responses", LlmBehaviors.sseThenReset(events.subList(0, 5), 2));
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    List<String> errors = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(ask("openai/gpt-4.1-mini").build())) {
      stream.stream().forEach(event -> {
        accumulator.accumulate(event);
        if (event.isError()) {
          errors.add(event.asError().code().orElse(""));
        }
      });
    }
    assertThat(errors).containsExactly("NETWORK_ERROR");
    assertThat(accumulator.response().status()).contains(ResponseStatus.FAILED);
  }

  @Test
  void raisesTheSdksUsualExceptionsForTheGatewaysErrors() {
    assertThatThrownBy(() -> sdk.responses().create(ask("openai/gpt-4.1-mini").store(true).build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.body().toString()).contains("INVALID_REQUEST").contains("store"));
    assertThatThrownBy(() -> sdk.responses().create(ask("openai/gpt-4.1-mini").previousResponseId("resp_1").build()))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> sdk.responses().create(ask("gpt-4.1-mini")
        .putAdditionalHeader("X-ReliAPI-Target", "nope").build()))
        .isInstanceOf(NotFoundException.class);
    e2e.up().script("POST /v1/responses", LlmBehaviors.openAiRateLimited());
    OpenAIClient noRetries = client(0);
    assertThatThrownBy(() -> noRetries.responses().create(ask("openai/gpt-4.1-mini").build()))
        .isInstanceOf(RateLimitException.class);
    noRetries.close();
    assertThat(e2e.up().total()).isEqualTo(1);
  }
}
