package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Protocol items keep their places in an answer's text, survive its stored form, and reach only clients of their
 * protocol: an OpenAI client reads their text alone, whole, streamed and stored; a stream holding one is no text-only
 * stream to resume.
 */
class ProtocolItemsTest {
  static final ChatChunk.ProtocolItem CALL = new ChatChunk.ProtocolItem(WireProtocol.ANTHROPIC_MESSAGES,
      "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"q\"}}", "");
  static final ChatChunk.ProtocolItem CITED = new ChatChunk.ProtocolItem(WireProtocol.ANTHROPIC_MESSAGES,
      "{\"type\":\"text\",\"text\":\"It is out.\",\"citations\":[{\"type\":\"web_search_result_location\"}]}",
      "It is out.");
  static final ChatChunk.ProtocolItem REASONING = new ChatChunk.ProtocolItem(WireProtocol.OPENAI_RESPONSES,
      "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[],\"encrypted_content\":\"gAAA\"}", "");

  static Completion answer(List<ProtocolItems.Placed> items) {
    return new Completion("id-1", "m", "Searching. It is out. Bye.", Optional.empty(), "stop", null, null, List.of(),
        null, null, items);
  }

  static final List<ProtocolItems.Placed> PLACED = List.of(new ProtocolItems.Placed(0, REASONING),
      new ProtocolItems.Placed(11, CALL), new ProtocolItems.Placed(11, CITED));

  @Test
  void interleavesTheTextAroundTheItemsWithoutRepeatingAnItemsOwnText() {
    assertThat(ProtocolItems.interleave("Searching. It is out. Bye.", PLACED)).containsExactly(REASONING,
        new ChatChunk.Text("Searching. "), CALL, CITED, new ChatChunk.Text(" Bye."));
    assertThat(ProtocolItems.interleave(null, List.of(new ProtocolItems.Placed(0, CALL)))).containsExactly(CALL);
  }

  @Test
  void theStoredAnswerKeepsTheItemsAndAnOpenAiClientIsGivenItWithoutThem() {
    var stored = ChatCompletion.bytes(ChatCompletion.write(answer(PLACED), 1700000000));

    assertThat(ChatCompletion.read(stored.getBytes()).items()).isEqualTo(PLACED);
    var shown = Json.parseOrNull(ProtocolItems.stripped(stored).getBytes());
    var message = shown.get("choices").get(0).get("message");
    assertThat(message.has(ProtocolItems.MEMBER)).isFalse();
    assertThat(message.get("content").asText()).isEqualTo("Searching. It is out. Bye.");
    assertThat(ChatCompletion.read(ProtocolItems.stripped(stored).getBytes()).items()).isEmpty();
  }

  @Test
  void anOpenAiChunkCarriesAnItemsTextAlone() {
    var chunk = new ChatChunk("id-1", "m", 1700000000, List.of(CALL, CITED, REASONING), null, false, false, null);

    var delta = Json.parseOrNull(chunk.json().getBytes()).get("choices").get(0).get("delta");
    assertThat(delta.get("content").asText()).isEqualTo("It is out.");
    assertThat(chunk.json()).doesNotContain("server_tool_use").doesNotContain("encrypted_content");
    assertThat(chunk.text()).isEqualTo("It is out.");
    assertThat(new ChatChunk("id-1", "m", 0, List.of(CALL), null, false, false, null).hasToken())
        .as("an item commits its own protocol's client's held stream as text does").isTrue();
  }

  @Test
  void aClientOfAnotherProtocolIsGivenAnItemsTextAloneAsItLeavesTheDecoder() {
    var chunk = new ChatChunk("id-1", "m", 0, List.of(CALL, CITED, REASONING), null, false, false, null);
    var plain = new ChatChunk("id-1", "m", 0, List.of(new ChatChunk.Text("Hi")), null, false, false, null);

    assertThat(ProtocolItems.shownIn(WireProtocol.ANTHROPIC_MESSAGES, chunk).parts()).containsExactly(CALL, CITED);
    assertThat(ProtocolItems.shownIn(WireProtocol.OPENAI_CHAT, chunk).parts())
        .containsExactly(new ChatChunk.Text("It is out."));
    var search = new ChatChunk("id-1", "m", 0, List.of(CALL), null, false, false, null);
    assertThat(ProtocolItems.shownIn(WireProtocol.OPENAI_CHAT, search)).as("nothing to show, no first token").isNull();
    assertThat(ProtocolItems.shownIn(WireProtocol.OPENAI_CHAT, plain)).isSameAs(plain);
  }

  @Test
  void anAnswerKeepsOnlyTheItemsOfItsClientsProtocol() {
    assertThat(ProtocolItems.shownIn(WireProtocol.OPENAI_CHAT, answer(PLACED)).items()).isEmpty();
    assertThat(ProtocolItems.shownIn(WireProtocol.ANTHROPIC_MESSAGES, answer(PLACED)).items())
        .containsExactly(new ProtocolItems.Placed(11, CALL), new ProtocolItems.Placed(11, CITED));
    Completion anthropic = answer(PLACED.subList(1, 3));
    assertThat(ProtocolItems.shownIn(WireProtocol.ANTHROPIC_MESSAGES, anthropic)).isSameAs(anthropic);
    assertThat(ProtocolItems.shownIn(WireProtocol.OPENAI_CHAT, anthropic).content()).isEqualTo(anthropic.content());
  }

  @Test
  void aStreamHoldingAnItemIsNoTextOnlyStreamAndItsCompletionPlacesIt() {
    StreamAssembly assembly = new StreamAssembly(10_000);
    assembly.add(new ChatChunk("id-1", "m", 0, List.of(new ChatChunk.Text("Searching. ")), null, false, false, null));
    assertThat(assembly.textOnly()).isEqualTo("Searching. ");
    assembly.add(new ChatChunk("id-1", "m", 0, List.of(CALL, CITED, new ChatChunk.Text(" Bye.")), null, false, false,
        null));

    assertThat(assembly.textOnly()).as("resuming it would lose the item").isNull();
    assertThat(assembly.faithful()).isTrue();
    Completion completion = assembly.completion("stop", null);
    assertThat(completion.content()).isEqualTo("Searching. It is out. Bye.");
    assertThat(completion.items()).containsExactly(new ProtocolItems.Placed(11, CALL),
        new ProtocolItems.Placed(11, CITED));
  }
}
