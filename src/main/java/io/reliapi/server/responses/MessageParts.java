package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import java.util.function.Supplier;

/**
 * The content parts of an answer's {@code message} item ({@link OutputItems}), with the events that tell them: its
 * text ({@code output_text}, with its annotations) and its refusal, each part opened where it first appears, the
 * message opened with its first part.
 */
final class MessageParts {
  private final Supplier<OutputItem> open;
  private final OutputItems.Events events;
  private OutputItem message;

  /** Parts of the message {@code open} opens (announced, at its place among the items) when it is first needed. */
  MessageParts(Supplier<OutputItem> open, OutputItems.Events events) {
    this.open = open;
    this.events = events;
  }

  /** Returns whether {@code item} is the message. */
  boolean is(OutputItem item) {
    return item == message;
  }

  void text(String text) {
    if (text.isEmpty()) {
      return;
    }
    MessageContent part = content(MessageContent.OUTPUT_TEXT);
    part.text().append(text);
    events.emit("response.output_text.delta", part(part).put("delta", text).set("logprobs", ChatJson.array()));
  }

  void refusal(String text) {
    if (text.isEmpty()) {
      return;
    }
    MessageContent part = content(MessageContent.REFUSAL);
    part.text().append(text);
    events.emit("response.refusal.delta", part(part).put("delta", text));
  }

  /** Adds an annotation of the text (a {@code url_citation}, …) to the text part. */
  void annotate(ObjectNode annotation) {
    MessageContent part = content(MessageContent.OUTPUT_TEXT);
    part.annotations().add(annotation);
    ObjectNode added = part(part).put("annotation_index", part.annotations().size() - 1);
    events.emit("response.output_text.annotation.added", added.set("annotation", annotation));
  }

  /** Opens the message with an empty text part if it is not open: an answer without text or calls still has one. */
  void openEmpty() {
    content(MessageContent.OUTPUT_TEXT);
  }

  /**
   * Tells the open message's parts done and lets go of it, so text that comes after opens a new message; returns it,
   * or null when none is open.
   */
  OutputItem end() {
    OutputItem ended = message;
    if (ended != null) {
      close();
      message = null;
    }
    return ended;
  }

  /** Tells each part done, in order. */
  void close() {
    for (MessageContent part : message.parts) {
      if (part.refusal()) {
        events.emit("response.refusal.done", part(part).put("refusal", part.text().toString()));
      } else {
        events.emit("response.output_text.done", part(part).put("text", part.text().toString())
            .set("logprobs", ChatJson.array()));
      }
      ObjectNode done = part(part);
      done.set("part", part.json());
      events.emit("response.content_part.done", done);
    }
  }

  /** Returns the message's content part of {@code type}, opening the message and the part where they are not. */
  private MessageContent content(String type) {
    if (message == null) {
      message = open.get();
    }
    for (MessageContent part : message.parts) {
      if (part.type().equals(type)) {
        return part;
      }
    }
    MessageContent part = new MessageContent(type, message.parts.size());
    message.parts.add(part);
    ObjectNode added = part(part);
    added.set("part", part.json());
    events.emit("response.content_part.added", added);
    return part;
  }

  private ObjectNode part(MessageContent part) {
    return ChatJson.object().put("item_id", message.id).put("output_index", message.outputIndex)
        .put("content_index", part.index());
  }
}
