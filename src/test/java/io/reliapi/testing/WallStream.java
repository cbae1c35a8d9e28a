package io.reliapi.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A streamed answer of the {@link FaultWall}: the role chunk, one word per chunk every
 * {@code token_interval_ms}, the finish chunk, the usage chunk if asked for, {@code data: [DONE]} and the
 * terminating chunk — or the fault of its {@link WallFault.Stream} mode on the way. Runs on the wall's event
 * loop with timers; stops quietly once the caller hung up.
 */
final class WallStream {
  private final Vertx vertx;
  private final WallConnection connection;
  private final WallTiming timing;
  private final WallFault.Stream mode;
  private final WallAttempt entry;
  private final String id;
  private final String model;
  private final long created = WallReplies.nowEpochS();
  private final List<String> words;
  private final boolean continuation;
  private final boolean includeUsage;
  private final int promptTokens;
  private final boolean keepAlive;
  private final Promise<Boolean> done = Promise.promise();
  private int sent;

  record Answer(String id, String model, List<String> words, boolean continuation, boolean includeUsage,
      int promptTokens, boolean keepAlive) {}

  WallStream(Vertx vertx, WallConnection connection, WallTiming timing, WallFault.Stream mode, WallAttempt entry, Answer answer) {
    this.vertx = vertx;
    this.connection = connection;
    this.timing = timing;
    this.mode = mode;
    this.entry = entry;
    this.id = answer.id();
    this.model = answer.model();
    this.words = answer.words();
    this.continuation = answer.continuation();
    this.includeUsage = answer.includeUsage();
    this.promptTokens = answer.promptTokens();
    this.keepAlive = answer.keepAlive();
  }

  /** Streams the answer; completes with whether the connection may carry another request. */
  Future<Boolean> start() {
    connection.onClose(() -> done.tryComplete(false));
    connection.write(WallReplies.head(200, Map.of("Content-Type", "text/event-stream; charset=utf-8",
        "Cache-Control", "no-cache", "Transfer-Encoding", "chunked", "X-Accel-Buffering", "no"), keepAlive));
    if (mode == WallFault.Stream.SLOW) {
      entry.action("200 stream, first token after " + WallTiming.seconds(timing.slowTtftS()) + "s");
      vertx.setTimer(Math.max(1, timing.slowTtftMs()), t -> role());
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
    if (i == words.size()) {
      finish();
      return;
    }
    if (mode == WallFault.Stream.CUT && i == timing.cutAfterTokens()) {
      entry.action("200 stream cut after " + i + " tokens (no terminating chunk)");
      connection.close();
      done.tryComplete(false);
      return;
    }
    if (mode == WallFault.Stream.STALL && i == timing.stallAfterTokens()) {
      entry.action("200 stream stalled after " + i + " tokens for " + WallTiming.seconds(timing.stallS())
          + "s then close");
      vertx.setTimer(Math.max(1, timing.stallMs()), t -> connection.close());
      return;
    }
    if (mode == WallFault.Stream.MALFORMED && i == timing.malformedAtToken()) {
      entry.action("200 stream with malformed chunk at token " + i);
      connection.write(WallReplies.event("data: {\"id\": \"" + id
          + "\", \"object\": \"chat.completion.chunk\", \"choices\": [{\"delta\": {\"content\": \n\n"));
    }
    String text = i > 0 || continuation ? " " + words.get(i) : words.get(i);
    connection.write(WallReplies.event(chunk(new JsonObject().put("content", text), null)));
    sent++;
    if (timing.tokenIntervalMs() > 0) {
      vertx.setTimer(timing.tokenIntervalMs(), t -> word(i + 1));
    } else {
      vertx.runOnContext(v -> word(i + 1));
    }
  }

  private void finish() {
    connection.write(WallReplies.event(chunk(new JsonObject(), "stop")));
    if (includeUsage) {
      connection.write(WallReplies.event(WallReplies.usageChunk(id, created, model, promptTokens, sent)));
    }
    if (mode == WallFault.Stream.NO_DONE) {
      entry.action("200 stream complete, [DONE] omitted");
    } else {
      connection.write(WallReplies.event("data: [DONE]\n\n"));
      entry.actionIfUnset("200 stream");
    }
    connection.write(WallReplies.lastChunk()).onComplete(written -> done.tryComplete(keepAlive));
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    return WallReplies.streamChunk(id, created, model, delta, finishReason);
  }
}
