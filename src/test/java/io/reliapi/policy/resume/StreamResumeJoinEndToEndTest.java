package io.reliapi.policy.resume;

import static io.reliapi.policy.resume.ResumeGateway.MODEL;
import static io.reliapi.policy.resume.ResumeGateway.cutAfter;
import static io.reliapi.policy.resume.ResumeGateway.lastMessage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.StreamRoute;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a continuation's text joins the text the client has: Anthropic's trimmed whitespace neither doubled nor
 * lost, Mistral's copy of its prefix dropped only when it comes whole (docs/streaming.md, "Continuing a broken
 * stream").
 */
class StreamResumeJoinEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = ResumeGateway.create();

  @Test
  void whitespaceAnthropicRefusesAtTheEndOfAPrefillIsNeitherDoubledNorLost() {
    MockUpstream up = e2e.up();
    up.script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bonjour,", " le ")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" ", "monde\\n"), 30, 3), 1));
    int before = up.requests().size();

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "claude");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour, le monde\n");
    assertThat(lastMessage(e2e, before, 1).path("content").asText()).as("no trailing whitespace")
        .isEqualTo("Bonjour, le");
  }

  @Test
  void aContinuationWrittenWithoutTheTrimmedSpaceKeepsTheOneSent() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bonjour ")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of("monde"), 30, 3), 1));

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "claude");

    assertThat(answer.text()).isEqualTo("Bonjour monde");
  }

  @Test
  void mistralIsGivenTheTextAsAPrefixAndItsCopyOfItIsDropped() {
    List<String> first = LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bon", "jour "), 12, 5);
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(first.subList(0, 3), 1),
        LlmBehaviors.sse(LlmBehaviors.mistralStreamEvents("mistral-small-latest",
            List.of("Bon", "jour le", " monde"), 14, 3), 1));
    int before = e2e.up().requests().size();

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "mistral");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour le monde");
    JsonNode prefix = lastMessage(e2e, before, 1);
    assertThat(prefix.path("role").asText()).isEqualTo("assistant");
    assertThat(prefix.path("content").asText()).as("whitespace and all").isEqualTo("Bonjour ");
    assertThat(prefix.path("prefix").asBoolean()).isTrue();
    JsonNode usage = answer.events().stream().map(SseEvents.Event::data).filter(d -> d.contains("\"usage\""))
        .map(ResumeGateway::json).reduce((a, b) -> b).orElseThrow().path("usage");
    assertThat(usage.path("prompt_tokens").asLong()).as("both calls' prompts, in Mistral's last chunk")
        .isGreaterThan(14);
    assertThat(usage.path("completion_tokens").asLong()).isGreaterThan(3);
  }

  @Test
  void aMistralContinuationThatDoesNotRepeatThePrefixIsKeptWhole() {
    List<String> first = LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bon", "jour"), 12, 5);
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(first.subList(0, 3), 1),
        LlmBehaviors.sse(LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bo", "nsoir"), 14, 3), 1));

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "mistral");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).as("a start like the prefix's that parts from it is not an echo")
        .isEqualTo("BonjourBonsoir");
  }

  @Test
  void aMistralContinuationEndingWithoutAFinishKeepsTheTextItHeldAsAPossibleCopy() {
    List<String> first = LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bon", "jour "), 12, 5);
    List<String> rest = LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bon", "jou"), 14, 3);
    List<String> unfinished = new ArrayList<>(rest.subList(0, 3));
    unfinished.add("data: [DONE]\n\n");
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(first.subList(0, 3), 1),
        LlmBehaviors.sse(unfinished, 1));

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "mistral");

    assertThat(answer.text()).as("what it wrote, held as the start of a copy of its prefix, is not lost: %s",
        answer.body()).isEqualTo("Bonjour Bonjou");
  }
}
