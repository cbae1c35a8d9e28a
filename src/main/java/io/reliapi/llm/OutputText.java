package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text of an answer that a provider bills as output tokens: not only what the user reads, but tool calls
 * (names and arguments), reasoning and refusals. The gateway counts it when the provider reports no usage,
 * so no billed token goes uncounted.
 */
public final class OutputText {
  private OutputText() {}

  /**
   * Appends the billed text of an OpenAI-shaped {@code message} (an answer) or {@code delta} (a stream chunk):
   * its content (text or text parts), {@code refusal}, {@code reasoning_content} / {@code reasoning}, the names
   * and arguments of its {@code tool_calls} and of a legacy {@code function_call}.
   */
  public static void appendOpenAi(JsonNode message, StringBuilder out) {
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      out.append(content.asText());
    } else if (content.isArray()) {
      out.append(ChatCompletion.textOfParts(content));
    }
    for (String field : new String[] {"refusal", "reasoning_content", "reasoning"}) {
      appendText(message.path(field), out);
    }
    for (JsonNode call : message.path("tool_calls")) {
      appendFunction(call.path("function"), out);
    }
    appendFunction(message.path("function_call"), out);
  }

  private static void appendFunction(JsonNode function, StringBuilder out) {
    appendText(function.path("name"), out);
    appendText(function.path("arguments"), out);
  }

  /** Appends a text, or the JSON of a structured value (reasoning objects, arguments given as objects). */
  private static void appendText(JsonNode node, StringBuilder out) {
    if (node.isTextual()) {
      out.append(node.asText());
    } else if (node.isContainerNode() && !node.isEmpty()) {
      out.append(node);
    }
  }
}
