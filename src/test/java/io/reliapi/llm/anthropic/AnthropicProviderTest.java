package io.reliapi.llm.anthropic;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.decode;
import static io.reliapi.llm.ChatFixtures.failure;
import static io.reliapi.llm.ChatFixtures.json;
import static io.reliapi.llm.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.LlmConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatFixtures.Recorded;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.Usage;
import io.reliapi.testing.LlmBehaviors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest {
  final AnthropicProvider provider = new AnthropicProvider();
  final LlmConfig llm = ChatFixtures.llm(LlmConfig.Provider.ANTHROPIC, "2023-06-01");

  @Test
  void postsToMessagesWithTheVersionHeaderAndTheRequiredMaxTokens() {
    HttpCall call = provider.call(request("claude-haiku-4-5", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 300,
        false, "{}", "{}"), llm);

    assertThat(call.pathAndQuery()).isEqualTo("/messages");
    assertThat(call.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(body(call)).isEqualTo(json("""
        {"model": "claude-haiku-4-5", "max_tokens": 300, "messages": [{"role": "user", "content": "Hi"}]}"""));
  }

  @Test
  void liftsSystemAndDeveloperMessagesIntoSystem() {
    HttpCall call = provider.call(request("claude-haiku-4-5", """
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
         {"role": "developer", "content": [{"type": "text", "text": "Use French."}]}]""", 10, false, "{}", "{}"), llm);
    JsonNode body = body(call);
    assertThat(body.get("system").asText()).isEqualTo("Be brief.\n\nUse French.");
    assertThat(body.get("messages")).isEqualTo(json("[{\"role\": \"user\", \"content\": \"Hi\"}]"));
  }

  @Test
  void turnsPartsToolCallsAndToolResultsIntoContentBlocks() {
    HttpCall call = provider.call(request("claude-haiku-4-5", """
        [{"role": "user", "content": [{"type": "text", "text": "What is this?"},
           {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
           {"type": "image_url", "image_url": {"url": "https://x/cat.png"}}]},
         {"role": "assistant", "content": "Let me check.",
          "tool_calls": [{"id": "toolu_1", "type": "function", "function": {"name": "lookup", "arguments": "{\\"q\\": \\"cat\\"}"}}]},
         {"role": "tool", "tool_call_id": "toolu_1", "content": "a cat"},
         {"role": "user", "content": "Thanks"}]""", 10, false, "{}", "{}"), llm);
    assertThat(body(call).get("messages")).isEqualTo(json("""
        [{"role": "user", "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
            {"type": "image", "source": {"type": "url", "url": "https://x/cat.png"}}]},
         {"role": "assistant", "content": [
            {"type": "text", "text": "Let me check."},
            {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": "cat"}}]},
         {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "a cat"}]},
            {"type": "text", "text": "Thanks"}]}]"""));
  }

  @Test
  void givesToolCallsIdsAnthropicAccepts() {
    // A Gemini call's id carries its base64 thought signature; Anthropic takes only letters, digits, _ and -.
    ChatRequest request = ChatFixtures.toolConversation("claude-haiku-4-5");
    String before = ChatJson.canonical(request).toString();
    JsonNode messages = body(provider.call(request, llm)).get("messages");

    JsonNode uses = messages.get(1).get("content");
    JsonNode results = messages.get(2).get("content");
    assertThat(uses.get(0).get("id").asText()).matches("[a-zA-Z0-9_-]+");
    assertThat(results.get(0).get("tool_use_id").asText()).isEqualTo(uses.get(0).get("id").asText());
    assertThat(uses.get(1).get("id").asText()).as("an id that fits stays").isEqualTo("call_Kd8s");
    assertThat(results.get(1).get("tool_use_id").asText()).isEqualTo("call_Kd8s");
    assertThat(ChatJson.canonical(request).toString()).as("the ids are fitted on new blocks, for a fallback's sake")
        .isEqualTo(before);
  }

  @Test
  void translatesOpenAiToolOptionsAndMergesExtraAsItIs() {
    HttpCall call = provider.call(request("claude-haiku-4-5", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 10, true, """
        {"tools": [{"type": "function", "function": {"name": "lookup", "description": "Finds",
           "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}],
         "tool_choice": "required", "parallel_tool_calls": false, "user": "u-1", "response_format": {"type": "json_object"},
         "stream_options": {"include_usage": true}}""",
        "{\"top_k\": 5, \"metadata\": {\"user_id\": \"from-extra\"}}"), llm);
    JsonNode body = body(call);
    assertThat(body.get("tools")).isEqualTo(json("""
        [{"name": "lookup", "description": "Finds",
          "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}}]"""));
    assertThat(body.get("tool_choice")).isEqualTo(json("{\"type\": \"any\", \"disable_parallel_tool_use\": true}"));
    assertThat(body.get("metadata").get("user_id").asText()).isEqualTo("from-extra");
    assertThat(body.get("top_k").asInt()).isEqualTo(5);
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.has("response_format")).isFalse();
    assertThat(body.has("stream_options")).isFalse();
  }

  @Test
  void readsAnAnswerAsAChatCompletionWithOpenAisFinishReason() {
    ParsedAnswer completion = provider.complete(LlmBehaviors.anthropicMessage("claude-haiku-4-5-20251001", "Bonjour",
        "max_tokens", 12, 6).getBytes(StandardCharsets.UTF_8), 1_700_000_000L);

    assertThat(completion.completion().content()).isEqualTo("Bonjour");
    assertThat(completion.completion().finishReason()).isEqualTo("length");
    assertThat(completion.completion().usage()).isEqualTo(Usage.reported(12, 6));
    assertThat(json(completion.json().toString())).isEqualTo(json("""
        {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "object": "chat.completion", "created": 1700000000,
         "model": "claude-haiku-4-5-20251001",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "Bonjour", "refusal": null},
                      "logprobs": null, "finish_reason": "length"}],
         "usage": {"prompt_tokens": 12, "completion_tokens": 6, "total_tokens": 18}}"""));
  }

  @Test
  void mapsEveryStopReasonToTheNeutralWords() {
    assertThat(StopReasons.toNeutral("end_turn")).isEqualTo("stop");
    assertThat(StopReasons.toNeutral("stop_sequence")).isEqualTo("stop");
    assertThat(StopReasons.toNeutral("max_tokens")).isEqualTo("length");
    assertThat(StopReasons.toNeutral("tool_use")).isEqualTo("tool_calls");
    assertThat(StopReasons.toNeutral("refusal")).isEqualTo("content_filter");
    assertThat(StopReasons.toNeutral("pause_turn")).as("OpenAI has no word for it").isEqualTo("pause_turn");
  }

  @Test
  void carriesAPausedTurnAndTheStopSequenceAnAnswerEndedAtWholeAndStreamed() {
    var paused = provider.complete(LlmBehaviors.anthropicMessage("claude-haiku-4-5", "Searching", "pause_turn", 12, 6)
        .getBytes(StandardCharsets.UTF_8), 0);
    assertThat(paused.completion().finishReason()).isEqualTo("pause_turn");
    JsonNode pausedChoice = json(paused.json().toString()).get("choices").get(0);
    assertThat(pausedChoice.get("finish_reason").asText()).as("OpenAI's nearest word").isEqualTo("stop");
    assertThat(pausedChoice.get("native_finish_reason").asText()).isEqualTo("pause_turn");
    assertThat(ChatCompletion.read(paused.json().getBytes())).as("the stored form keeps it")
        .isEqualTo(paused.completion());

    var stopped = provider.complete(LlmBehaviors.anthropicMessage("claude-haiku-4-5", "1 2 3", "stop_sequence", 12, 6)
        .replace("\"stop_sequence\":null", "\"stop_sequence\":\"4\"").getBytes(StandardCharsets.UTF_8), 0);
    assertThat(stopped.completion().finishReason()).isEqualTo("stop");
    assertThat(stopped.completion().stopSequence()).isEqualTo("4");
    assertThat(json(stopped.json().toString()).get("choices").get(0).get("stop_reason").asText()).isEqualTo("4");
    assertThat(ChatCompletion.read(stopped.json().getBytes())).isEqualTo(stopped.completion());

    List<String> events = new java.util.ArrayList<>();
    for (String event : LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("1 2 3"), 25, 15)) {
      events.add(event.replace("\"stop_reason\":\"end_turn\",\"stop_sequence\":null",
          "\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"4\""));
    }
    var decoder = provider.decoder(0);
    Recorded streamed = decode(decoder, events);
    assertThat(streamed.chunks.stream().flatMap(c -> c.parts().stream()).filter(p -> p instanceof ChatChunk.Finish))
        .containsExactly(new ChatChunk.Finish("stop", "4"));
    assertThat(json(streamed.chunks.get(streamed.chunks.size() - 2).json()).get("choices").get(0)
        .get("stop_reason").asText()).isEqualTo("4");
  }

  @Test
  void readsToolUseAsToolCallsAndCountsCacheTokensAsPromptKeepingThemApart() {
    var result = provider.complete("""
        {"id": "msg_2", "type": "message", "role": "assistant", "model": "claude-opus-4-5",
         "content": [{"type": "thinking", "thinking": "hmm", "signature": "s"},
                     {"type": "tool_use", "id": "toolu_9", "name": "lookup", "input": {"q": "cat"}}],
         "stop_reason": "tool_use", "stop_sequence": null,
         "usage": {"input_tokens": 10, "cache_creation_input_tokens": 100, "cache_read_input_tokens": 1000,
                   "output_tokens": 20}}""".getBytes(StandardCharsets.UTF_8), 0).completion();
    assertThat(result.content()).isNull();
    assertThat(result.finishReason()).isEqualTo("tool_calls");
    assertThat(result.toolCalls().orElseThrow()).isEqualTo(json("""
        [{"id": "toolu_9", "type": "function", "function": {"name": "lookup", "arguments": "{\\"q\\":\\"cat\\"}"}}]"""));
    assertThat(result.usage()).isEqualTo(Usage.reported(1110, 20).withCache(1000, 100));
  }

  @Test
  void readsTheWebSearchesOfServerToolUseWholeAndFromTheStreamsFinalDelta() {
    var whole = provider.complete("""
        {"id": "msg_4", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
         "content": [{"type": "text", "text": "Found."}], "stop_reason": "end_turn",
         "usage": {"input_tokens": 100, "output_tokens": 20, "server_tool_use": {"web_search_requests": 3}}}"""
        .getBytes(StandardCharsets.UTF_8), 0).completion();
    assertThat(whole.usage()).isEqualTo(Usage.reported(100, 20).withWebSearches(3));

    List<String> events = new java.util.ArrayList<>();
    for (String event : LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Found."), 100, 20)) {
      events.add(event.replace("\"usage\":{\"output_tokens\":20}",
          "\"usage\":{\"output_tokens\":20,\"server_tool_use\":{\"web_search_requests\":2}}"));
    }
    Recorded streamed = decode(provider.decoder(0), events);
    assertThat(streamed.chunks.getLast().usage()).isEqualTo(Usage.reported(100, 20).withWebSearches(2));
  }

  @Test
  void refusesAnAnswerItCannotUnderstand() {
    var error = failure(() -> provider.complete("{\"type\": \"message\"}".getBytes(StandardCharsets.UTF_8), 0));
    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
  }

  @Test
  void decodesAStreamIntoChatCompletionChunks() {
    Recorded out = decode(provider.decoder(1_700_000_000L),
        LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Hel", "lo"), 25, 15));

    assertThat(out.text()).isEqualTo("Hello");
    assertThat(out.complete).isTrue();
    assertThat(json(out.chunks.getFirst().json())).isEqualTo(json("""
        {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "object": "chat.completion.chunk", "created": 1700000000,
         "model": "claude-haiku-4-5",
         "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null,
                      "finish_reason": null}]}"""));
    assertThat(out.chunks.get(out.chunks.size() - 2).finishReason()).isEqualTo("stop");
    assertThat(out.chunks.getLast().usageOnly()).isTrue();
    assertThat(json(out.chunks.getLast().json()).get("usage").toString())
        .isEqualTo(ChatCompletion.usage(Usage.reported(25, 15)).toString());
  }

  @Test
  void keepsTheFirstStatedStopReasonWhenALaterMessageDeltaStatesNone() {
    List<String> events = new java.util.ArrayList<>(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5",
        List.of("Hel", "lo"), 25, 15));
    events.add(events.size() - 1, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},"
        + "\"usage\":{\"output_tokens\":17}}\n\n");
    var decoder = provider.decoder(0);
    Recorded out = decode(decoder, events);

    assertThat(out.complete).isTrue();
    assertThat(decoder.finishReason()).isEqualTo("stop");
    assertThat(out.chunks.stream().flatMap(c -> c.parts().stream()).filter(p -> p instanceof ChatChunk.Finish))
        .containsExactly(new ChatChunk.Finish("stop"));
    assertThat(decoder.usage().completionTokens()).as("the later delta's usage still counts").isEqualTo(17);
  }

  @Test
  void decodesStreamedToolUseAsToolCallDeltas() {
    Recorded out = decode(provider.decoder(0), List.of(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_3\",\"model\":\"claude-opus-4-5\","
            + "\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"lookup\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\": \"}}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
            + "\"usage\":{\"output_tokens\":9}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));

    JsonNode start = json(out.chunks.get(1).json()).get("choices").get(0).get("delta").get("tool_calls").get(0);
    assertThat(start).isEqualTo(json("""
        {"index": 0, "id": "toolu_1", "type": "function", "function": {"name": "lookup", "arguments": ""}}"""));
    JsonNode delta = json(out.chunks.get(2).json()).get("choices").get(0).get("delta").get("tool_calls").get(0);
    assertThat(delta).isEqualTo(json("{\"index\": 0, \"function\": {\"arguments\": \"{\\\"q\\\": \"}}"));
    assertThat(out.chunks.get(3).finishReason()).isEqualTo("tool_calls");
    assertThat(out.complete).isTrue();
  }

  @Test
  void reportsAnErrorEventWithTheStatusItStandsFor() {
    Recorded out = decode(provider.decoder(0), List.of(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
    assertThat(out.errorStatus).isEqualTo(529);
  }

  @Test
  void readsTheErrorTypeOfAnErrorBody() {
    var error = provider.error("""
        {"type": "error", "error": {"type": "rate_limit_error", "message": "Number of requests has exceeded"},
         "request_id": "req_1"}""".getBytes(StandardCharsets.UTF_8));
    assertThat(error.describe()).contains("rate_limit_error");
  }

  @Test
  void sendsTheSecretInXApiKeyUnlessTheTargetNamesItsOwnHeader() {
    var config = ConfigLoader.parse("""
        targets:
          claude:
            base_url: https://api.anthropic.com/v1
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
            auth: {type: bearer_env, env_var: KEY}
          proxied:
            base_url: https://llm-proxy.internal/v1
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
            auth: {type: header_env, env_var: KEY, header: Authorization, prefix: "Bearer "}
        """, name -> "sk-ant");
    var direct = provider.credentials(config.target("claude").orElseThrow());
    assertThat(direct.get("x-api-key")).isEqualTo("sk-ant");
    assertThat(direct.get("Authorization")).isNull();
    assertThat(provider.credentials(config.target("proxied").orElseThrow()).get("Authorization")).isEqualTo("Bearer sk-ant");
  }
}
