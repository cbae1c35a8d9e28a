package io.reliapi.server.responses;

import static io.reliapi.llm.ChatFixtures.failure;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.server.llm.Untranslatable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a Responses request's instructions and input become neutral chat messages. */
class ResponsesInputTest {

  static String chat(String instructions, String input) {
    return chat(instructions, input, new Untranslatable());
  }

  static String chat(String instructions, String input, Untranslatable untranslatable) {
    List<ChatMessage> messages = ResponsesInput.messages(instructions == null ? null : json(instructions), json(input),
        untranslatable);
    return ChatJson.openAiMessages(messages).toString();
  }

  @Test
  void readsAStringInputAndInstructionsAsASystemAndAUserMessage() {
    assertThat(json(chat("\"Be terse.\"", "\"Hi\""))).isEqualTo(json(
        "[{\"role\": \"system\", \"content\": \"Be terse.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]"));
  }

  @Test
  void readsMessagesWithTheirPartsAsChatMessages() {
    assertThat(json(chat(null, """
        [{"role": "developer", "content": "Rules."},
         {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Look"},
           {"type": "input_image", "image_url": "data:image/png;base64,AAA", "detail": "high"},
           {"type": "input_file", "file_data": "data:application/pdf;base64,BBB", "filename": "a.pdf"}]},
         {"type": "message", "role": "assistant", "id": "msg_1", "status": "completed",
          "content": [{"type": "output_text", "text": "Seen.", "annotations": []}, {"type": "refusal", "refusal": "No."}]}]
        """))).isEqualTo(json("""
        [{"role": "developer", "content": "Rules."},
         {"role": "user", "content": [{"type": "text", "text": "Look"},
           {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAA", "detail": "high"}},
           {"type": "file", "file": {"file_data": "data:application/pdf;base64,BBB", "filename": "a.pdf"}}]},
         {"role": "assistant", "content": [{"type": "text", "text": "Seen."}, {"type": "text", "text": "No."}]}]"""));
  }

  @Test
  void joinsTheAssistantTextAndTheCallsAfterItIntoOneTurnAndReadsOutputsAsToolMessages() {
    assertThat(json(chat(null, """
        [{"role": "user", "content": "Weather?"},
         {"type": "reasoning", "id": "rs_1", "summary": []},
         {"role": "assistant", "content": "Checking."},
         {"type": "function_call", "call_id": "c1", "name": "w", "arguments": "{\\"city\\": \\"Paris\\"}", "id": "fc_1"},
         {"type": "function_call", "call_id": "c2", "name": "w", "arguments": "{\\"city\\": \\"Lyon\\"}"},
         {"type": "function_call_output", "call_id": "c1", "output": "18C"},
         {"type": "function_call_output", "call_id": "c2", "output": [{"type": "input_text", "text": "20C"}]},
         {"type": "function_call", "call_id": "c3", "name": "w", "arguments": "{}"},
         {"type": "function_call_output", "call_id": "c3", "output": "?"}]"""))).isEqualTo(json("""
        [{"role": "user", "content": "Weather?"},
         {"role": "assistant", "content": "Checking.", "tool_calls": [
           {"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{\\"city\\": \\"Paris\\"}"}},
           {"id": "c2", "type": "function", "function": {"name": "w", "arguments": "{\\"city\\": \\"Lyon\\"}"}}]},
         {"role": "tool", "content": "18C", "tool_call_id": "c1"},
         {"role": "tool", "content": [{"type": "text", "text": "20C"}], "tool_call_id": "c2"},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "c3", "type": "function", "function": {"name": "w", "arguments": "{}"}}]},
         {"role": "tool", "content": "?", "tool_call_id": "c3"}]"""));
  }

  @Test
  void refusesWhatCannotBeSentToEveryProviderNamingWhere() {
    assertThat(failure(() -> chat(null, "[]")).getMessage()).contains("'input' is required");
    assertThat(failure(() -> chat("1", "\"Hi\"")).getMessage()).contains("'instructions'");
    assertThat(failure(() -> chat(null, "[\"Hi\"]")).getMessage()).contains("input[0]");
    assertThat(failure(() -> chat(null, "[{\"role\": \"tool\", \"content\": \"x\"}]")).getMessage())
        .contains("input[0].role");
    assertThat(failure(() -> chat(null, "[{\"type\": \"item_reference\", \"id\": \"msg_1\"}]")).getMessage())
        .contains("item reference");
    assertThat(failure(() -> chat(null, "[{\"type\": \"audio_clip\", \"id\": \"a_1\"}]")).getMessage())
        .contains("input[0].type' 'audio_clip' is not supported");
    assertThat(failure(() -> chat(null, "[{\"type\": \"local_shell_call\", \"id\": \"ls_1\"}]")).getMessage())
        .contains("input[0].type' 'local_shell_call' is not supported");
    assertThat(failure(() -> chat(null, "[{\"type\": \"function_call\", \"name\": \"f\", \"arguments\": \"{}\"}]"))
        .getMessage()).contains("input[0].call_id");
    assertThat(failure(() -> chat(null, "[{\"role\": \"user\", \"content\": [{\"type\": \"input_image\", "
        + "\"file_id\": \"file-1\"}]}]")).getMessage()).contains("input[0].content[0]").contains("image_url");
    assertThat(failure(() -> chat(null, "[{\"role\": \"user\", \"content\": [{\"type\": \"input_file\", "
        + "\"file_url\": \"https://x\"}]}]")).getMessage()).contains("by URL");
    assertThat(failure(() -> chat(null, "[{\"role\": \"user\", \"content\": [{\"type\": \"input_audio\"}]}]"))
        .getMessage()).contains("'input_audio' is not supported");
  }

  @Test
  void aHostedToolsItemIsLeftOutAndNotedAsUntranslatable() {
    Untranslatable untranslatable = new Untranslatable();
    assertThat(json(chat(null, """
        [{"role": "user", "content": "News?"},
         {"type": "web_search_call", "id": "ws_1", "status": "completed", "action": {"type": "search", "query": "news"}},
         {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Here.", "annotations": []}]}]""",
        untranslatable))).isEqualTo(json("""
        [{"role": "user", "content": "News?"}, {"role": "assistant", "content": [{"type": "text", "text": "Here."}]}]"""));
    assertThat(untranslatable.first()).contains("'input[1]' (a hosted tool's item of type web_search_call)");
  }

  @Test
  void imagesOfToolOutputsFollowTheRunOfToolMessagesInAUserMessage() {
    assertThat(json(chat(null, """
        [{"type": "function_call", "call_id": "c1", "name": "view_image", "arguments": "{}"},
         {"type": "function_call", "call_id": "c2", "name": "view_image", "arguments": "{}"},
         {"type": "function_call_output", "call_id": "c1", "output": [{"type": "input_text", "text": "a.png"},
          {"type": "input_image", "image_url": "data:image/png;base64,AAAA"}]},
         {"type": "function_call_output", "call_id": "c2", "output": [{"type": "input_image", "image_url": "https://x/b.png", "detail": "low"}]},
         {"role": "user", "content": "Compare them."}]"""))).isEqualTo(json("""
        [{"role": "assistant", "content": null, "tool_calls": [
           {"id": "c1", "type": "function", "function": {"name": "view_image", "arguments": "{}"}},
           {"id": "c2", "type": "function", "function": {"name": "view_image", "arguments": "{}"}}]},
         {"role": "tool", "content": [{"type": "text", "text": "a.png"}], "tool_call_id": "c1"},
         {"role": "tool", "content": "", "tool_call_id": "c2"},
         {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                                      {"type": "image_url", "image_url": {"url": "https://x/b.png", "detail": "low"}}]},
         {"role": "user", "content": "Compare them."}]"""));
  }
}
