package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.AnthropicSearch;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One provider event may be as large as a whole answer ({@code server.max_response_bytes}, 2 MiB here): Anthropic
 * gives a {@code web_fetch} result carrying a PDF in one {@code content_block_start}, which reaches its client whole
 * from one call on every route; an event past the limit is refused as a whole answer past it is, not retried.
 */
class LargeStreamEventEndToEndTest {
  static final String MESSAGES = "POST /v1/messages";
  static final int MAX_RESPONSE_BYTES = 2 << 20;
  /** More than the 1 MiB the gateway read of one event before 2026-12-07. */
  static final int PDF = 1536 * 1024;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      server: {max_response_bytes: %2$d}
      targets:
        claude:
          base_url: "%1$s/v1"
          retry_matrix: {"net": {attempts: 3, backoff: constant, base_s: 0.01}}
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-sonnet-4-5}
      """.formatted(up.baseUrl(), MAX_RESPONSE_BYTES)));

  static Res messages() {
    return e2e.gw().http.post("/v1/messages", """
        {"model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": true,
         "messages": [{"role": "user", "content": "Read https://example.com/a.pdf"}],
         "tools": [{"type": "web_fetch_20250910", "name": "web_fetch"}]}""",
        "anthropic-version", "2023-06-01", "X-ReliAPI-Target", "claude");
  }

  @Test
  void aPdfFetchedInOneEventOfOneAndAHalfMiBReachesAMessagesClientWholeFromOneCall() {
    e2e.up().script(MESSAGES, AnthropicSearch.fetchedPdf(PDF));
    Res r = messages();

    assertThat(r.status()).isEqualTo(200);
    JsonNode blocks = AnthropicServerToolsEndToEndTest.streamedBlocks(r);
    assertThat(blocks.get(0).get("type").asText()).isEqualTo("web_fetch_tool_result");
    assertThat(blocks.get(0).at("/content/content/source/data").asText()).hasSize(PDF).matches("J+");
    assertThat(blocks.get(1).get("text").asText()).isEqualTo("It is a PDF.");
    assertThat(e2e.up().count("/v1/messages")).isEqualTo(1);
  }

  @Test
  void theSameStreamReachesAChatCompletionsClientAsItsTextFromOneCall() {
    e2e.up().script(MESSAGES, AnthropicSearch.fetchedPdf(PDF));
    Res r = e2e.gw().http.post("/v1/chat/completions", """
        {"model": "claude-sonnet-4-5", "stream": true, "messages": [{"role": "user", "content": "Read the PDF"}]}""",
        "X-ReliAPI-Target", "claude");

    assertThat(r.status()).isEqualTo(200);
    assertThat(AnthropicServerToolsEndToEndTest.chatText(r)).isEqualTo("It is a PDF.");
    assertThat(SseEvents.parse(r.body()).getLast().data()).isEqualTo("[DONE]");
    assertThat(e2e.up().count("/v1/messages")).isEqualTo(1);
  }

  @Test
  void anEventLargerThanAWholeAnswerMayBeIsRefusedAsTooLargeAndNotRetried() {
    e2e.up().script(MESSAGES, AnthropicSearch.fetchedPdf(MAX_RESPONSE_BYTES + 1024));
    Res r = messages();

    assertThat(r.status()).isEqualTo(502);
    assertThat(r.body()).contains("UPSTREAM_RESPONSE_TOO_LARGE").doesNotContain("JJJJ");
    assertThat(e2e.up().count("/v1/messages")).as("not retried").isEqualTo(1);
  }
}
