package io.reliapi.llm.anthropic;

import static io.reliapi.llm.ChatFixtures.decode;
import static io.reliapi.llm.ChatFixtures.failure;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.WireProtocol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a streamed block held as an item ends: text cited before or after it came, text that cited nothing, a call whose
 * input broke; and what it holds counted against the request's memory budget while it is open.
 */
class ItemBlocksTest {
  static List<ChatChunk.Part> parts(String... blockEvents) {
    List<String> events = new ArrayList<>();
    events.add(event("message_start", "\"message\":{\"id\":\"msg_1\",\"model\":\"claude\",\"usage\":{}}"));
    events.addAll(List.of(blockEvents));
    events.add(event("message_stop", ""));
    List<ChatChunk.Part> parts = new ArrayList<>();
    decode(new AnthropicStreamDecoder(0), events).chunks.forEach(chunk -> parts.addAll(chunk.parts()));
    return parts.subList(1, parts.size()); // after the start
  }

  static String event(String type, String fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}\n\n";
  }

  static String start(String block) {
    return event("content_block_start", "\"index\":0,\"content_block\":" + block);
  }

  static String delta(String delta) {
    return event("content_block_delta", "\"index\":0,\"delta\":" + delta);
  }

  static final String STOP = event("content_block_stop", "\"index\":0");

  @Test
  void aTextBlockCitedBeforeItsTextIsACitedBlockAndOneCitedAfterGetsTheCitationAsAnItemOfItsOwn() {
    String citation = "{\"type\":\"char_location\",\"cited_text\":\"x\"}";
    var first = parts(start("{\"type\":\"text\",\"text\":\"\"}"),
        delta("{\"type\":\"citations_delta\",\"citation\":" + citation + "}"),
        delta("{\"type\":\"text_delta\",\"text\":\"Cited.\"}"), STOP);
    var after = parts(start("{\"type\":\"text\",\"text\":\"\"}"),
        delta("{\"type\":\"text_delta\",\"text\":\"According to it.\"}"),
        delta("{\"type\":\"citations_delta\",\"citation\":" + citation + "}"), STOP);

    assertThat(first).containsExactly(new ChatChunk.ProtocolItem(WireProtocol.ANTHROPIC_MESSAGES,
        "{\"type\":\"text\",\"text\":\"Cited.\",\"citations\":[" + citation + "]}", "Cited."));
    assertThat(after).containsExactly(new ChatChunk.Text("According to it."), new ChatChunk.ProtocolItem(
        WireProtocol.ANTHROPIC_MESSAGES, "{\"type\":\"citations_delta\",\"citation\":" + citation + "}", ""));
  }

  @Test
  void aTextBlockThatStartedWithCitationsButCitedNothingIsPlainText() {
    var parts = parts(start("{\"type\":\"text\",\"text\":\"\",\"citations\":[]}"),
        delta("{\"type\":\"text_delta\",\"text\":\"Plain.\"}"), STOP);

    assertThat(parts).containsExactly(new ChatChunk.Text("Plain."));
  }

  @Test
  void aServerToolCallWhoseInputNeverBecameJsonKeepsTheInputItStartedWith() {
    var parts = parts(start("{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_fetch\",\"input\":{}}"),
        delta("{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"url\\\": \"}"), STOP);

    assertThat(parts).hasSize(1);
    assertThat(json(((ChatChunk.ProtocolItem) parts.getFirst()).json())).isEqualTo(json("""
        {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_fetch", "input": {}}"""));
  }

  /** A {@code web_fetch_tool_result} holding a PDF of {@code size} base64 characters, whole in its start. */
  static String fetchedPdf(int size) {
    return start("{\"type\":\"web_fetch_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":{\"type\":"
        + "\"web_fetch_result\",\"url\":\"https://example.com/a.pdf\",\"content\":{\"type\":\"document\","
        + "\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"" + "J".repeat(size)
        + "\"}}}}");
  }

  @Test
  void aHeldBlockIsTakenFromTheRequestsBudgetAsItArrivesAndOneBeyondItFailsTheStream() {
    String open = event("message_start", "\"message\":{\"id\":\"msg_1\",\"model\":\"claude\",\"usage\":{}}");
    String cited = event("content_block_start", "\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\","
        + "\"citations\":[]}");
    String text = event("content_block_delta", "\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\""
        + "x".repeat(8000) + "\"}");
    HeldBytes roomy = new HeldBytes(new ByteBudget(1 << 20));
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(0);
    decoder.bufferedIn(roomy);
    decode(decoder, List.of(open, fetchedPdf(64 * 1024), cited, text));
    assertThat(roomy.held()).as("both blocks open: neither given on yet").isGreaterThan(64 * 1024 + 8000);

    AnthropicStreamDecoder small = new AnthropicStreamDecoder(0);
    small.bufferedIn(new HeldBytes(new ByteBudget(16 * 1024)));
    var shed = failure(() -> decode(small, List.of(open, fetchedPdf(64 * 1024), STOP)));
    assertThat(shed.code()).isEqualTo(ErrorCode.OVERLOADED);
  }
}
