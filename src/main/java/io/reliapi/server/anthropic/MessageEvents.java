package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.Completion;
import io.reliapi.llm.Usage;
import io.reliapi.server.Inbound;
import io.reliapi.server.SseWriter;
import io.reliapi.server.llm.ErrorEvents;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;

/**
 * The Messages API's event stream for {@code /v1/messages}, built from the neutral chunk parts whatever the
 * provider: {@code message_start} (and a {@code ping}), then the content blocks ({@link MessageBlocks}), then {@code message_delta} with the stop reason and usage, and
 * {@code message_stop}. Every event has its {@code event:} line (Anthropic's SDKs skip events without one). A
 * stream that breaks after it started ends with an {@code error} event, as Anthropic ends its own.
 */
final class MessageEvents {
  private final Inbound in;
  private final Clock clock;
  private final MessageBlocks blocks = new MessageBlocks(this::event);
  private SseWriter writer;
  private ChatStream source;
  private boolean started;
  private ChatChunk.Finish finish;
  private boolean refused;
  private final List<String> asked;

  /** Events of an answer to a request that asked to stop at {@code asked}. */
  MessageEvents(Inbound in, Clock clock, List<String> asked) {
    this.in = in;
    this.clock = clock;
    this.asked = asked;
  }

  /** Streams a live answer; completes once the last event is written. */
  Future<Void> stream(ChatStream stream) {
    begin(false);
    source = stream;
    Promise<Void> written = Promise.promise();
    stream.handler(this::chunk);
    stream.end().onComplete(end -> {
      if (end.succeeded()) {
        finish(end.result());
      } else {
        GatewayException error = GatewayException.from(end.cause());
        in.trace().errorCode(error.code());
        writer.write(ErrorEvents.anthropic(error, in.requestId(), in.trace().target()), null);
      }
      writer.end().onComplete(written);
    });
    return written.future();
  }

  /**
   * Streams a finished answer (a stored one, or a provider that answered whole) as a live one reads: each block
   * whole in one delta, then the stop reason and usage.
   */
  Future<Void> replay(Completion completion) {
    begin(true);
    List<ChatChunk.Part> parts = AnswerOrder.parts(completion);
    if (completion.refusal() != null) {
      parts.add(new ChatChunk.Refusal(completion.refusal()));
    }
    completion.toolCalls().ifPresent(calls -> {
      for (int i = 0; i < calls.size(); i++) {
        JsonNode call = calls.get(i);
        parts.add(new ChatChunk.ToolCall(i, call.path("id").asText(""), call.path("function").path("name").asText("")));
        parts.add(new ChatChunk.ToolArgs(i, MessageJson.input(call.path("function").path("arguments")).toString()));
      }
    });
    parts.add(new ChatChunk.Finish(completion.finishReason(), completion.stopSequence()));
    chunk(new ChatChunk(completion.id(), completion.model(), 0, parts, completion.usage(), false, false, null));
    finish(completion);
    return writer.end();
  }

  /** Writes Anthropic's keep-alive event. */
  void ping() {
    event("ping", ChatJson.object().put("type", "ping"));
  }

  private void begin(boolean costKnown) {
    writer = new SseWriter(in, clock, costKnown);
    in.request().response().headers().set("request-id", in.requestId());
  }

  private void chunk(ChatChunk chunk) {
    if (!started) {
      started = true;
      ObjectNode message = MessageJson.head(chunk.id(), chunk.model());
      message.putArray("content");
      message.putNull("stop_reason");
      message.putNull("stop_sequence");
      message.set("usage", MessageJson.usage(chunk.usage() == null ? new Usage(0, 0, true)
          : chunk.usage().withCompletionTokens(0, false)));
      ObjectNode start = ChatJson.object().put("type", "message_start");
      start.set("message", message);
      event("message_start", start);
      ping();
    }
    for (ChatChunk.Part part : chunk.parts()) {
      switch (part) {
        case ChatChunk.Text text -> blocks.text(text.text());
        case ChatChunk.ProtocolItem item -> {
          ObjectNode block = MessageJson.block(item);
          if (block != null) {
            blocks.item(block);
          } else {
            blocks.text(item.text());
          }
        }
        case ChatChunk.Refusal refusal -> {
          refused |= !refusal.text().isEmpty();
          blocks.text(refusal.text());
        }
        case ChatChunk.Reasoning reasoning -> blocks.reasoning(reasoning);
        case ChatChunk.ToolCall call -> blocks.toolCall(call.index(), nullToEmpty(call.id()), nullToEmpty(call.name()));
        case ChatChunk.ToolArgs args -> blocks.toolArgs(args);
        case ChatChunk.Finish stated -> {
          blocks.close();
          finish = stated;
        }
        case ChatChunk.Start start -> { }
      }
    }
  }

  /** Ends the message: its stop reason, its settled usage (input too, known only now), {@code message_stop}. */
  private void finish(Completion completion) {
    if (!started) {
      chunk(new ChatChunk(completion.id(), completion.model(), 0, List.of(), null, false, false, null));
    }
    blocks.close();
    ObjectNode delta = ChatJson.object().put("type", "message_delta");
    ChatChunk.Finish stated = finish != null && finish.reason() != null ? finish
        : new ChatChunk.Finish(completion.finishReason(), completion.stopSequence());
    MessageJson.stop(delta.putObject("delta"), refused, stated.reason(), stated.stopSequence(), asked);
    delta.set("usage", MessageJson.usage(completion.usage()));
    event("message_delta", delta);
    event("message_stop", ChatJson.object().put("type", "message_stop"));
  }

  private void event(String name, ObjectNode data) {
    writer.write(SseWriter.event(name, data.toString()), source);
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
