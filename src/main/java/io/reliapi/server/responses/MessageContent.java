package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;

/**
 * One content part of an answer's {@code message} item: its text ({@code output_text}, with the annotations the
 * provider gave it) or its refusal.
 */
record MessageContent(String type, int index, StringBuilder text, ArrayNode annotations) {
  static final String OUTPUT_TEXT = "output_text";
  static final String REFUSAL = "refusal";

  MessageContent(String type, int index) {
    this(type, index, new StringBuilder(), ChatJson.array());
  }

  boolean refusal() {
    return type.equals(REFUSAL);
  }

  ObjectNode json() {
    if (refusal()) {
      return ChatJson.object().put("type", REFUSAL).put("refusal", text.toString());
    }
    ObjectNode part = ChatJson.object().put("type", OUTPUT_TEXT);
    part.set("annotations", annotations.deepCopy());
    part.putArray("logprobs");
    return part.put("text", text.toString());
  }
}
