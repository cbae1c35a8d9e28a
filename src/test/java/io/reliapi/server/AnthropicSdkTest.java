package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official Anthropic Java SDK as a client of the gateway: only its base URL (the gateway's root) changes. */
class AnthropicSdkTest {
  static AnthropicClient sdk;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      default_llm_target: claude
      clients:
        - {name: app, key_env: APP_KEY}
      targets:
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-4o-mini}
        capped:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, hard_cost_cap_usd: 0.000001}
        held:
          base_url: "%1$s/held/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_commit: complete, stream_keepalive_s: 1}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("APP_KEY", "k-app"));

  @BeforeAll
  static void start() {
    sdk = client("k-app");
  }

  static AnthropicClient client(String key) {
    return AnthropicOkHttpClient.builder().baseUrl(e2e.gw().http.url("")).apiKey(key).maxRetries(0)
        .timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    sdk.close();
  }

  static MessageCreateParams.Builder ask(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage("Hello");
  }

  static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Weather by city")
        .inputSchema(Tool.InputSchema.builder()
            .properties(JsonValue.from(Map.of("city", Map.of("type", "string")))).addRequired("city").build())
        .build();
  }

  @Test
  void createsAMessage() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5-20251001", "Bonjour", 12, 6));
    Message message = sdk.messages().create(ask("claude-haiku-4-5").build());

    message.validate();
    assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Bonjour");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo(12);
    assertThat(e2e.up().last().header("x-api-key")).as("the gateway's key is not the client's").isNull();
  }

  @Test
  void streamsFromAnOpenAiTarget() {
    e2e.up().script("POST /v1/chat/completions",
        LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo", "!"), 9, 3), 1));
    MessageAccumulator accumulator = MessageAccumulator.create();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(ask("openai/gpt-4o-mini").build())) {
      stream.stream().forEach(event -> {
        accumulator.accumulate(event);
        event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()));
      });
    }
    Message message = accumulator.message();

    message.validate();
    assertThat(text.toString()).isEqualTo("Hello!");
    assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Hello!");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(3);
  }

  @Test
  void callsAToolAndSendsItsResultBackAcrossProviders() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(LlmBehaviors.openAiToolCallStreamEvents("gpt-4o-mini",
        "call_42", "get_weather", List.of("{\\\"city\\\":", "\\\"Paris\\\"}"), 30, 8), 1));
    MessageCreateParams.Builder first = ask("openai/gpt-4o-mini").addTool(weatherTool())
        .toolChoice(ToolChoiceAny.builder().build());
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(first.build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message called = accumulator.message();
    ToolUseBlock use = called.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();

    called.validate();
    assertThat(called.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(use.id()).isEqualTo("call_42");
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));

    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "It is 18C in Paris.", 40, 9));
    Message answer = sdk.messages().create(ask("claude-haiku-4-5").addTool(weatherTool()).addMessage(called)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
            .toolUseId(use.id()).content("18C").build()))).build());

    assertThat(answer.content().getFirst().text().orElseThrow().text()).isEqualTo("It is 18C in Paris.");
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    JsonNode turns = sent.get("messages");
    assertThat(turns.get(1).get("content").get(0).get("type").asText()).isEqualTo("tool_use");
    assertThat(turns.get(1).get("content").get(0).get("id").asText()).isEqualTo("call_42");
    assertThat(turns.get(2).get("content").get(0).get("tool_use_id").asText()).isEqualTo("call_42");
  }

  /** An OpenAI stream of tool-call deltas ({@link #fragment}), finishing with {@code tool_calls}. */
  static List<String> toolCallChunks(String... fragments) {
    String head = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,";
    List<String> events = new ArrayList<>();
    for (String fragment : fragments) {
      events.add(head + "\"finish_reason\":null,\"delta\":{\"tool_calls\":[" + fragment + "]}}]}\n\n");
    }
    events.add(head + "\"finish_reason\":\"tool_calls\",\"delta\":{}}]}\n\n");
    events.add("data: [DONE]\n\n");
    return events;
  }

  /** A tool call's delta: its {@code index}, its id where it begins (else null) and an arguments fragment. */
  static String fragment(int index, String id, String arguments) {
    String begins = id == null ? "" : "\"id\":\"" + id + "\",\"type\":\"function\",";
    String name = id == null ? "" : "\"name\":\"get_weather\",";
    return "{\"index\":" + index + "," + begins + "\"function\":{" + name + "\"arguments\":"
        + Json.MAPPER.valueToTree(arguments) + "}}";
  }

  /** Streams a weather question through the OpenAI target, {@code watch} seeing each event; returns the calls. */
  static List<ToolUseBlock> streamedToolUses(java.util.function.Consumer<RawMessageStreamEvent> watch) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(
        ask("openai/gpt-4o-mini").addTool(weatherTool()).build())) {
      stream.stream().forEach(event -> {
        accumulator.accumulate(event);
        watch.accept(event);
      });
    }
    return accumulator.message().content().stream().flatMap(b -> b.toolUse().stream()).toList();
  }

  @Test
  void keepsTheArgumentsOfParallelToolCallsWhoseFragmentsAnOpenAiServerInterleaves() {
    // OpenAI-protocol servers may send the second call before the first call's arguments are complete; Anthropic
    // streams one block after another, and its SDKs read a block's input when the block stops.
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(toolCallChunks(fragment(0, "call_A", "{\"ci"),
        fragment(1, "call_B", "{\"city"), fragment(0, null, "ty\":\"Paris\"}"), fragment(1, null, "\":\"Oslo\"}")), 1));
    List<Long> stopped = new ArrayList<>();
    List<Long> deltasAfterStop = new ArrayList<>();
    List<ToolUseBlock> uses = streamedToolUses(event -> {
      event.contentBlockStop().ifPresent(stop -> stopped.add(stop.index()));
      event.contentBlockDelta().filter(delta -> stopped.contains(delta.index()))
          .ifPresent(delta -> deltasAfterStop.add(delta.index()));
    });

    assertThat(deltasAfterStop).as("no delta for a block that has stopped").isEmpty();
    assertThat(uses).extracting(ToolUseBlock::id).containsExactly("call_A", "call_B");
    assertThat(uses.get(0)._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(uses.get(1)._input().convert(Map.class)).isEqualTo(Map.of("city", "Oslo"));
  }

  @Test
  void streamsParallelToolCallsSentOneAfterAnotherAsTheyCome() {
    // OpenAI's own order: the second call begins once the first call's arguments are whole JSON.
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(toolCallChunks(
        fragment(0, "call_A", "{\"city\":\"Paris\"}"), fragment(1, "call_B", "{\"city"),
        fragment(1, null, "\":\"Oslo\"}")), 1));
    List<String> secondCallFragments = new ArrayList<>();
    List<ToolUseBlock> uses = streamedToolUses(event -> event.contentBlockDelta().filter(delta -> delta.index() == 1)
        .flatMap(delta -> delta.delta().inputJson()).ifPresent(json -> secondCallFragments.add(json.partialJson())));

    assertThat(secondCallFragments).as("streamed fragment by fragment, not held to the end")
        .containsExactly("{\"city", "\":\"Oslo\"}");
    assertThat(uses.get(0)._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(uses.get(1)._input().convert(Map.class)).isEqualTo(Map.of("city", "Oslo"));
  }

  @Test
  void sendsToolResultsToAnOpenAiTargetAsToolMessages() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Noted.", 30, 2));
    List<ContentBlockParam> calls = List.of(ContentBlockParam.ofToolUse(com.anthropic.models.messages.ToolUseBlockParam
        .builder().id("toolu_9").name("get_weather").input(JsonValue.from(Map.of("city", "Oslo"))).build()));
    Message answer = sdk.messages().create(ask("openai/gpt-4o-mini").addTool(weatherTool())
        .addAssistantMessageOfContentBlockParams(calls)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
            .toolUseId("toolu_9").content("-3C").isError(false).build()))).build());

    assertThat(answer.content().getFirst().text().orElseThrow().text()).isEqualTo("Noted.");
    JsonNode messages = Json.parseOrNull(e2e.up().last().body().getBytes()).get("messages");
    assertThat(messages.get(1).get("tool_calls").get(0).get("function").get("arguments").asText())
        .isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(messages.get(2).get("role").asText()).isEqualTo("tool");
    assertThat(messages.get(2).get("content").asText()).isEqualTo("-3C");
  }

  @Test
  void reportsCacheReadsAndWritesApartFromTheInputAsAnthropicDoes() {
    // Anthropic's input_tokens leaves out the prompt tokens read from and written to its cache; a client that
    // prices a call (Claude Code shows its cost) reads those two at their own prices.
    e2e.up().script("POST /v1/messages", Behavior.respond(200, LlmBehaviors.anthropicHeaders(),
        LlmBehaviors.anthropicMessage("claude-haiku-4-5", "Cached", "end_turn", 20, 6)
            .replace("\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0",
                "\"cache_creation_input_tokens\":5,\"cache_read_input_tokens\":700")));
    com.anthropic.models.messages.Usage fromClaude = sdk.messages().create(ask("claude-haiku-4-5").build()).usage();
    assertThat(fromClaude.inputTokens()).isEqualTo(20);
    assertThat(fromClaude.cacheReadInputTokens()).contains(700L);
    assertThat(fromClaude.cacheCreationInputTokens()).contains(5L);

    // OpenAI counts its cached tokens inside prompt_tokens: 800 of them, 600 from the cache.
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(List.of(
        LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Cached"), 800, 6).get(1),
        LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of(), 800, 6).get(1),
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":800,\"completion_tokens\":6,\"total_tokens\":806,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":600}}}\n\n", "data: [DONE]\n\n"), 1));
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(ask("openai/gpt-4o-mini").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    com.anthropic.models.messages.Usage fromOpenAi = accumulator.message().usage();
    assertThat(fromOpenAi.inputTokens()).isEqualTo(200);
    assertThat(fromOpenAi.cacheReadInputTokens()).contains(600L);
    assertThat(fromOpenAi.cacheCreationInputTokens()).contains(0L);
    assertThat(fromOpenAi.outputTokens()).isEqualTo(6);
  }

  @Test
  void readsAnOpenAiRefusalAsARefusalWithItsWordsWholeAndStreamed() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAiRefusal("gpt-4o-mini", "I can't help with that."));
    Message whole = sdk.messages().create(ask("openai/gpt-4o-mini").build());

    whole.validate();
    assertThat(whole.stopReason()).contains(StopReason.REFUSAL);
    assertThat(whole.content()).hasSize(1);
    assertThat(whole.content().getFirst().text().orElseThrow().text()).isEqualTo("I can't help with that.");

    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(
        LlmBehaviors.openAiRefusalStreamEvents("gpt-4o-mini", List.of("I can't", " help with that.")), 1));
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(ask("openai/gpt-4o-mini").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message streamed = accumulator.message();
    assertThat(streamed.stopReason()).contains(StopReason.REFUSAL);
    assertThat(streamed.content().getFirst().text().orElseThrow().text()).isEqualTo("I can't help with that.");
  }

  @Test
  void carriesAPausedTurnAndTheMatchedStopSequenceOfAnAnthropicTargetWholeAndStreamed() {
    e2e.up().script("POST /v1/messages", Behavior.respond(200, LlmBehaviors.anthropicHeaders(),
        LlmBehaviors.anthropicMessage("claude-haiku-4-5", "Searching", "pause_turn", 12, 6)));
    Message paused = sdk.messages().create(ask("claude-haiku-4-5").build());
    paused.validate();
    assertThat(paused.stopReason()).contains(StopReason.PAUSE_TURN);
    assertThat(paused.stopSequence()).isEmpty();

    e2e.up().script("POST /v1/messages", Behavior.respond(200, LlmBehaviors.anthropicHeaders(),
        LlmBehaviors.anthropicMessage("claude-haiku-4-5", "1 2 3", "stop_sequence", 12, 6)
            .replace("\"stop_sequence\":null", "\"stop_sequence\":\"4\"")));
    Message stopped = sdk.messages().create(ask("claude-haiku-4-5").addStopSequence("4").build());
    assertThat(stopped.stopReason()).contains(StopReason.STOP_SEQUENCE);
    assertThat(stopped.stopSequence()).contains("4");

    List<String> events = new ArrayList<>();
    for (String event : LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("1 2", " 3"), 25, 15)) {
      events.add(event.replace("\"stop_reason\":\"end_turn\",\"stop_sequence\":null",
          "\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"4\""));
    }
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(events, 1));
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(ask("claude-haiku-4-5")
        .addStopSequence("4").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertThat(accumulator.message().stopReason()).contains(StopReason.STOP_SEQUENCE);
    assertThat(accumulator.message().stopSequence()).contains("4");

    // An OpenAI-protocol target says only that it stopped: the sequence is not known.
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "1 2 3", 5, 3));
    Message openAi = sdk.messages().create(ask("openai/gpt-4o-mini").addStopSequence("4").build());
    assertThat(openAi.stopReason()).contains(StopReason.END_TURN);
    assertThat(openAi.stopSequence()).isEmpty();
  }

  @Test
  void countsTokens() {
    e2e.up().script("POST /v1/messages/count_tokens", Behavior.respond(200, LlmBehaviors.anthropicHeaders(),
        "{\"input_tokens\": 14}"));
    long counted = sdk.messages().countTokens(MessageCountTokensParams.builder().model("claude-haiku-4-5")
        .addUserMessage("Hello").build()).inputTokens();
    long estimated = sdk.messages().countTokens(MessageCountTokensParams.builder().model("openai/gpt-4o-mini")
        .addUserMessage("Hello").build()).inputTokens();

    assertThat(counted).isEqualTo(14);
    assertThat(estimated).isPositive();
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  @Test
  void listsModelsAndPagesThroughThem() {
    List<String> ids = new ArrayList<>();
    sdk.models().list(com.anthropic.models.models.ModelListParams.builder().limit(1).build()).autoPager()
        .forEach(model -> {
          model.validate();
          ids.add(model.id());
        });
    assertThat(ids).containsExactly("capped/gpt-4o-mini", "claude/claude-haiku-4-5", "held/claude-haiku-4-5",
        "openai/gpt-4o-mini");
    ModelInfo first = sdk.models().list().data().getFirst();
    assertThat(first.displayName()).isEqualTo("capped/gpt-4o-mini");
    ModelInfo one = sdk.models().retrieve("claude/claude-haiku-4-5");
    one.validate();
    assertThat(one.id()).isEqualTo("claude/claude-haiku-4-5");
    assertThatThrownBy(() -> sdk.models().retrieve("claude/no-such-model")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void raisesTheSdksUsualExceptionsForTheGatewaysErrors() {
    assertThatThrownBy(() -> sdk.messages().create(ask("capped/gpt-4o-mini").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.errorCode()).contains("BUDGET_EXCEEDED");
          assertThat(e.requestId()).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
          assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("BUDGET_EXCEEDED: "));
        });
    assertThatThrownBy(() -> sdk.messages().create(ask("x").putAdditionalHeader("X-ReliAPI-Target", "nope").build()))
        .isInstanceOf(NotFoundException.class);
    AnthropicClient stranger = client("wrong-key");
    assertThatThrownBy(() -> stranger.messages().create(ask("claude-haiku-4-5").build()))
        .isInstanceOf(UnauthorizedException.class);
    stranger.close();
    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropicError(429, "rate_limit_error", "Slow", Map.of("retry-after", "3")));
    assertThatThrownBy(() -> sdk.messages().create(ask("claude-haiku-4-5").build()))
        .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.errorCode()).contains("UPSTREAM_ERROR"));
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  @Test
  void raisesAnErrorForAStreamThatBreaks() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(
        LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("a", "b"), 5, 2).subList(0, 4), 1));
    List<ContentBlock> seen = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(ask("claude-haiku-4-5").build())) {
        stream.stream().forEach(event -> event.contentBlockStart().ifPresent(s -> seen.add(
            ContentBlock.ofText(s.contentBlock().asText()))));
      }
    }).isInstanceOfSatisfying(SseException.class, e -> assertThat(((AnthropicServiceException) e).errorCode())
        .contains("NETWORK_ERROR"));
    assertThat(seen).hasSize(1);
  }

  @Test
  void raisesTheGatewaysErrorForAHeldStreamThatFailsAfterAKeepAlive() {
    // Four events 700 ms apart, then a cut: the held stream's first keep-alive (after 1 s) commits the 200 first.
    e2e.up().script("POST /held/v1/messages", LlmBehaviors.sseThenReset(
        LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("a", "b"), 5, 2).subList(0, 4), 700));
    List<RawMessageStreamEvent> seen = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(
          ask("held/claude-haiku-4-5").build())) {
        stream.stream().forEach(seen::add);
      }
    }).isInstanceOfSatisfying(SseException.class, e -> assertThat(((AnthropicServiceException) e).errorCode())
        .contains("NETWORK_ERROR"));
    assertThat(seen).as("nothing of the held attempt reached the client").isEmpty();
  }
}
