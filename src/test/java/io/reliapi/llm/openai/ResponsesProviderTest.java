package io.reliapi.llm.openai;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.decode;
import static io.reliapi.llm.ChatFixtures.failure;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.mistral.MistralProvider;
import io.reliapi.testing.ResponsesBehaviors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OpenAI's Responses API as a provider protocol: which requests it gets, what it sends, how it reads answers. */
class ResponsesProviderTest {
  final ResponsesProvider provider = new ResponsesProvider();

  static LlmConfig llm(LlmConfig.Provider kind, boolean responsesApi) {
    return new LlmConfig(kind, "m", 1024, Optional.empty(), Optional.empty(), 16, Optional.empty(), Map.of(),
        "2023-06-01", List.of(), Optional.empty(), Map.of(), LlmConfig.MaxTokensField.AS_SENT, responsesApi);
  }

  static ChatRequest written(String body, WireProtocol protocol, boolean stream) {
    return new ChatRequest(Optional.of("gpt-4.1"), "gpt-4.1", List.of(ChatMessage.text("user", "Hi")), Optional.empty(),
        300, Optional.empty(), Optional.empty(), List.of(), stream, ChatJson.object(), ChatJson.object(),
        Optional.empty(), Optional.of(new NativeBody(protocol, (ObjectNode) json(body), false)));
  }

  @Test
  void anOpenAiTargetServesOnlyRequestsWrittenInTheResponsesApiWithItWhenItHasIt() {
    var openAi = new OpenAiProvider();
    ChatRequest responses = written("{\"input\": \"Hi\"}", WireProtocol.OPENAI_RESPONSES, false);
    assertThat(openAi.serving(responses, llm(LlmConfig.Provider.OPENAI, true))).isInstanceOf(ResponsesProvider.class);
    assertThat(openAi.serving(responses, llm(LlmConfig.Provider.OPENAI, false))).isSameAs(openAi);
    ChatRequest chat = ChatFixtures.request("gpt-4.1", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 10, false, "{}", "{}");
    assertThat(openAi.serving(chat, llm(LlmConfig.Provider.OPENAI, true))).isSameAs(openAi);
    var mistral = new MistralProvider();
    assertThat(mistral.serving(responses, llm(LlmConfig.Provider.MISTRAL, false))).isSameAs(mistral);
  }

  @Test
  void sendsTheClientsBodyWithTheGatewaysModelLimitAndStoreFalse() {
    String body = "{\"model\": \"openai/gpt-4.1\", \"input\": [], \"include\": [\"x\"], \"stream_options\": {}}";
    LlmConfig openAi = llm(LlmConfig.Provider.OPENAI, true);
    HttpCall whole = provider.nativeCall(written(body, WireProtocol.OPENAI_RESPONSES, false), openAi);
    assertThat(whole.pathAndQuery()).isEqualTo("/responses");
    assertThat(whole.headers().get("Accept")).isEqualTo("application/json");
    assertThat(body(whole)).isEqualTo(json("{\"model\": \"gpt-4.1\", \"input\": [], \"include\": [\"x\"], "
        + "\"max_output_tokens\": 300, \"store\": false}"));

    HttpCall streamed = provider.call(written(body, WireProtocol.OPENAI_RESPONSES, true), openAi);
    assertThat(streamed.headers().get("Accept")).isEqualTo("text/event-stream");
    assertThat(body(streamed).get("stream").asBoolean()).isTrue();
    assertThat(body(streamed).has("stream_options")).isTrue();
  }

  @Test
  void readsAWholeAnswerIntoTheNeutralCompletionAndItsChatForm() {
    ParsedAnswer text = provider.complete(ResponsesBehaviors.text("gpt-4.1", "Hello!", 10, 16)
        .getBytes(StandardCharsets.UTF_8), 0);
    Completion completion = text.completion();
    assertThat(completion.id()).isEqualTo(ResponsesBehaviors.ID);
    assertThat(completion.content()).isEqualTo("Hello!");
    assertThat(completion.finishReason()).isEqualTo("stop");
    assertThat(completion.usage().promptTokens()).isEqualTo(10);
    assertThat(completion.usage().completionTokens()).isEqualTo(16);
    assertThat(ChatCompletion.read(text.json().getBytes())).isEqualTo(completion);

    String called = """
        {"id": "resp_2", "status": "completed", "model": "gpt-4.1", "output": [
          {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "Think."}]},
          {"type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{}"}],
         "usage": {"input_tokens": 5, "output_tokens": 7}}""";
    ParsedAnswer call = provider.complete(called.getBytes(StandardCharsets.UTF_8), 0);
    assertThat(call.completion().content()).isNull();
    assertThat(call.completion().finishReason()).isEqualTo("tool_calls");
    assertThat(call.completion().toolCalls().orElseThrow()).isEqualTo(json(
        "[{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}]"));
    assertThat(call.billedOutput()).isEqualTo("Think.f{}");
  }

  @Test
  void readsAnAnswerCutShortAsLengthOrContentFilterAndRefusesOneThatIsNoAnswer() {
    String cut = "{\"id\": \"r\", \"status\": \"incomplete\", \"incomplete_details\": {\"reason\": \"%s\"}, \"output\": []}";
    assertThat(provider.complete(cut.formatted("max_output_tokens").getBytes(), 0).completion().finishReason())
        .isEqualTo("length");
    assertThat(provider.complete(cut.formatted("content_filter").getBytes(), 0).completion().finishReason())
        .isEqualTo("content_filter");
    for (String bad : List.of("{\"status\": \"failed\", \"output\": []}", "{\"status\": \"queued\", \"output\": []}",
        "{\"status\": \"completed\"}", "[]", "not json")) {
      assertThat(failure(() -> provider.complete(bad.getBytes(), 0)).code()).as(bad)
          .isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
    }
  }

  @Test
  void decodesAStreamIntoTextPartsAndCompletesOnlyAtItsTerminalEvent() {
    var events = ResponsesBehaviors.textEvents("gpt-4.1", List.of("Hel", "lo"), 9, 2);
    var cut = decode(provider.decoder(0), events.subList(0, events.size() - 1));
    assertThat(cut.text()).isEqualTo("Hello");
    assertThat(cut.complete).isFalse();

    var decoder = provider.decoder(0);
    var whole = decode(decoder, events);
    assertThat(whole.complete).isTrue();
    assertThat(whole.chunks.getFirst().parts().getFirst()).isInstanceOf(ChatChunk.Start.class);
    assertThat(whole.chunks.getFirst().id()).isEqualTo(ResponsesBehaviors.ID);
    assertThat(whole.chunks.getLast().finishReason()).isEqualTo("stop");
    assertThat(decoder.usage().promptTokens()).isEqualTo(9);
    assertThat(decoder.finishReason()).isEqualTo("stop");
    assertThat(decoder.billedOutput()).isEqualTo("Hello");
  }

  @Test
  void readsTheFinishFromTheTerminalEventsTypeWhenItsResponseLeavesOutTheStatus() {
    List<String> events = new ArrayList<>(ResponsesBehaviors.textEvents("gpt-4.1", List.of("Hel", "lo"), 9, 2));
    String last = events.removeLast();
    assertThat(last).contains(",\"status\":\"completed\",\"background\"");
    events.add(last.replace(",\"status\":\"completed\",\"background\"", ",\"background\""));
    var decoder = provider.decoder(0);
    var completed = decode(decoder, events);
    assertThat(completed.complete).isTrue();
    assertThat(decoder.finishReason()).isEqualTo("stop");
    assertThat(completed.chunks.getLast().finishReason()).isEqualTo("stop");

    events.removeLast();
    events.add(event("{\"type\": \"response.incomplete\", \"response\": {\"incomplete_details\": "
        + "{\"reason\": \"content_filter\"}}}"));
    var filtered = provider.decoder(0);
    decode(filtered, events);
    assertThat(filtered.finishReason()).isEqualTo("content_filter");
    events.removeLast();
    events.add(event("{\"type\": \"response.incomplete\"}"));
    var cut = provider.decoder(0);
    decode(cut, events);
    assertThat(cut.finishReason()).isEqualTo("length");
  }

  @Test
  void decodesFunctionCallsInTheOrderTheirItemsAppear() {
    var recorded = decode(provider.decoder(0),
        ResponsesBehaviors.callEvents("gpt-4.1", "call_9", "f", List.of("{\\\"a\\\":", "1}"), 9, 2));
    List<ChatChunk.Part> parts = recorded.chunks.stream().flatMap(c -> c.parts().stream()).toList();
    assertThat(parts).containsExactly(new ChatChunk.Start(), new ChatChunk.ToolCall(0, "call_9", "f"),
        new ChatChunk.ToolArgs(0, "{\"a\":"), new ChatChunk.ToolArgs(0, "1}"), new ChatChunk.Finish("tool_calls"));
  }

  @Test
  void addsArgumentsAFinishedCallCarriesBeyondThoseStreamed() {
    var recorded = decode(provider.decoder(0), List.of(
        event("{\"type\": \"response.output_item.added\", \"output_index\": 0, \"item\": {\"type\": \"function_call\", "
            + "\"call_id\": \"c\", \"name\": \"f\", \"arguments\": \"\"}}"),
        event("{\"type\": \"response.function_call_arguments.delta\", \"output_index\": 0, \"delta\": \"{\\\"a\"}"),
        event("{\"type\": \"response.output_item.done\", \"output_index\": 0, \"item\": {\"type\": \"function_call\", "
            + "\"arguments\": \"{\\\"a\\\": 1}\"}}")));
    assertThat(recorded.chunks.getLast().parts()).containsExactly(new ChatChunk.ToolArgs(0, "\": 1}"));
  }

  @Test
  void anErrorBeforeAnyOutputIsTheProvidersErrorWithTheStatusItStandsFor() {
    assertThat(decode(provider.decoder(0), ResponsesBehaviors.failedEvents("gpt-4.1", "rate_limit_exceeded"))
        .errorStatus).isEqualTo(429);
    assertThat(decode(provider.decoder(0), ResponsesBehaviors.failedEvents("gpt-4.1", "server_error"))
        .errorStatus).isEqualTo(500);
    var overflow = decode(provider.decoder(0), List.of(event("{\"type\": \"error\", \"sequence_number\": 2, "
        + "\"error\": {\"type\": \"invalid_request_error\", \"code\": \"context_length_exceeded\", \"message\": \"x\"}}")));
    assertThat(overflow.errorStatus).isEqualTo(400);
    assertThat(overflow.chunks).as("the stream never started").isEmpty();
    var flat = decode(provider.decoder(0), List.of(event("{\"type\": \"error\", \"code\": \"server_is_overloaded\", "
        + "\"message\": \"busy\", \"param\": null}")));
    assertThat(flat.errorStatus).isEqualTo(503);
    var saidInWords = decode(provider.decoder(0), List.of(event("{\"type\": \"response.failed\", \"response\": "
        + "{\"status\": \"failed\", \"error\": {\"message\": \"This model's maximum context length is 4096 tokens. "
        + "However, your messages resulted in 5000 tokens.\"}}}")));
    assertThat(saidInWords.errorStatus).as("a refusal said only in words was a retryable 500").isEqualTo(400);
    assertThat(saidInWords.errorBody).contains("\"code\":\"context_length_exceeded\"").doesNotContain("4096");
    var codedOtherwise = decode(provider.decoder(0), List.of(event("{\"type\": \"error\", \"error\": {\"code\": "
        + "\"server_error\", \"message\": \"prompt is too long: 5000 tokens > 4096 maximum\"}}")));
    assertThat(codedOtherwise.errorStatus).isEqualTo(400);
    assertThat(codedOtherwise.errorBody).contains("\"code\":\"context_length_exceeded\"");
  }

  @Test
  void annotationsAreResponsesItemsAfterTheirTextCountedFromTheStartOfTheWholeText() {
    String answer = """
        {"id": "resp_3", "status": "completed", "model": "gpt-4.1", "output": [
          {"type": "message", "id": "msg_1", "role": "assistant", "content": [
            {"type": "output_text", "text": "Héllo. ", "annotations": []},
            {"type": "output_text", "text": "See docs.", "annotations": [
              {"type": "url_citation", "start_index": 4, "end_index": 8, "url": "https://d.example", "title": "D"}]}]}],
         "usage": {"input_tokens": 5, "output_tokens": 7}}""";
    var items = provider.complete(answer.getBytes(StandardCharsets.UTF_8), 0).completion().items();
    String moved = "{\"annotation\":{\"type\":\"url_citation\",\"start_index\":11,\"end_index\":15,"
        + "\"url\":\"https://d.example\",\"title\":\"D\"}}";
    assertThat(items).hasSize(1);
    assertThat(items.getFirst().at()).isEqualTo("Héllo. See docs.".length());
    assertThat(json(items.getFirst().item().json())).isEqualTo(json(moved));

    var streamed = decode(provider.decoder(0), List.of(
        event("{\"type\": \"response.output_item.added\", \"output_index\": 0, \"item\": {\"type\": \"message\"}}"),
        event("{\"type\": \"response.output_text.delta\", \"output_index\": 0, \"content_index\": 0, "
            + "\"delta\": \"Héllo. \"}"),
        event("{\"type\": \"response.output_text.delta\", \"output_index\": 0, \"content_index\": 1, "
            + "\"delta\": \"See docs.\"}"),
        event("{\"type\": \"response.output_text.annotation.added\", \"output_index\": 0, \"content_index\": 1, "
            + "\"annotation_index\": 0, \"annotation\": {\"type\": \"url_citation\", \"start_index\": 4, "
            + "\"end_index\": 8, \"url\": \"https://d.example\", \"title\": \"D\"}}")));
    ChatChunk last = streamed.chunks.getLast();
    assertThat(last.lossy()).isFalse();
    assertThat(last.parts()).singleElement().isInstanceOfSatisfying(ChatChunk.ProtocolItem.class, item -> {
      assertThat(item.protocol()).isEqualTo(WireProtocol.OPENAI_RESPONSES);
      assertThat(json(item.json())).isEqualTo(json(moved));
    });
  }

  @Test
  void marksHostedToolOutputLossyAndRefusesMalformedEvents() {
    var recorded = decode(provider.decoder(0), List.of(
        event("{\"type\": \"response.output_item.added\", \"output_index\": 0, \"item\": {\"type\": \"message\"}}"),
        event("{\"type\": \"response.audio.delta\", \"delta\": \"UklGR\"}"),
        event("{\"type\": \"response.content_part.added\"}")));
    assertThat(recorded.chunks).hasSize(2);
    assertThat(recorded.chunks.get(1).lossy()).isTrue();
    assertThat(failure(() -> decode(provider.decoder(0), List.of("data: [1]\n\n"))).code())
        .isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
    assertThat(failure(() -> decode(provider.decoder(0), List.of(
        event("{\"type\": \"response.function_call_arguments.delta\", \"output_index\": 3, \"delta\": \"x\"}")))).code())
        .isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
  }

  static String event(String json) {
    return "data: " + json + "\n\n";
  }
}
