package io.reliapi.server.anthropic;

import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ProtocolItems;
import io.reliapi.llm.WireProtocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An Anthropic message shows its own protocol's items as blocks in their places, never another protocol's. */
class MessageJsonItemsTest {
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

    assertThat(MessageJson.message(completion).get("content")).isEqualTo(json("""
        [{"type": "text", "text": "Looking. "},
         {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": []},
         {"type": "text", "text": "It is out.", "citations": [{"type": "web_search_result_location"}]},
         {"type": "text", "text": " Bye."}]"""));
  }
}
