package io.reliapi.llm.anthropic;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.decode;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.StreamDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
