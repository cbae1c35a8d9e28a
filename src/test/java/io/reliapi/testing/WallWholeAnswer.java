package io.reliapi.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * A non-streamed answer of the {@link FaultWall}: a {@code chat.completion} with the canonical text (or the
 * rest of it after a prefill), or its fault: late, cut short of its announced length, headers then silence,
 * or a body that is not JSON.
 */
final class WallWholeAnswer {
  private final WallReply reply;
  private final WallConnection connection;
  private final WallTiming timing;
  private final WallAnswer answer;

  WallWholeAnswer(WallReply reply, WallAnswer answer) {
    this.reply = reply;
    this.connection = reply.connection();
    this.timing = reply.timing();
    this.answer = answer;
  }

  /** Sends the answer; completes with whether the connection may carry another request. */
  Future<Boolean> send() {
    if (reply.mode() != WallFault.Stream.SLOW) {
      return answer();
    }
    reply.entry().action("200 after " + WallTiming.seconds(timing.slowTtftS()) + "s");
    Promise<Boolean> sent = Promise.promise();
    reply.vertx().setTimer(Math.max(1, timing.slowTtftMs()), t -> answer().onComplete(sent));
    return sent.future();
  }

  private Future<Boolean> answer() {
    String text = (answer.continuation() ? " " : "") + String.join(" ", answer.words());
    Buffer body = WallReplies.completion(answer.id(), answer.model(), text, answer.promptTokens(),
        answer.words().size()).toBuffer();
    String length = Integer.toString(body.length());
    Map<String, String> json = Map.of("Content-Type", "application/json", "Content-Length", length);
    switch (reply.mode()) {
      case CUT -> {
        int part = (int) (body.length() * 0.6);
        reply.entry().action("200 truncated body " + part + "/" + body.length() + "B then close");
        connection.write(WallReplies.head(200, json, false).appendBuffer(body.getBuffer(0, part)))
            .onComplete(v -> connection.close());
        return Future.succeededFuture(false);
      }
      case STALL -> {
        reply.entry().action("200 headers then silence " + WallTiming.seconds(timing.stallS()) + "s then close");
        connection.write(WallReplies.head(200, json, false));
        Promise<Boolean> over = Promise.promise();
        reply.vertx().setTimer(Math.max(1, timing.stallMs()), t -> over.tryComplete(false));
        connection.onClose(() -> over.tryComplete(false));
        return over.future();
      }
      case MALFORMED -> {
        Buffer bad = body.getBuffer(0, body.length() / 2).appendString("\"oops");
        reply.entry().action("200 malformed JSON body");
        return connection.write(WallReplies.head(200, Map.of("Content-Type", "application/json",
            "Content-Length", Integer.toString(bad.length())), answer.keepAlive()).appendBuffer(bad))
            .map(answer.keepAlive());
      }
      default -> {
        reply.entry().actionIfUnset("200");
        return connection.write(WallReplies.head(200, json, answer.keepAlive()).appendBuffer(body))
            .map(answer.keepAlive());
      }
    }
  }
}
