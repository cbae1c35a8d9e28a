package io.reliapi.server.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.Completion;
import io.reliapi.server.Inbound;
import io.reliapi.server.SseWriter;
import io.reliapi.server.llm.ErrorEvents;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The OpenAI stream of {@code /v1/chat/completions} (SPEC §2.4): {@code data:} events holding
 * {@code chat.completion.chunk} objects, ending in {@code data: [DONE]}; a broken stream ends with
 * {@code data: {"error": {...}}} and the connection closes, without {@code [DONE]} and without the end of the
 * chunked body. The usage chunk the gateway
 * asked the provider for reaches only clients that asked for it ({@code stream_options.include_usage}).
 */
final class OpenAiEvents {
  private static final String DONE = SseWriter.data("[DONE]");
  private final Inbound in;
  private final Clock clock;
  private final boolean wantsUsage;
  private SseWriter writer;

  OpenAiEvents(Inbound in, Clock clock, boolean wantsUsage) {
    this.in = in;
    this.clock = clock;
    this.wantsUsage = wantsUsage;
  }

  Future<Void> stream(ChatStream stream) {
    writer = new SseWriter(in, clock, false);
    Promise<Void> written = Promise.promise();
    long[] created = {clock.epochMillis() / 1000};
    boolean[] usageSent = {false};
    stream.handler(chunk -> {
      created[0] = chunk.created();
      if (!chunk.usageOnly() || wantsUsage) {
        String json = chunk.json();
        // The usage chunk, or a provider's last chunk carrying it beside its choices (Mistral).
        usageSent[0] |= chunk.usage() != null && json.contains("\"usage\"");
        writer.write(SseWriter.data(json), stream);
      }
    });
    stream.end().onComplete(end -> {
      if (end.succeeded()) {
        if (!usageSent[0]) {
          // The provider's usage chunk never came (a stream cut after its finish reason): the client that asked
          // for one is told the usage counted, as a replay is.
          usage(end.result(), created[0]);
        }
        writer.write(DONE, null);
        writer.end().onComplete(written);
      } else {
        GatewayException error = GatewayException.from(end.cause());
        in.trace().errorCode(error.code());
        writer.breakOffAfter(ErrorEvents.openAi(error, in.trace().target())).onComplete(written);
      }
    });
    return written.future();
  }

  /**
   * Streams a finished answer (a stored one, or a provider that answered whole) as chunks: the role, text and
   * tool calls in one, the finish reason in the next, the usage chunk if the client asked for it, then
   * {@code [DONE]}, as a live stream ends.
   */
  Future<Void> replay(Completion result, long createdEpochS) {
    writer = new SseWriter(in, clock, true);
    ObjectNode delta = ChatJson.object().put("role", "assistant").put("content", result.content());
    if (result.refusal() != null) {
      delta.put("refusal", result.refusal());
    }
    result.toolCalls().ifPresent(calls -> {
      ArrayNode indexed = delta.putArray("tool_calls");
      for (int i = 0; i < calls.size(); i++) {
        indexed.add(((ObjectNode) calls.get(i).deepCopy()).put("index", i));
      }
    });
    writer.write(SseWriter.data(chunk(result, createdEpochS, delta, false).toString()), null);
    writer.write(SseWriter.data(chunk(result, createdEpochS, ChatJson.object(), true).toString()), null);
    usage(result, createdEpochS);
    writer.write(DONE, null);
    return writer.end();
  }

  /** Writes the usage-only chunk of {@code result} when the client asked for one and there is a usage to tell. */
  private void usage(Completion result, long created) {
    if (wantsUsage && result.usage() != null) {
      ObjectNode usage = base(result, created);
      usage.putArray("choices");
      usage.set("usage", ChatCompletion.usage(result.usage()));
      writer.write(SseWriter.data(usage.toString()), null);
    }
  }

  private static ObjectNode chunk(Completion result, long created, ObjectNode delta, boolean finished) {
    ObjectNode chunk = base(result, created);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finished) {
      ChatCompletion.finish(choice, result.finishReason(), result.stopSequence());
    } else {
      choice.putNull("finish_reason");
    }
    return chunk;
  }

  private static ObjectNode base(Completion result, long created) {
    return ChatJson.object().put("id", result.id()).put("object", "chat.completion.chunk").put("created", created)
        .put("model", result.model());
  }
}
