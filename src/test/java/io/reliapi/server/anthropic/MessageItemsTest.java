package io.reliapi.server.anthropic;

import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ProtocolItems;
import io.reliapi.llm.WireProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An Anthropic message shows its own protocol's items as blocks in their places, never another protocol's, and a
 * citation that came after its text in that text's block, whole and streamed.
 */
class MessageItemsTest {
  @Test
  void writesAnthropicItemsAsBlocksInTheirPlacesAndLeavesAnotherProtocolsOut() {
    var reasoning = new ChatChunk.ProtocolItem(WireProtocol.OPENAI_RESPONSES,
        "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[],\"encrypted_content\":\"gAAA\"}", "");
    var result = new ChatChunk.ProtocolItem(WireProtocol.ANTHROPIC_MESSAGES,
        "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[]}", "");
    var cited = new ChatChunk.ProtocolItem(WireProtocol.ANTHROPIC_MESSAGES,
        "{\"type\":\"text\",\"text\":\"It is out.\",\"citations\":[{\"type\":\"web_search_result_location\"}]}",
        "It is out.");
    var completion = new Completion("msg_1", "claude", "Looking. It is out. Bye.", Optional.empty(), "stop", null, null,
        List.of(), null, null, List.of(new ProtocolItems.Placed(0, reasoning), new ProtocolItems.Placed(9, result),
            new ProtocolItems.Placed(9, cited)));

    assertThat(MessageJson.message(completion, List.of()).get("content")).isEqualTo(json("""
        [{"type": "text", "text": "Looking. "},
         {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": []},
         {"type": "text", "text": "It is out.", "citations": [{"type": "web_search_result_location"}]},
         {"type": "text", "text": " Bye."}]"""));
  }

  static final String CITATION = "{\"type\":\"char_location\",\"cited_text\":\"x\"}";
  static final ChatChunk.ProtocolItem CITES = new ChatChunk.ProtocolItem(WireProtocol.ANTHROPIC_MESSAGES,
      "{\"type\":\"citations_delta\",\"citation\":" + CITATION + "}", "");

  @Test
  void aCitationThatCameAfterItsTextJoinsThatTextsBlockWhole() {
    var completion = new Completion("msg_1", "claude", "It is out. Bye.", Optional.empty(), "stop", null, null,
        List.of(), null, null, List.of(new ProtocolItems.Placed(10, CITES)));

    assertThat(MessageJson.message(completion, List.of()).get("content")).isEqualTo(json("""
        [{"type": "text", "text": "It is out. Bye.", "citations": [%s]}]""".formatted(CITATION)));
  }

  @Test
  void aCitationThatCameAfterItsTextIsWrittenIntoTheOpenTextBlockStreamed() {
    List<String> events = new ArrayList<>();
    MessageBlocks blocks = new MessageBlocks((name, data) -> events.add(name + " " + data.get("index") + " "
        + (data.has("delta") ? data.get("delta") : data.path("content_block"))));
    blocks.text("It is out.");
    blocks.item((ObjectNode) json(CITES.json()));
    blocks.close();
    blocks.item((ObjectNode) json(CITES.json()));
    blocks.close();

    assertThat(events).containsExactly(
        "content_block_start 0 {\"type\":\"text\",\"text\":\"\"}",
        "content_block_delta 0 {\"type\":\"text_delta\",\"text\":\"It is out.\"}",
        "content_block_delta 0 " + CITES.json(),
        "content_block_stop 0 ",
        "content_block_start 1 {\"type\":\"text\",\"text\":\"\",\"citations\":[]}",
        "content_block_delta 1 " + CITES.json(),
        "content_block_delta 1 {\"type\":\"text_delta\",\"text\":\"\"}",
        "content_block_stop 1 ");
  }
}
