package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A hosted tool's call item in a Responses API body is sent to the provider as written though the neutral reading
 * leaves it out: the estimate counts it, so no text rides past a hard cap in one.
 */
class HostedCallTokensTest {
  final TokenCounter counter = TokenCounter.shared();

  static ChatRequest written(String input) {
    return new ChatRequest(Optional.of("gpt-4o"), "gpt-4o", List.of(ChatMessage.text("user", "Hi")),
        Optional.empty(), 10, Optional.empty(), Optional.empty(), List.of(), false, ChatJson.object(),
        ChatJson.object(), Optional.empty(), Optional.of(new NativeBody(WireProtocol.OPENAI_RESPONSES,
            (ObjectNode) ChatFixtures.json("{\"input\": " + input + "}"), false)));
  }

  @Test
  void aHostedCallItemIsCountedAndFunctionCallsAndReasoningAreNotCountedTwice() {
    String query = "word ".repeat(2_000);
    long plain = counter.promptTokens(written("[{\"role\": \"user\", \"content\": \"Hi\"}]"));
    long searched = counter.promptTokens(written("[{\"role\": \"user\", \"content\": \"Hi\"}, {\"type\": "
        + "\"web_search_call\", \"id\": \"ws_1\", \"status\": \"completed\", \"action\": {\"type\": \"search\", "
        + "\"query\": \"" + query + "\"}}]"));
    long others = counter.promptTokens(written("[{\"role\": \"user\", \"content\": \"Hi\"}, {\"type\": "
        + "\"function_call\", \"call_id\": \"c\", \"name\": \"f\", \"arguments\": \"" + query + "\"}, {\"type\": "
        + "\"reasoning\", \"encrypted_content\": \"" + query + "\"}]"));

    assertThat(searched - plain).as("the search's query was invisible to the estimate").isGreaterThan(2_000);
    assertThat(others).as("a function call is counted from the neutral reading; reasoning is not text")
        .isEqualTo(plain);
  }
}
