package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.Completion;
import io.reliapi.llm.FreeformCall;
import io.reliapi.llm.ParsedAnswer;
import java.util.List;
import java.util.Optional;

/**
 * Reads a whole Responses API answer ({@code object: "response"}) into the neutral model: the text of its
 * {@code message} items (a refusal part as the answer's refusal), its {@code function_call} items as tool calls (and
 * {@code custom_tool_call} items, their text as {@link FreeformCall} arguments), why it ended
 * ({@link ResponsesWire#finishReason}) and its usage. Reasoning items are billed output but not part of the answer;
 * hosted-tool items ({@code web_search_call}, …) and annotations are left out: the neutral answer cannot hold them,
 * and the message's text is the answer the search informed.
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
    for (JsonNode item : root.get("output")) {
      switch (item.path("type").asText("")) {
        case "message" -> item.path("content").forEach(part -> {
          text.append(part.path("text").asText(""));
          refusal.append(part.path("refusal").asText(""));
        });
        case "function_call" -> call(calls, item, item.path("arguments").asText(""), billed);
        case "custom_tool_call" -> call(calls, item, FreeformCall.arguments(item.path("input").asText("")), billed);
        case "reasoning" -> {
          item.path("summary").forEach(part -> billed.append(part.path("text").asText("")));
          item.path("content").forEach(part -> billed.append(part.path("text").asText("")));
        }
        default -> { }
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
        calls.isEmpty() ? Optional.empty() : Optional.of(calls), finish, ResponsesWire.usage(root.path("usage")), null,
        List.of(), refused ? refusal.toString() : null);
    long created = root.path("created_at").canConvertToLong() ? root.get("created_at").asLong() : createdEpochS;
    return new ParsedAnswer(completion, ChatCompletion.bytes(ChatCompletion.write(completion, created)),
        billed.toString());
  }

  private static void call(ArrayNode calls, JsonNode item, String arguments, StringBuilder billed) {
    var call = calls.addObject().put("id", item.path("call_id").asText("")).put("type", "function");
    call.putObject("function").put("name", item.path("name").asText("")).put("arguments", arguments);
    billed.append(item.path("name").asText("")).append(arguments);
  }
}
