package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.Completion;
import io.reliapi.llm.FreeformCall;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.ProtocolItems;
import io.reliapi.llm.WireProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a whole Responses API answer ({@code object: "response"}) into the neutral model: the text of its
 * {@code message} items (a refusal part as the answer's refusal), its {@code function_call} items as tool calls (and
 * {@code custom_tool_call} items, their text as {@link FreeformCall} arguments), why it ended
 * ({@link ResponsesWire#finishReason}) and its usage (with its {@code web_search_call} items as web searches). Reasoning items (billed output) and hosted-tool items
 * ({@code web_search_call}, …) are protocol items at their places, given back whole to a Responses client alone
 * (Codex sends reasoning's {@code encrypted_content} back next turn), and so are the annotations of its text
 * ({@link TextAnnotations}), after the text they annotate.
 */
final class ResponsesAnswer {
  private ResponsesAnswer() {}

  static ParsedAnswer read(byte[] bytes, long createdEpochS) {
    JsonNode root = Json.parseOrNull(bytes);
    if (root == null || !root.isObject() || !root.path("output").isArray()) {
      throw ChatCompletionErrors.invalid();
    }
    StringBuilder text = new StringBuilder();
    StringBuilder refusal = new StringBuilder();
    StringBuilder billed = new StringBuilder();
    ArrayNode calls = ChatJson.array();
    List<ProtocolItems.Placed> items = new ArrayList<>();
    long searches = 0;
    for (JsonNode item : root.get("output")) {
      searches += ResponsesWire.search(item) ? 1 : 0;
      switch (item.path("type").asText("")) {
        case "message" -> item.path("content").forEach(part -> {
          int offset = text.codePointCount(0, text.length());
          text.append(part.path("text").asText(""));
          refusal.append(part.path("refusal").asText(""));
          part.path("annotations").forEach(annotation ->
              items.add(new ProtocolItems.Placed(text.length(), TextAnnotations.item(annotation, offset))));
        });
        case "function_call" -> call(calls, item, item.path("arguments").asText(""), billed);
        case "custom_tool_call" -> call(calls, item, FreeformCall.arguments(item.path("input").asText("")), billed);
        case "reasoning" -> {
          item.path("summary").forEach(part -> billed.append(part.path("text").asText("")));
          item.path("content").forEach(part -> billed.append(part.path("text").asText("")));
        }
        default -> { }
      }
      if (given(item)) {
        items.add(new ProtocolItems.Placed(text.length(),
            new ChatChunk.ProtocolItem(WireProtocol.OPENAI_RESPONSES, item.toString(), "")));
      }
    }
    String finish = ResponsesWire.finishReason(root, !calls.isEmpty());
    if (finish == null) {
      // failed, queued, in progress: not an answer (a background response is refused before it is sent)
      throw ChatCompletionErrors.invalid();
    }
    billed.append(text).append(refusal);
    boolean refused = !refusal.isEmpty();
    String content = text.isEmpty() && (!calls.isEmpty() || refused) ? null : text.toString();
    Completion completion = new Completion(root.path("id").asText(""), root.path("model").asText(""), content,
        calls.isEmpty() ? Optional.empty() : Optional.of(calls), finish,
        ResponsesWire.withSearches(ResponsesWire.usage(root.path("usage")), searches), null,
        List.of(), refused ? refusal.toString() : null, null, items);
    long created = root.path("created_at").canConvertToLong() ? root.get("created_at").asLong() : createdEpochS;
    return new ParsedAnswer(completion, ChatCompletion.bytes(ChatCompletion.write(completion, created)),
        billed.toString());
  }

  /**
   * Returns whether an output item is given back whole to a Responses client: reasoning (with its
   * {@code encrypted_content} when asked for), a hosted tool's call, kinds added later; not a message or a call.
   */
  static boolean given(JsonNode item) {
    return switch (item.path("type").asText("")) {
      case "message", "function_call", "custom_tool_call", "" -> false;
      default -> true;
    };
  }

  private static void call(ArrayNode calls, JsonNode item, String arguments, StringBuilder billed) {
    var call = calls.addObject().put("id", item.path("call_id").asText("")).put("type", "function");
    call.putObject("function").put("name", item.path("name").asText("")).put("arguments", arguments);
    billed.append(item.path("name").asText("")).append(arguments);
  }
}
