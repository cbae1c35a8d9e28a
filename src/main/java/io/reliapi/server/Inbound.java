package io.reliapi.server;

import io.reliapi.config.ServerConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.HeldBytes;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Trace;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeUnit;

/**
 * A request as it arrives, before its route has parsed it: who sent it, when, its trace, the keep-alive hold a
 * streaming route may start while it waits for its answer, the deadline its body must arrive by, and its share of
 * the memory budget for what it buffers (given back when it ends).
 */
public record Inbound(
    HttpServerRequest request,
    String requestId,
    long startNanos,
    Caller caller,
    Trace trace,
    Cancellation cancellation,
    StreamHold hold,
    BodyDeadline bodyDeadline,
    HeldBytes buffered) {

  /**
   * Returns the request's body to stream upstream, paused until the upstream reads it. From now on the body
   * deadline counts only the time the body flows: while the gateway holds it paused (the attempt has not
   * started, or the upstream takes it more slowly than the client sends it) the client is not to blame.
   */
  public ReadStream<Buffer> streamedBody() {
    return bodyDeadline.streamed(request);
  }

  /**
   * Returns when the request must be done with {@code target}: its {@code deadline_ms} (else the server's) after
   * arrival.
   */
  public long deadlineNanos(TargetConfig target, ServerConfig server) {
    return startNanos + TimeUnit.MILLISECONDS.toNanos(target.deadlineMs(server));
  }
}
