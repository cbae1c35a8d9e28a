package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.WebSearchTool20250305;
import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ProtocolItems;
import io.reliapi.testing.AnthropicSearch;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An Anthropic answer that searched the web with the {@code web_search} server tool reaches a {@code /v1/messages}
 * client (Claude Code) with its server tool blocks, its search results and its cited text, in order and at dense
 * indices, whole, streamed and replayed from the idempotency store and the cache; an OpenAI, Responses or envelope
 * client of the same answer reads its text alone.
 */
class AnthropicServerToolsEndToEndTest {
  static final String MESSAGES = "POST /v1/messages";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-sonnet-4-5}
        cached:
          base_url: "%1$s/v1"
          %2$s
          cache: {ttl_s: 60}
          llm: {provider: anthropic, default_model: claude-sonnet-4-5}
        retried:
          base_url: "%1$s/v1"
          retry_matrix: {"5xx": {attempts: 2, backoff: constant, base_s: 0.01}}
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-sonnet-4-5}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  static TestHttp.Res messages(String target, String question, boolean stream, String... headers) {
    List<String> all = new java.util.ArrayList<>(List.of("anthropic-version", "2023-06-01", "X-ReliAPI-Target", target));
    all.addAll(List.of(headers));
    return e2e.gw().http.post("/v1/messages", """
        {"model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": %s,
         "messages": [{"role": "user", "content": "%s"}],
         "tools": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 3}]}"""
        .formatted(stream, question), all.toArray(String[]::new));
  }

  static TestHttp.Res chat(String question, boolean stream) {
    return chat("claude", question, stream);
  }

  static TestHttp.Res chat(String target, String question, boolean stream) {
    return e2e.gw().http.post("/v1/chat/completions", """
        {"model": "claude-sonnet-4-5", "stream": %s, "messages": [{"role": "user", "content": "%s"}]}"""
        .formatted(stream, question), "X-ReliAPI-Target", target);
  }

  /** The text of a streamed chat answer, its deltas' content joined. */
  static String chatText(TestHttp.Res streamed) {
    StringBuilder text = new StringBuilder();
    for (SseEvents.Event event : SseEvents.parse(streamed.body())) {
      if (!event.data().equals("[DONE]")) {
        text.append(event.json().path("choices").path(0).path("delta").path("content").asText(""));
      }
    }
    return text.toString();
  }

  /** The text of a streamed envelope answer, its chunks' deltas joined. */
  static String envelopeText(TestHttp.Res streamed) {
    StringBuilder text = new StringBuilder();
    SseEvents.parse(streamed.body()).stream().filter(e -> "chunk".equals(e.name()))
        .forEach(e -> text.append(e.json().get("delta").asText()));
    return text.toString();
  }

  /** The blocks of a streamed message as a client accumulates them, checked to start at dense indices. */
  static JsonNode streamedBlocks(TestHttp.Res r) {
    List<SseEvents.Event> events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).doesNotContain("error").endsWith("message_delta", "message_stop");
    return AnthropicSearch.blocks(events);
  }

  @Test
  void aWholeAnswerKeepsItsServerToolBlocksAndCitationsInOrder() {
    e2e.up().script(MESSAGES, AnthropicSearch.whole());
    var r = messages("claude", "Is Vert.x 5 out?", false);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("content")).isEqualTo(AnthropicSearch.content());
    assertThat(r.json().get("usage").get("output_tokens").asInt()).isEqualTo(80);
    // The provider's usage and one search, each charged once: 2100 * $3/M + 80 * $15/M + $0.01.
    assertThat(Double.parseDouble(r.header("X-ReliAPI-Cost-USD"))).isCloseTo(0.0175, within(1e-9));
  }

  @Test
  void aStreamedAnswerGivesEachBlockAtItsIndexWithTheCallsInputAndTheCitations() {
    e2e.up().script(MESSAGES, AnthropicSearch.streamed());
    var r = messages("claude", "Is Vert.x 5 out, streamed?", true);

    assertThat(r.status()).isEqualTo(200);
    assertThat(streamedBlocks(r)).isEqualTo(AnthropicSearch.content());
  }

  @Test
  void theAnthropicSdkReadsTheSearchWholeAndStreamed() {
    AnthropicClient sdk = AnthropicOkHttpClient.builder().baseUrl(e2e.gw().http.url("")).apiKey("unused")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).putHeader("X-ReliAPI-Target", "claude").build();
    try {
      MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024)
          .addUserMessage("Is Vert.x 5 out, SDK?").addTool(WebSearchTool20250305.builder().maxUses(3).build()).build();
      e2e.up().script(MESSAGES, AnthropicSearch.whole());
      Message whole = sdk.messages().create(params);
      e2e.up().script(MESSAGES, AnthropicSearch.streamed());
      MessageAccumulator accumulator = MessageAccumulator.create();
      try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
        stream.stream().forEach(accumulator::accumulate);
      }

      for (Message message : List.of(whole, accumulator.message())) {
        List<ContentBlock> content = message.content();
        assertThat(content).hasSize(5);
        assertThat(content.get(1).serverToolUse().orElseThrow()._input())
            .isEqualTo(JsonValue.from(java.util.Map.of("query", "vert.x 5 release")));
        assertThat(content.get(2).webSearchToolResult().orElseThrow().content().resultBlocks().orElseThrow()
            .getFirst().url()).isEqualTo("https://vertx.io/blog");
        var cited = content.get(3).text().orElseThrow();
        assertThat(cited.text()).isEqualTo("Vert.x 5 is out.");
        assertThat(cited.citations().orElseThrow().getFirst().webSearchResultLocation().orElseThrow().citedText())
            .isEqualTo("Vert.x 5 was released");
        assertThat(content.get(4).text().orElseThrow().text()).isEqualTo(" Upgrade soon.");
      }
    } finally {
      sdk.close();
    }
  }

  @Test
  void anOpenAiClientOfTheSameAnswerReadsItsTextAlone() {
    e2e.up().script("POST /v1/messages", AnthropicSearch.whole());
    var whole = chat("Is Vert.x 5 out, OpenAI?", false);
    e2e.up().script("POST /v1/messages", AnthropicSearch.streamed());
    var streamed = chat("Is Vert.x 5 out, OpenAI streamed?", true);

    JsonNode message = whole.json().get("choices").get(0).get("message");
    assertThat(message.get("content").asText()).isEqualTo(AnthropicSearch.TEXT);
    assertThat(message.has(ProtocolItems.MEMBER)).isFalse();
    assertThat(whole.body()).doesNotContain("server_tool_use").doesNotContain("encrypted_index");
    assertThat(chatText(streamed)).isEqualTo(AnthropicSearch.TEXT);
    assertThat(streamed.body()).doesNotContain("server_tool_use").doesNotContain("encrypted_index");
  }

  /**
   * A Responses client of the same answer reads its text alone, whole and streamed: the blocks became their text where
   * they left the decoder, so its renderer ({@code OutputItems}) is given only items of its own protocol.
   */
  @Test
  void aResponsesClientOfTheSameAnswerReadsItsTextAlone() {
    e2e.up().script(MESSAGES, AnthropicSearch.whole());
    var whole = e2e.gw().http.post("/v1/responses", """
        {"model": "claude-sonnet-4-5", "input": "Is Vert.x 5 out, Responses?"}""", "X-ReliAPI-Target", "claude");
    e2e.up().script(MESSAGES, AnthropicSearch.streamed());
    var streamed = e2e.gw().http.post("/v1/responses", """
        {"model": "claude-sonnet-4-5", "stream": true, "input": "Responses streamed?"}""", "X-ReliAPI-Target", "claude");

    JsonNode output = whole.json().get("output");
    assertThat(output).hasSize(1);
    assertThat(output.get(0).get("type").asText()).isEqualTo("message");
    assertThat(output.get(0).get("content").get(0).get("text").asText()).isEqualTo(AnthropicSearch.TEXT);
    List<SseEvents.Event> events = SseEvents.parse(streamed.body());
    JsonNode completed = events.getLast().json().get("response");
    assertThat(events.getLast().name()).isEqualTo("response.completed");
    assertThat(completed.get("output")).isEqualTo(output);
    for (var r : List.of(whole, streamed)) {
      assertThat(r.body()).doesNotContain("server_tool_use").doesNotContain("encrypted_index");
    }
  }

  @Test
  void anEnvelopeClientOfTheSameAnswerReadsItsTextAlone() {
    e2e.up().script(MESSAGES, AnthropicSearch.whole());
    var whole = e2e.gw().http.post("/proxy/llm", """
        {"target": "claude", "messages": [{"role": "user", "content": "Is Vert.x 5 out, envelope?"}]}""");
    e2e.up().script(MESSAGES, AnthropicSearch.streamed());
    var streamed = e2e.gw().http.post("/proxy/llm", """
        {"target": "claude", "stream": true, "messages": [{"role": "user", "content": "Envelope streamed?"}]}""");

    assertThat(whole.json().get("data").get("content").asText()).isEqualTo(AnthropicSearch.TEXT);
    assertThat(envelopeText(streamed)).isEqualTo(AnthropicSearch.TEXT);
    for (var r : List.of(whole, streamed)) {
      assertThat(r.body()).doesNotContain("server_tool_use").doesNotContain("encrypted_index");
    }
  }

  /**
   * The search's blocks are nothing a chat or envelope client reads: an overload after them, before any text, is
   * before that client's first token, so the stream is retried unseen and the client reads the retry's answer alone.
   */
  @Test
  void anOverloadAfterTheSearchBeforeAnyTextIsRetriedUnseenByAChatOrEnvelopeClient() {
    e2e.up().script(MESSAGES, AnthropicSearch.overloadedAfterTheSearch(), AnthropicSearch.streamed());
    var chat = chat("retried", "Overloaded search, chat?", true);
    e2e.up().script(MESSAGES, AnthropicSearch.overloadedAfterTheSearch(), AnthropicSearch.streamed());
    var envelope = e2e.gw().http.post("/proxy/llm", """
        {"target": "retried", "stream": true, "messages": [{"role": "user", "content": "Overloaded, envelope?"}]}""");

    assertThat(chat.status()).isEqualTo(200);
    assertThat(chat.header("X-Retries")).isEqualTo("1");
    assertThat(chatText(chat)).isEqualTo(AnthropicSearch.TEXT);
    assertThat(chat.body()).doesNotContain("error").doesNotContain("msg_01Broken");
    assertThat(envelope.status()).isEqualTo(200);
    assertThat(envelopeText(envelope)).isEqualTo(AnthropicSearch.TEXT);
    assertThat(SseEvents.names(SseEvents.parse(envelope.body()))).doesNotContain("error").endsWith("done");
    assertThat(e2e.up().count("/v1/messages")).isEqualTo(4);
  }

  @Test
  void aKeyedStreamIsReplayedWithItsBlocksWholeAndStreamed() {
    e2e.up().script(MESSAGES, AnthropicSearch.streamed());
    var first = messages("claude", "Keyed search?", true, "Idempotency-Key", "k-search-1");
    var whole = messages("claude", "Keyed search?", false, "Idempotency-Key", "k-search-1");
    var streamed = messages("claude", "Keyed search?", true, "Idempotency-Key", "k-search-1");

    assertThat(streamedBlocks(first)).isEqualTo(AnthropicSearch.content());
    assertThat(whole.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(whole.json().get("content")).isEqualTo(AnthropicSearch.content());
    assertThat(streamed.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(streamedBlocks(streamed)).isEqualTo(AnthropicSearch.content());
    assertThat(e2e.up().count("/v1/messages")).isEqualTo(1);
  }

  @Test
  void thinkingAfterTheSearchResultStaysInItsPlaceWholeAndReplayed() {
    String before = "{\"type\":\"thinking\",\"thinking\":\"Search first.\",\"signature\":\"EqQBSig1\"}";
    String after = "{\"type\":\"thinking\",\"thinking\":\"The blog says so.\",\"signature\":\"EqQBSig2\"}";
    String redacted = "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3\"}";
    String content = "[" + before + "," + AnthropicSearch.CALL + "," + AnthropicSearch.RESULT + "," + after + ","
        + redacted + ",{\"type\":\"text\",\"text\":\"Vert.x 5 is out.\"}]";
    e2e.up().script(MESSAGES, AnthropicSearch.whole(content));
    var first = messages("cached", "Thought about?", false);
    var whole = messages("cached", "Thought about?", false);
    var streamed = messages("cached", "Thought about?", true);

    JsonNode given = AnthropicSearch.json(content);
    assertThat(first.json().get("content")).isEqualTo(given);
    assertThat(whole.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(whole.json().get("content")).isEqualTo(given);
    assertThat(streamed.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(streamedBlocks(streamed)).isEqualTo(given);
  }

  @Test
  void aCachedAnswerIsReplayedWithItsBlocksWholeAndStreamed() {
    e2e.up().script(MESSAGES, AnthropicSearch.whole());
    var first = messages("cached", "Cached search?", false);
    var whole = messages("cached", "Cached search?", false);
    var streamed = messages("cached", "Cached search?", true);

    assertThat(first.json().get("content")).isEqualTo(AnthropicSearch.content());
    assertThat(whole.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(whole.json().get("content")).isEqualTo(AnthropicSearch.content());
    assertThat(streamed.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(streamedBlocks(streamed)).isEqualTo(AnthropicSearch.content());
  }
}
