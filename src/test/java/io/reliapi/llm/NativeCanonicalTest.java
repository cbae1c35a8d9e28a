package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The canonical form (cache and idempotency key) of a request the client wrote in a provider protocol. */
class NativeCanonicalTest {

  static ChatRequest written(String body, boolean stream, boolean answeredAsIs) {
    return new ChatRequest(Optional.of("m"), "m", List.of(ChatMessage.text("user", "Hi")), Optional.empty(), 10,
        Optional.empty(), Optional.empty(), List.of(), stream, ChatJson.object(), ChatJson.object(), Optional.empty(),
        Optional.of(new NativeBody(WireProtocol.OPENAI_RESPONSES, (ObjectNode) ChatFixtures.json(body), answeredAsIs)));
  }

  @Test
  void aRenderedAnswerIsKeyedTheSameStreamedOrNot() {
    var streamed = ChatJson.canonical(written("{\"input\": \"Hi\", \"stream\": true, \"stream_options\": {}}", true,
        false));
    var whole = ChatJson.canonical(written("{\"input\": \"Hi\"}", false, false));
    assertThat(streamed).isEqualTo(whole);
    assertThat(whole.toString()).contains("\"protocol\":\"OPENAI_RESPONSES\"");
  }

  @Test
  void aRawRoutesAnswerIsKeyedWithItsStreamFlag() {
    var streamed = ChatJson.canonical(written("{\"input\": \"Hi\", \"stream\": true}", true, true));
    var whole = ChatJson.canonical(written("{\"input\": \"Hi\"}", false, true));
    assertThat(streamed).isNotEqualTo(whole);
  }
}
