package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.Completion;
import io.reliapi.server.Inbound;
import io.reliapi.server.SseWriter;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Function;

/**
 * The Responses API's stream on {@code /v1/responses}: typed events, each {@code event: <type>} with its JSON
 * carrying the same {@code type} and a {@code sequence_number} counting from 0. {@code response.created} and
 * {@code response.in_progress} open it, {@link OutputItems} announces the output as the neutral parts arrive,
 * and exactly one terminal event ends it: {@code response.completed}, {@code response.incomplete} (cut short by
 * the output limit or a content filter), or, when the stream broke, an {@code error} event followed by
 * {@code response.failed} with the gateway's error code. No event has a top-level {@code error} member, which
 * OpenAI's SDKs would raise instead of handing over.
 */
final class ResponsesEvents {
  private final Inbound in;
  private final Clock clock;
  private final Function<String, ResponseObject> responses;
  private SseWriter writer;
  private ChatStream source;
  private ResponseObject response;
  private OutputItems items;
  private String model;
  private long sequence;

  /** {@code responses} gives the response object for an answer's id (see {@link ResponseObject#id}). */
  ResponsesEvents(Inbound in, Clock clock, Function<String, ResponseObject> responses) {
    this.in = in;
    this.clock = clock;
    this.responses = responses;
  }

  /** Renders a live stream; completes once the terminal event is written. */
  Future<Void> stream(ChatStream stream) {
    writer = new SseWriter(in, clock, false);
    source = stream;
    Promise<Void> written = Promise.promise();
    stream.handler(chunk -> {
      open(chunk.id(), chunk.model());
      chunk.parts().forEach(items::add);
    });
    stream.end().onComplete(end -> {
      if (end.succeeded()) {
        open(end.result().id(), end.result().model());
        finish(end.result());
      } else {
        broken(GatewayException.from(end.cause()));
      }
      writer.end().onComplete(written);
    });
    return written.future();
  }

  /**
   * Streams a finished answer (a stored one, or a provider that answered whole) with the events a live stream
   * of it would have had: its text in one delta, each call's arguments in one.
   */
  Future<Void> replay(Completion completion) {
    writer = new SseWriter(in, clock, true);
    open(completion.id(), completion.model());
    CompletionParts.of(completion).forEach(items::add);
    finish(completion);
    return writer.end();
  }

  /**
   * Ends a stream whose head a keep-alive already committed, before any answer came: the {@code error} event and
   * {@code response.failed}, as a stream that broke.
   */
  Future<Void> failed(GatewayException error) {
    writer = new SseWriter(in, clock, false);
    broken(error);
    return writer.end();
  }

  private void broken(GatewayException error) {
    in.trace().errorCode(error.code());
    open("", "");
    event("error", ChatJson.object().put("code", error.code().name()).put("message", error.getMessage())
        .putNull("param"));
    event("response.failed", ChatJson.object().set("response", response.failed(model, items.partial(), error)));
  }

  private void open(String answerId, String answerModel) {
    if (response != null) {
      return;
    }
    response = responses.apply(answerId);
    model = answerModel;
    items = new OutputItems(response.id(), response.customTools(), this::event);
    event("response.created", ChatJson.object().set("response", response.inProgress(model)));
    event("response.in_progress", ChatJson.object().set("response", response.inProgress(model)));
  }

  private void finish(Completion completion) {
    String incomplete = ResponseObject.incompleteReason(completion.finishReason());
    ArrayNode output = items.close(incomplete == null);
    ObjectNode done = response.finished(model, output, completion.usage(), incomplete);
    event(incomplete == null ? "response.completed" : "response.incomplete", ChatJson.object().set("response", done));
  }

  private void event(String type, ObjectNode fields) {
    ObjectNode event = ChatJson.object().put("type", type).put("sequence_number", sequence++);
    event.setAll(fields);
    writer.write(SseWriter.event(type, event.toString()), source);
  }
}
