package io.reliapi.llm.anthropic;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.decode;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.StreamDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A Messages API body a client sent to an Anthropic target's raw routes, and what Anthropic bills as output. */
class AnthropicNativeCallTest {
  final AnthropicProvider provider = new AnthropicProvider();
  final LlmConfig llm = ChatFixtures.llm(LlmConfig.Provider.ANTHROPIC, "2023-06-01");
  static final String BODY = """
      {"model": "claude-haiku-4-5", "max_tokens": 30000, "system": "Be brief.",
       "tools": [{"name": "lookup", "input_schema": {"type": "object"}}],
       "messages": [{"role": "user",
                     "content": [{"type": "text", "text": "Hi", "cache_control": {"type": "ephemeral"}}]}]}""";

  @Test
  void readsTheMessagesBodyAndSendsItBackWithTheGatewaysModelAndLimit() {
    ChatRequest read = provider.readNative((ObjectNode) json(BODY));
    assertThat(read.requestedMaxTokens()).contains(30000);
    assertThat(read.options().has("system")).isTrue();
    assertThat(read.options().has("tools")).isTrue();
    assertThat(provider.chatPath()).isEqualTo("/messages");

    HttpCall call = provider.nativeCall(read.forTarget("claude-haiku-4-5", 100), llm);
    assertThat(call.pathAndQuery()).isEqualTo("/messages");
    assertThat(call.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    ObjectNode expected = (ObjectNode) json(BODY);
    expected.put("max_tokens", 100);
    assertThat(body(call)).isEqualTo(expected);
    assertThat(provider.withheld(read)).isNull();
  }

  @Test
  void sendsTheProtocolHeadersThatCameWithABodyFromTheMessagesRoute() {
    ChatRequest read = provider.readNative((ObjectNode) json(BODY));
    ChatRequest routed = withNative(read, new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, (ObjectNode) json(BODY),
        false, Map.of("anthropic-beta", "a-2025,b-2025"), Optional.empty()));

    HttpCall call = provider.nativeCall(routed.forTarget("claude-sonnet-4-5", 200), llm);
    assertThat(call.headers().get("anthropic-beta")).isEqualTo("a-2025,b-2025");
    assertThat(call.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(body(call).get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(body(call).get("max_tokens").asInt()).isEqualTo(200);
  }

  @Test
  void countsTheClientsBodyWithoutTheFieldsThatShapeOnlyTheAnswer() {
    ObjectNode written = (ObjectNode) json(BODY);
    written.put("stream", true).put("temperature", 0.2).put("top_k", 3).putObject("metadata").put("user_id", "u");
    ChatRequest routed = withNative(provider.readNative(written), new NativeBody(WireProtocol.ANTHROPIC_MESSAGES,
        written, false, Map.of("anthropic-beta", "x"), Optional.empty()));

    HttpCall call = provider.countCall(routed.forTarget("claude-haiku-4-5", 100), llm).orElseThrow();
    assertThat(call.pathAndQuery()).isEqualTo("/messages/count_tokens");
    assertThat(call.headers().get("anthropic-beta")).isEqualTo("x");
    assertThat(call.headers().get("Accept")).isEqualTo("application/json");
    ObjectNode expected = (ObjectNode) json(BODY);
    expected.remove("max_tokens");
    assertThat(body(call)).isEqualTo(expected);
  }

  @Test
  void countsARequestWrittenInAnotherProtocolThroughItsTranslation() {
    ChatRequest openAi = ChatFixtures.request("claude-haiku-4-5",
        "[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]",
        50, true, "{}", "{}");
    HttpCall call = provider.countCall(openAi, llm).orElseThrow();
    assertThat(body(call)).isEqualTo(json("""
        {"model": "claude-haiku-4-5", "system": "Be brief.", "messages": [{"role": "user", "content": "Hi"}]}"""));
  }

  @Test
  void readsTheCountOrNothing() {
    assertThat(provider.count("{\"input_tokens\": 2095}".getBytes(StandardCharsets.UTF_8))).hasValue(2095);
    assertThat(provider.count("{\"input_tokens\": \"many\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(provider.count("{\"input_tokens\": -1}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(provider.count("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void readsThinkingBlocksOfAWholeAnswerWithTheirSignatures() {
    var completion = provider.complete("""
        {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
         "content": [{"type": "thinking", "thinking": "Hmm.", "signature": "sig"},
                     {"type": "redacted_thinking", "data": "opaque"}, {"type": "text", "text": "Yes."}],
         "stop_reason": "end_turn", "usage": {"input_tokens": 5, "output_tokens": 9}}"""
        .getBytes(StandardCharsets.UTF_8), 0).completion();
    assertThat(completion.reasoning()).containsExactly(new ChatChunk.Reasoning("Hmm.", "sig", false),
        new ChatChunk.Reasoning("opaque", null, true));
    assertThat(completion.content()).isEqualTo("Yes.");
  }

  @Test
  void decodesSignaturesAndRedactedThinkingOfAStream() {
    var recorded = decode(provider.decoder(0), List.of(
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
            + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}\n\n"));
    assertThat(recorded.chunks.stream().flatMap(c -> c.parts().stream()).toList()).containsExactly(
        new ChatChunk.Reasoning("opaque", null, true), new ChatChunk.Reasoning("", "sig", false));
  }

  private static ChatRequest withNative(ChatRequest r, NativeBody body) {
    return new ChatRequest(r.requestedModel(), r.model(), r.messages(), r.requestedMaxTokens(), r.maxTokens(),
        r.temperature(), r.topP(), r.stop(), r.stream(), r.options(), r.extra(), r.estimate(), Optional.of(body));
  }

  @Test
  void countsToolInputAndThinkingOfAStreamAsBilledOutput() {
    StreamDecoder decoder = provider.decoder(0);
    decode(decoder, List.of(
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm. \"}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,"
            + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"lookup\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
            + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\": 1}\"}}\n\n"));
    assertThat(decoder.billedOutput()).isEqualTo("Hmm. lookup{\"q\": 1}");
  }

  @Test
  void countsToolUseAndThinkingOfAWholeAnswerAsBilledOutput() {
    var completion = provider.complete("""
        {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
         "content": [{"type": "thinking", "thinking": "Hmm.", "signature": "sig"},
                     {"type": "text", "text": "Let me look."},
                     {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": 1}}],
         "stop_reason": "tool_use", "usage": {"input_tokens": 5, "output_tokens": 9}}"""
        .getBytes(StandardCharsets.UTF_8), 0);
    assertThat(completion.billedOutput()).isEqualTo("Hmm.Let me look.lookup{\"q\":1}");
  }
}
