package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.server.llm.Untranslatable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The translation of a Messages request's system prompt and turns into OpenAI-dialect messages. */
class MessageTurnsTest {
  final Untranslatable untranslatable = new Untranslatable();

  static JsonNode json(String text) {
    return Json.parseOrNull(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the OpenAI messages {@code messages} (with {@code system}) read into. */
  JsonNode openAi(String system, String messages) {
    List<ChatMessage> read = new MessageTurns(untranslatable).read(system == null ? null : json(system), json(messages));
    return ChatJson.openAiMessages(read);
  }

  @Test
  void makesTheSystemPromptASystemMessageWhetherTextOrBlocks() {
    assertThat(openAi("\"Be terse.\"", "[{\"role\": \"user\", \"content\": \"Hi\"}]")).isEqualTo(json("""
        [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"}]"""));
    assertThat(openAi("[{\"type\": \"text\", \"text\": \"A\", \"cache_control\": {\"type\": \"ephemeral\"}},"
        + " {\"type\": \"text\", \"text\": \"B\"}]", "[{\"role\": \"user\", \"content\": \"Hi\"}]").get(0))
        .isEqualTo(json("""
            {"role": "system", "content": [{"type": "text", "text": "A"}, {"type": "text", "text": "B"}]}"""));
    assertThat(openAi(null, "[{\"role\": \"system\", \"content\": \"Later\"}, {\"role\": \"user\", \"content\": \"Hi\"}]")
        .get(0)).isEqualTo(json("{\"role\": \"system\", \"content\": \"Later\"}"));
    assertThat(untranslatable.first()).isEmpty();
  }

  @Test
  void readsImagesAndDocumentsIntoOpenAiParts() {
    JsonNode user = openAi(null, """
        [{"role": "user", "content": [
          {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "AAAA"}},
          {"type": "image", "source": {"type": "url", "url": "https://x/y.png"}},
          {"type": "document", "title": "a.pdf", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBE"}},
          {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "Plain words"}},
          {"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": "One"},
            {"type": "text", "text": "Two"}]}}]}]""").get(0).get("content");

    assertThat(user.get(0)).isEqualTo(json("{\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/jpeg;base64,AAAA\"}}"));
    assertThat(user.get(1).get("image_url").get("url").asText()).isEqualTo("https://x/y.png");
    assertThat(user.get(2)).isEqualTo(json("""
        {"type": "file", "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBE"}}"""));
    assertThat(user.get(3)).isEqualTo(json("{\"type\": \"text\", \"text\": \"Plain words\"}"));
    assertThat(user.get(4).get("text").asText()).isEqualTo("One\nTwo");
    assertThat(untranslatable.first()).isEmpty();
  }

  @Test
  void putsToolResultsFirstAsToolMessagesAndTheirImagesInTheUserMessageAfterAllOfThem() {
    JsonNode out = openAi(null, """
        [{"role": "user", "content": [
          {"type": "text", "text": "Here:"},
          {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "line 1"},
            {"type": "text", "text": "line 2"},
            {"type": "image", "source": {"type": "url", "url": "https://x/shot.png"}}]},
          {"type": "tool_result", "tool_use_id": "toolu_2", "is_error": true, "content": "boom"},
          {"type": "tool_result", "tool_use_id": "toolu_3"}]}]""");

    assertThat(out).isEqualTo(json("""
        [{"role": "tool", "content": "line 1\\nline 2", "tool_call_id": "toolu_1"},
         {"role": "tool", "content": "Error: boom", "tool_call_id": "toolu_2"},
         {"role": "tool", "content": "", "tool_call_id": "toolu_3"},
         {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/shot.png"}},
                                      {"type": "text", "text": "Here:"}]}]"""));
  }

  @Test
  void givesAnAssistantTurnItsTextAndToolCallsAndLeavesThinkingOut() {
    JsonNode out = openAi(null, """
        [{"role": "assistant", "content": [
          {"type": "thinking", "thinking": "hm", "signature": "s"}, {"type": "redacted_thinking", "data": "x"},
          {"type": "text", "text": "Let me look."},
          {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": [1, 2]}},
          {"type": "tool_use", "id": "toolu_2", "name": "now", "input": {}}]},
         {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_3", "name": "now"}]}]""");

    assertThat(out.get(0)).isEqualTo(json("""
        {"role": "assistant", "content": "Let me look.", "tool_calls": [
          {"id": "toolu_1", "type": "function", "function": {"name": "lookup", "arguments": "{\\"q\\":[1,2]}"}},
          {"id": "toolu_2", "type": "function", "function": {"name": "now", "arguments": "{}"}}]}"""));
    assertThat(out.get(1).get("content").isNull()).isTrue();
    assertThat(out.get(1).get("tool_calls").get(0).get("function").get("arguments").asText()).isEqualTo("{}");
    assertThat(untranslatable.first()).isEmpty();
  }

  @Test
  void notesWhatNoOtherProtocolCanHoldAndKeepsItForCounting() {
    JsonNode out = openAi(null, """
        [{"role": "user", "content": [{"type": "image", "source": {"type": "file", "file_id": "file_1"}}]},
         {"role": "assistant", "content": [{"type": "server_tool_use", "id": "srv_1", "name": "web_search", "input": {}}]}]""");

    assertThat(untranslatable.first()).contains("'messages[0].content[0]' (image from a file source)");
    assertThat(out.get(0).get("content").get(0).get("source").get("file_id").asText()).isEqualTo("file_1");
    assertThat(out.get(1).get("content").get(0).get("type").asText()).isEqualTo("server_tool_use");
  }

  @Test
  void refusesWhatIsNotAMessagesRequestNamingWhere() {
    assertThat(refusal(null, "[]")).contains("'messages' must be a non-empty list");
    assertThat(refusal(null, "[{\"role\": \"tool\", \"content\": \"x\"}]")).contains("'messages[0].role'");
    assertThat(refusal(null, "[{\"role\": \"user\", \"content\": 5}]")).contains("'messages[0].content'");
    assertThat(refusal(null, "[{\"role\": \"user\", \"content\": [\"x\"]}]")).contains("messages[0].content[0]");
    assertThat(refusal(null, "[{\"role\": \"user\", \"content\": [{\"type\": \"text\"}]}]"))
        .contains("'messages[0].content[0].text'");
    assertThat(refusal(null, "[{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\"}]}]"))
        .contains("'messages[0].content[0].tool_use_id'");
    assertThat(refusal("[{\"type\": \"image\"}]", "[{\"role\": \"user\", \"content\": \"x\"}]")).contains("'system[0]'");
    assertThat(refusal("5", "[{\"role\": \"user\", \"content\": \"x\"}]")).contains("'system'");
  }

  private String refusal(String system, String messages) {
    Throwable thrown = catchThrowable(() -> openAi(system, messages));
    assertThat(thrown).isInstanceOf(GatewayException.class);
    return thrown.getMessage();
  }
}
