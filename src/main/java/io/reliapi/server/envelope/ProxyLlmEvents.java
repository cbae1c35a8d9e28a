package io.reliapi.server.envelope;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.Completion;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.Money;
import io.reliapi.server.SseWriter;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The server-sent events of a streaming {@code /proxy/llm} answer (SPEC §2.3): {@code meta} once the
 * provider's stream started, {@code chunk} ({@code {"delta": "..."}}) for each piece of text, then exactly one
 * of {@code done} ({@code {"finish_reason", "usage", "cost_usd"}}, and {@code refusal} when the model refused) or
 * {@code error} ({@code {"code", "message"}}). A stream that breaks ends with {@code error}, never {@code done}.
 */
final class ProxyLlmEvents {
  private final Inbound in;
  private final Clock clock;
  private final Envelope.Meta meta;
  private SseWriter writer;

  ProxyLlmEvents(Inbound in, Clock clock, Envelope envelope) {
    this.in = in;
    this.clock = clock;
    this.meta = envelope.meta();
  }

  Future<Void> stream(ChatStream stream) {
    start(false);
    Promise<Void> written = Promise.promise();
    stream.handler(chunk -> {
      if (!chunk.text().isEmpty()) {
        writer.write(SseWriter.event("chunk", delta(chunk.text())), stream);
      }
    });
    stream.end().onComplete(end -> {
      if (end.succeeded()) {
        writer.write(done(end.result(), in.trace().costUsd()), null);
        writer.end().onComplete(written);
      } else {
        GatewayException error = GatewayException.from(end.cause());
        in.trace().errorCode(error.code());
        writer.write(error(error), null);
        // The error event says the answer is incomplete; the connection can carry the next request.
        writer.end().onComplete(written);
      }
    });
    return written.future();
  }

  /**
   * Ends a stream whose head a keep-alive committed before the request failed: {@code meta}, then the
   * {@code error} event, as a stream that breaks ends.
   */
  Future<Void> failed(GatewayException error) {
    start(true);
    writer.write(error(error), null);
    return writer.end();
  }

  private static String error(GatewayException error) {
    return SseWriter.event("error", Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("code", error.code().name());
      out.writeStringField("message", error.getMessage());
      out.writeEndObject();
    }).toString());
  }

  /** Streams a finished answer (a stored one, or a provider that answered whole) as the same events. */
  Future<Void> replay(Completion result) {
    start(true);
    if (result.content() != null && !result.content().isEmpty()) {
      writer.write(SseWriter.event("chunk", delta(result.content())), null);
    }
    writer.write(done(result, in.trace().costUsd()), null);
    return writer.end();
  }

  private void start(boolean costKnown) {
    writer = new SseWriter(in, clock, costKnown);
    writer.write(SseWriter.event("meta", Json.write(out -> {
      out.writeStartObject();
      meta.write(out, in, GatewayHeaders.elapsedMs(in, clock));
      out.writeEndObject();
    }).toString()), null);
  }

  private static String delta(String text) {
    return Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("delta", text);
      out.writeEndObject();
    }).toString();
  }

  /** The last event of an answer; a refusal, which {@code chunk} (text only) cannot carry, is in it whole. */
  private static String done(Completion result, Double costUsd) {
    return SseWriter.event("done", Json.write(out -> {
      out.writeStartObject();
      ProxyLlmRoute.finish(out, result);
      if (result.refusal() != null) {
        out.writeStringField("refusal", result.refusal());
      }
      out.writeFieldName("usage");
      if (result.usage() == null) {
        out.writeNull();
      } else {
        Json.MAPPER.writeTree(out, ChatCompletion.usage(result.usage()));
      }
      Money.writeField(out, "cost_usd", costUsd);
      out.writeEndObject();
    }).toString());
  }
}
