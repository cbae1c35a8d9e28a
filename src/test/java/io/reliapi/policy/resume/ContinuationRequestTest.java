package io.reliapi.policy.resume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.config.LlmConfig.Provider;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.CostEstimate;
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
    ContinuationRequest next =
        ContinuationRequest.of(ASKED, Provider.ANTHROPIC, "Bonjour, le \n", 7, String::length).orElseThrow();
    assertThat(next.prefix()).isEqualTo("Bonjour, le");
    assertThat(next.echoed()).isFalse();
    assertThat(next.request().maxTokens()).isEqualTo(93);
    ChatMessage last = next.request().messages().getLast();
    assertThat(last.role()).isEqualTo("assistant");
    assertThat(text(last)).isEqualTo("Bonjour, le");
    assertThat(next.request().messages()).hasSize(2);
  }

  @Test
  void aContinuationIsEstimatedAsItsOwnRequestThePrefixInItsPromptAndTheOutputLeft() {
    // $1 a prompt token, $2 an output token: the original, 10 prompt tokens and 100 out, is estimated at $210.
    CostEstimate estimate = new CostEstimate(10, 100, Optional.of(new ModelPrice(1_000_000, 2_000_000)),
        Optional.of(210.0));

    ContinuationRequest next = ContinuationRequest.of(ASKED.withEstimate(estimate), Provider.ANTHROPIC, "Bonjour ",
        7, String::length).orElseThrow();

    CostEstimate own = next.request().estimate().orElseThrow();
    assertThat(own.promptTokens()).as("the prompt and the 7 tokens of the prefix given").isEqualTo(17);
    assertThat(own.maxTokens()).isEqualTo(93);
    assertThat(own.usd()).contains(17 + 93 * 2.0);
    assertThat(own.price()).isEqualTo(estimate.price());
  }

  @Test
  void anthropicsPrefillLosesEveryKindOfTrailingSpaceTheNoBreakOnesToo() {
    ContinuationRequest next = ContinuationRequest.of(ASKED, Provider.ANTHROPIC, "Prix\u00a0: 12\u202f€\u00a0\u2009\n",
        7, String::length).orElseThrow();

    assertThat(next.prefix()).isEqualTo("Prix\u00a0: 12\u202f€");
    assertThat(ContinuationRequest.of(ASKED, Provider.ANTHROPIC, "\u00a0\u202f\u3000", 1, String::length))
        .as("nothing but space is nothing to give").isEmpty();
  }

  @Test
  void mistralIsGivenTheTextAsItWasSentMarkedAsAPrefix() {
    ContinuationRequest next =
        ContinuationRequest.of(ASKED, Provider.MISTRAL, "Bonjour ", 2, String::length).orElseThrow();
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

    ContinuationRequest next =
        ContinuationRequest.of(asked, Provider.ANTHROPIC, "Bonjour ", 2, String::length).orElseThrow();

    ObjectNode sent = next.request().nativeBody().orElseThrow().body();
    assertThat(sent.path("messages")).hasSize(2);
    assertThat(sent.path("messages").get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(sent.path("messages").get(1).path("content").asText()).isEqualTo("Bonjour");
    assertThat(body.path("messages")).as("the client's body is left as it was").hasSize(1);
  }

  @Test
  void nothingIsAskedForWithoutTextToGiveOrOutputLeft() {
    assertThat(ContinuationRequest.of(ASKED, Provider.ANTHROPIC, " \n", 1, String::length)).isEmpty();
    assertThat(ContinuationRequest.of(ASKED, Provider.ANTHROPIC, "Bonjour", 100, String::length)).isEmpty();
  }
}
