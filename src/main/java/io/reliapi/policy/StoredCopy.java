package io.reliapi.policy;

import io.reliapi.http.Body;
import io.reliapi.http.BodyCopy;
import io.reliapi.http.ExactBytes;
import io.reliapi.http.HeldBytes;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.StreamRecording;
import io.reliapi.store.StoredReply;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The copy of an answer that a stage keeping answers (idempotency, cache) stores, taken while the answer goes
 * to the client, so storing it never delays the client. A body is copied as it is read; an LLM stream is
 * recorded as the {@code chat.completion} it adds up to, which the LLM routes replay as a stream or as a whole
 * answer, whichever the replaying client asked for.
 *
 * @param reply  the reply to pass on in place of the original
 * @param result how keeping it ended, once the client has been sent the whole answer; never fails
 */
public record StoredCopy(Reply reply, Future<Result> result) {

  /** How keeping an answer ended. */
  public sealed interface Result {}

  /** The whole answer, ready to store. */
  public record Stored(StoredReply reply) implements Result {}

  /** The answer was whole but is not kept: larger than the limit, or a stream that cannot be replayed faithfully. */
  public record NotKept() implements Result {}

  /**
   * An LLM stream broke off after it started, or its client went away: there is no whole answer, and the
   * provider may have finished it or not. (A plain body that broke off is {@link NotKept}: its status was
   * the upstream's answer.)
   */
  public record BrokenStream() implements Result {}

  /**
   * Starts copying {@code reply}, keeping at most {@code maxBytes}; a streamed body's copy takes from {@code held},
   * the request's share of the memory budget, and is not kept when that has no room.
   */
  public static StoredCopy of(Reply reply, long maxBytes, Clock clock, HeldBytes held) {
    if (reply.answer(ChatAnswer.Streaming.class).orElse(null) instanceof ChatAnswer.Streaming streaming) {
      if (reply.body() instanceof Body.Stream) {
        return nativeStream(reply, streaming.stream(), maxBytes, clock, held);
      }
      return new StoredCopy(reply, recorded(reply, streaming.stream(), maxBytes, clock));
    }
    BodyCopy.Copy copy = BodyCopy.of(reply.body(), maxBytes, held);
    Future<Result> result = copy.bytes().<Result>map(bytes -> stored(reply, bytes, clock))
        .otherwise(failure -> new NotKept());
    return new StoredCopy(reply.withBody(copy.body()), result);
  }

  /** The answer as kept, its bytes in a buffer of their own length (what the stores count). */
  private static Stored stored(Reply reply, Buffer bytes, Clock clock) {
    return new Stored(new StoredReply(reply.status(), reply.headers(), ExactBytes.of(bytes), clock.epochMillis()));
  }

  /**
   * A raw route's stream reaches its client as the provider's own bytes, so those bytes are what is kept;
   * whether it completed is the chat stream's verdict, read beside it.
   */
  private static StoredCopy nativeStream(Reply reply, ChatStream stream, long maxBytes, Clock clock,
      HeldBytes held) {
    BodyCopy.Copy copy = BodyCopy.of(reply.body(), maxBytes, held);
    Future<Result> result = stream.end().transform(ended -> ended.failed()
        ? Future.succeededFuture(new BrokenStream())
        : copy.bytes().<Result>map(bytes -> stored(reply, bytes, clock)).otherwise(failure -> new NotKept()));
    return new StoredCopy(reply.withBody(copy.body()), result);
  }

  private static Future<Result> recorded(Reply reply, ChatStream stream, long maxBytes, Clock clock) {
    return stream.record(maxBytes).map(recording -> switch (recording) {
      case StreamRecording.Kept kept ->
          stored(reply.withHeaders(reply.headers().with("Content-Type", "application/json")), kept.json(), clock);
      case StreamRecording.NotKept notKept -> new NotKept();
      case StreamRecording.Broken broken -> new BrokenStream();
    });
  }
}
