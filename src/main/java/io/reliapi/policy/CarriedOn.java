package io.reliapi.policy;

import io.reliapi.http.Body;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatRequest;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Exchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request that others depend on is carried on to its end when its own client hangs up: the holder of an
 * idempotency key (its client's retry with the key gets the answer) and the leader of a cache fill (the requests
 * waiting on it get the answer). Its upstream call is not reset and its retries and fallbacks go on, bounded by
 * its deadline; an answer body nobody reads is read to its end so that its copy completes. An LLM stream is the
 * exception: it is read as it is made, and a client that stops one (a "stop" button) means to stop paying for it,
 * unless duplicates of its idempotency key wait for it (the idempotency stage's {@code StreamLeads}).
 */
public final class CarriedOn {
  private CarriedOn() {}

  /** Returns {@code exchange} with a cancellation its client's hang-up does not fire (an LLM stream's it does). */
  public static Exchange withoutClient(Exchange exchange) {
    return stream(exchange) ? exchange : exchange.withCancellation(new Cancellation());
  }

  /** Returns whether {@code exchange} asks for an LLM stream. */
  public static boolean stream(Exchange exchange) {
    return exchange.payload(ChatRequest.class).map(ChatRequest::stream).orElse(false);
  }

  /**
   * Returns the copy's reply, whose body, if it is dropped unread (its client hung up), is still read to its
   * end, so that the copy completes and keeps the answer; a body too large to keep is then reset, as a dropped
   * body is. An LLM stream is read by its own stream, not here.
   */
  public static Reply readWhenDropped(StoredCopy copy) {
    Reply reply = copy.reply();
    if (!(reply.body() instanceof Body.Stream stream) || reply.answer(ChatAnswer.Streaming.class).isPresent()) {
      return reply;
    }
    Runnable drain = () -> {
      copy.result().onSuccess(kept -> {
        if (!(kept instanceof StoredCopy.Stored)) {
          stream.abort().run();
        }
      });
      readToEnd(stream.source());
    };
    return reply.withBody(new Body.Stream(stream.source(), stream.length(), drain));
  }

  /** Reads {@code source} to its end, dropping what it reads, so that a copy taken beside it completes. */
  public static void readToEnd(ReadStream<Buffer> source) {
    source.exceptionHandler(failure -> {});
    source.endHandler(end -> {});
    source.handler(chunk -> {});
    source.resume();
  }
}
