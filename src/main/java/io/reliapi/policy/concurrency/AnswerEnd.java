package io.reliapi.policy.concurrency;

import io.reliapi.http.Body;
import io.reliapi.http.EndWatchedStream;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Runs an action once an attempt's answer has ended upstream, which is when its connection stops working
 * for it: at once for an answer read whole; when a stream ends, breaks or is let go unread otherwise (an LLM
 * stream's also when a continuation took over from it: the continuation is an attempt with a place of its own).
 */
final class AnswerEnd {
  private AnswerEnd() {}

  /** Returns {@code reply}, watched so that {@code action} runs once its answer ended. */
  static Reply watch(Reply reply, Runnable action) {
    Runnable once = new Runnable() {
      private boolean ran;

      @Override
      public void run() {
        if (!ran) {
          ran = true;
          action.run();
        }
      }
    };
    if (reply.answer(ChatAnswer.Streaming.class).orElse(null) instanceof ChatAnswer.Streaming streaming) {
      streaming.stream().onProviderDone(once);
      return reply;
    }
    if (reply.body() instanceof Body.Stream stream) {
      return reply.withBody(new Body.Stream(new Watched(stream.source(), once), stream.length(), () -> {
        stream.abort().run();
        once.run();
      }));
    }
    once.run();
    return reply;
  }

  /** A read stream passed on unchanged, whose end or failure runs the action first. */
  private static final class Watched extends EndWatchedStream {
    private final Runnable action;

    Watched(ReadStream<Buffer> source, Runnable action) {
      super(source);
      this.action = action;
    }

    @Override
    protected void ended() {
      action.run();
    }

    @Override
    protected void broke(Throwable failure) {
      action.run();
    }
  }
}
