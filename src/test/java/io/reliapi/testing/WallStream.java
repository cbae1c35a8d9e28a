package io.reliapi.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A streamed answer of the {@link FaultWall}: the role chunk, one word per chunk every
 * {@code token_interval_ms}, the finish chunk, the usage chunk if asked for, {@code data: [DONE]} and the
 * terminating chunk — or the fault of its {@link WallFault.Stream} mode on the way. Runs on the wall's event
 * loop with timers; stops quietly once the caller hung up.
 */
final class WallStream {
  private final WallReply reply;
  private final WallConnection connection;
  private final WallTiming timing;
  private final WallAnswer answer;
  private final long created = WallReplies.nowEpochS();
  private final Promise<Boolean> done = Promise.promise();
  private int sent;

  WallStream(WallReply reply, WallAnswer answer) {
    this.reply = reply;
    this.connection = reply.connection();
    this.timing = reply.timing();
    this.answer = answer;
  }

  /** Streams the answer; completes with whether the connection may carry another request. */
  Future<Boolean> start() {
    connection.onClose(() -> done.tryComplete(false));
    connection.write(WallReplies.head(200, Map.of("Content-Type", "text/event-stream; charset=utf-8",
        "Cache-Control", "no-cache", "Transfer-Encoding", "chunked", "X-Accel-Buffering", "no"), answer.keepAlive()));
    if (reply.mode() == WallFault.Stream.SLOW) {
      reply.entry().action("200 stream, first token after " + WallTiming.seconds(timing.slowTtftS()) + "s");
      reply.vertx().setTimer(Math.max(1, timing.slowTtftMs()), t -> role());
    } else {
      role();
    }
    return done.future();
  }

  private void role() {
    if (connection.closed()) {
      return;
    }
    connection.write(WallReplies.event(chunk(new JsonObject().put("role", "assistant").put("content", ""), null)));
    word(0);
  }

  private void word(int i) {
    if (connection.closed()) {
      return;
    }
    if (i == answer.words().size()) {
      finish();
      return;
    }
    if (reply.mode() == WallFault.Stream.CUT && i == timing.cutAfterTokens()) {
      reply.entry().action("200 stream cut after " + i + " tokens (no terminating chunk)");
      connection.close();
      done.tryComplete(false);
      return;
    }
    if (reply.mode() == WallFault.Stream.STALL && i == timing.stallAfterTokens()) {
      reply.entry().action("200 stream stalled after " + i + " tokens for " + WallTiming.seconds(timing.stallS())
          + "s then close");
      reply.vertx().setTimer(Math.max(1, timing.stallMs()), t -> connection.close());
      return;
    }
    if (reply.mode() == WallFault.Stream.MALFORMED && i == timing.malformedAtToken()) {
      reply.entry().action("200 stream with malformed chunk at token " + i);
      connection.write(WallReplies.event("data: {\"id\": \"" + answer.id()
          + "\", \"object\": \"chat.completion.chunk\", \"choices\": [{\"delta\": {\"content\": \n\n"));
    }
    String word = answer.words().get(i);
    String text = i > 0 || answer.continuation() ? " " + word : word;
    connection.write(WallReplies.event(chunk(new JsonObject().put("content", text), null)));
    sent++;
    if (timing.tokenIntervalMs() > 0) {
      reply.vertx().setTimer(timing.tokenIntervalMs(), t -> word(i + 1));
    } else {
      reply.vertx().runOnContext(v -> word(i + 1));
    }
  }

  private void finish() {
    connection.write(WallReplies.event(chunk(new JsonObject(), "stop")));
    if (answer.includeUsage()) {
      connection.write(WallReplies.event(
          WallReplies.usageChunk(answer.id(), created, answer.model(), answer.promptTokens(), sent)));
    }
    if (reply.mode() == WallFault.Stream.NO_DONE) {
      reply.entry().action("200 stream complete, [DONE] omitted");
    } else {
      connection.write(WallReplies.event("data: [DONE]\n\n"));
      reply.entry().actionIfUnset("200 stream");
    }
    connection.write(WallReplies.lastChunk()).onComplete(written -> done.tryComplete(answer.keepAlive()));
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    return WallReplies.streamChunk(answer.id(), created, answer.model(), delta, finishReason);
  }
}
