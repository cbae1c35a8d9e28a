package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.PendingStream;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13 item 3: while a stream is held before its commit point, an SSE comment every
 * {@code llm.stream_keepalive_s} keeps the connection alive; the first one commits the 200 and the SSE headers,
 * after which a failure can only be the protocol's in-band error event. The comments are connection I/O on real
 * timers (1 s here); the provider waits on a gate the test opens once it has seen them.
 */
class StreamKeepAliveEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> {
    return GatewayHarness.yaml("""
        targets:
          held:
            base_url: "%1$s/v1"
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, stream_keepalive_s: 1}
          whole:
            base_url: "%1$s/v1"
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, stream_commit: complete,
                  stream_keepalive_s: 1}
          quiet:
            base_url: "%1$s/v1"
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, stream_keepalive_s: 0}
          claude:
            base_url: "%1$s/claude/v1"
            %2$s
            circuit: {enabled: false}
            llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100, stream_commit: complete,
                  stream_keepalive_s: 1}
        """.formatted(up.baseUrl(), TestYaml.NO_RETRIES));
  });

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aLongWaitForTheFirstTokenSendsKeepAliveCommentsThenTheWholeAnswer(StreamRoute route) throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    e2e.up().script(CHAT, LlmBehaviors.sseGated(EVENTS.subList(0, 1), gate, EVENTS.subList(1, EVENTS.size()), false));
    try (PendingStream pending = route.open(e2e.gw(), "held")) {
      String head = pending.readUntil(": keep-alive", 1);
      pending.readUntil(": keep-alive", route == StreamRoute.V1 ? 2 : 1);
      gate.complete(null);
      Streamed answer = pending.finish();

      assertThat(head).startsWith("HTTP/1.1 200").contains("text/event-stream");
      assertThat(answer.whole()).as(answer.body()).isTrue();
      assertThat(answer.text()).isEqualTo("Hello");
      assertThat(answer.starts()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aFailureAfterTheKeepAliveCommittedTheHeadIsTheProtocolsErrorEvent(StreamRoute route) throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    e2e.up().script(CHAT, LlmBehaviors.sseGated(EVENTS.subList(0, 2), gate, List.of(), true));
    try (PendingStream pending = route.open(e2e.gw(), "whole")) {
      pending.readUntil(": keep-alive", 1);
      gate.complete(null);
      Streamed answer = pending.finish();

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.whole()).isFalse();
      assertThat(answer.text()).as("nothing of the held attempt reached the client").isEmpty();
      assertThat(answer.error()).contains("NETWORK_ERROR");
      if (route == StreamRoute.PROXY_LLM) {
        assertThat(io.reliapi.testing.SseEvents.names(answer.events())).containsExactly("meta", "error");
        assertThat(answer.bodyComplete()).as("the error event ends a /proxy/llm stream").isTrue();
      } else if (route == StreamRoute.RESPONSES) {
        assertThat(io.reliapi.testing.SseEvents.names(answer.events()))
            .containsExactly("response.created", "response.in_progress", "error", "response.failed");
        assertThat(answer.bodyComplete()).as("response.failed ends a Responses stream").isTrue();
      } else if (route == StreamRoute.ANTHROPIC) {
        assertThat(io.reliapi.testing.SseEvents.names(answer.events())).containsExactly("error");
        assertThat(answer.bodyComplete()).as("the error event ends a Messages stream, as Anthropic's own").isTrue();
      } else {
        assertThat(answer.bodyComplete()).as("the chunked body is cut off").isFalse();
      }
    }
  }

  @Test
  void aRawAnthropicStreamThatFailsAfterTheKeepAliveEndsWithAnthropicsErrorObject() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    List<String> events = LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Hel", "lo"), 9, 2);
    e2e.up().script("POST /claude/v1/messages", LlmBehaviors.sseGated(events.subList(0, 4), gate, List.of(), true));
    String body = "{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 100, \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
    try (PendingStream pending = StreamRoute.RAW.open(e2e.gw(), "/t/claude/messages", body)) {
      String head = pending.readUntil(": keep-alive", 1);
      gate.complete(null);
      Streamed answer = pending.finish();

      assertThat(head).startsWith("HTTP/1.1 200").contains("text/event-stream");
      assertThat(io.reliapi.testing.SseEvents.names(answer.events()))
          .as("nothing of the held attempt reached the client").containsExactly("error");
      var error = answer.events().get(0).json();
      assertThat(error.get("type").asText()).isEqualTo("error");
      assertThat(error.get("error").get("type").asText()).isEqualTo("api_error");
      assertThat(error.get("error").get("message").asText()).startsWith("NETWORK_ERROR: ");
      assertThat(error.get("error").get("details").get("error_code").asText()).isEqualTo("NETWORK_ERROR");
      assertThat(error.get("error").get("details").get("status_code").asInt()).isEqualTo(502);
      assertThat(error.get("request_id").asText()).isNotBlank();
      assertThat(head).contains(error.get("request_id").asText());
      assertThat(answer.body()).doesNotContain("claude/v1").doesNotContain("127.0.0.1");
      assertThat(answer.bodyComplete()).as("the error event ends the stream, as Anthropic's own and /v1/messages")
          .isTrue();
    }
  }

  @Test
  void noKeepAliveIsSentWhenItIsOff() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    e2e.up().script(CHAT, LlmBehaviors.sseGated(EVENTS.subList(0, 1), gate, EVENTS.subList(1, EVENTS.size()), false));
    try (PendingStream pending = StreamRoute.V1.open(e2e.gw(), "quiet")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().total() == 1);
      // Longer than a keep-alive of "held" takes, on the same clock: nothing may come meanwhile.
      assertThat(pending.readFor(Duration.ofMillis(1500))).isEmpty();
      gate.complete(null);
      Streamed answer = pending.finish();
      assertThat(answer.whole()).isTrue();
      assertThat(answer.body()).doesNotContain(": keep-alive");
    }
  }
}
