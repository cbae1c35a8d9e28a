package io.reliapi.server.llm;

import io.reliapi.config.GatewayConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.Completion;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.function.Function;

/**
 * How every LLM route answers, whatever its protocol: a provider's error in the route's error shape, a live
 * stream, a finished answer (fresh or stored) as a stream when the client asked for one, else whole with the
 * §3.6 headers. The route supplies its protocol's renderings ({@link Protocol}).
 */
public final class LlmAnswers {
  private LlmAnswers() {}

  /** One client protocol's renderings of a successful answer. */
  public interface Protocol {
    /** Renders a live stream. */
    Future<Void> stream(ChatStream stream);

    /** Renders a finished answer as the stream a client that asked for one expects. */
    Future<Void> replay(Completion completion);

    /** Returns the body of a finished answer sent whole; {@code reply} holds its stored form. */
    Buffer whole(Completion completion, Reply reply);
  }

  /**
   * Writes {@code reply}; {@code streamAsked} is whether the client asked for a stream, {@code fail} renders an
   * error in the route's shape.
   */
  public static Future<Void> write(Inbound in, Reply reply, boolean streamAsked, Protocol protocol,
      GatewayConfig config, Clock clock, Function<GatewayException, Future<Void>> fail) {
    Optional<GatewayException> failed = LlmReplies.received(reply, in, config, clock.epochMillis());
    if (failed.isPresent()) {
      return fail.apply(failed.get());
    }
    if (reply.answer(ChatAnswer.Streaming.class).orElse(null) instanceof ChatAnswer.Streaming streaming) {
      return protocol.stream(streaming.stream());
    }
    // Reading the answer also checks that stored bytes are a completion before they are rendered as one.
    Completion result = LlmReplies.result(reply);
    if (streamAsked) {
      return protocol.replay(result);
    }
    if (in.request().response().closed()) {
      return Future.succeededFuture();
    }
    return LlmReplies.writeJson(in, protocol.whole(result, reply), clock);
  }
}
