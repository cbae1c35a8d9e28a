package io.reliapi.llm.resume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig.Provider;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContinuationRequestTest {
  static final ChatRequest ASKED = new ChatRequest(Optional.empty(), "claude-haiku-4-5",
      List.of(ChatMessage.text("user", "Hi")), Optional.of(100), 100, Optional.empty(), Optional.empty(), List.of(),
      true, ChatJson.object(), ChatJson.object(), Optional.empty());

  static String text(ChatMessage message) {
    return ((Content.Text) message.content().orElseThrow()).text();
  }

  @Test
  void anthropicIsGivenTheTextWithoutTrailingWhitespaceAndTheOutputLeft() {
    ContinuationRequest next = ContinuationRequest.of(ASKED, Provider.ANTHROPIC, "Bonjour, le \n", 7).orElseThrow();
    assertThat(next.prefix()).isEqualTo("Bonjour, le");
    assertThat(next.echoed()).isFalse();
    assertThat(next.request().maxTokens()).isEqualTo(93);
    ChatMessage last = next.request().messages().getLast();
    assertThat(last.role()).isEqualTo("assistant");
    assertThat(text(last)).isEqualTo("Bonjour, le");
    assertThat(next.request().messages()).hasSize(2);
  }

  @Test
  void mistralIsGivenTheTextAsItWasSentMarkedAsAPrefix() {
    ContinuationRequest next = ContinuationRequest.of(ASKED, Provider.MISTRAL, "Bonjour ", 2).orElseThrow();
    assertThat(next.prefix()).isEqualTo("Bonjour ");
    assertThat(next.echoed()).isTrue();
    assertThat(next.request().messages().getLast().fields().path("prefix").asBoolean()).isTrue();
  }

  @Test
  void aBodyWrittenInAnthropicsProtocolCarriesThePrefillInItsOwnMessages() {
    ObjectNode body = ChatJson.object().put("model", "claude-haiku-4-5");
    body.putArray("messages").addObject().put("role", "user").put("content", "Hi");
    ChatRequest asked = new ChatRequest(ASKED.requestedModel(), ASKED.model(), ASKED.messages(),
        ASKED.requestedMaxTokens(), 100, Optional.empty(), Optional.empty(), List.of(), true, ChatJson.object(),
        ChatJson.object(), Optional.empty(), Optional.of(new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, body, false)));

    ContinuationRequest next = ContinuationRequest.of(asked, Provider.ANTHROPIC, "Bonjour ", 2).orElseThrow();

    ObjectNode sent = next.request().nativeBody().orElseThrow().body();
    assertThat(sent.path("messages")).hasSize(2);
    assertThat(sent.path("messages").get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(sent.path("messages").get(1).path("content").asText()).isEqualTo("Bonjour");
    assertThat(body.path("messages")).as("the client's body is left as it was").hasSize(1);
  }

  @Test
  void nothingIsAskedForWithoutTextToGiveOrOutputLeft() {
    assertThat(ContinuationRequest.of(ASKED, Provider.ANTHROPIC, " \n", 1)).isEmpty();
    assertThat(ContinuationRequest.of(ASKED, Provider.ANTHROPIC, "Bonjour", 100)).isEmpty();
  }
}
