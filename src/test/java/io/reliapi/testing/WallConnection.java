package io.reliapi.testing;

import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * One client connection of the {@link FaultWall}: requests are read and answered one at a time (keep-alive
 * honoured), and an answer may end the connection the polite way (a FIN, even in the middle of a chunked
 * body) or the rude way (a TCP reset).
 */
final class WallConnection {
  private final NetSocket socket;
  private final WallRequestParser parser = new WallRequestParser();
  private final BiFunction<WallConnection, WallRequest, Future<Boolean>> answer;
  private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private boolean busy;

  WallConnection(NetSocket socket, BiFunction<WallConnection, WallRequest, Future<Boolean>> answer) {
    this.socket = socket;
    this.answer = answer;
  }

  void start() {
    socket.closeHandler(v -> {
      closed = true;
      onClose.forEach(Runnable::run);
    });
    socket.handler(bytes -> {
      parser.feed(bytes);
      next();
    });
  }

  private void next() {
    if (busy || closed) {
      return;
    }
    Optional<WallRequest> request;
    try {
      request = parser.next();
    } catch (RuntimeException unreadable) {
      close();
      return;
    }
    if (request.isEmpty()) {
      return;
    }
    busy = true;
    Future<Boolean> answered;
    try {
      answered = answer.apply(this, request.get());
    } catch (RuntimeException unanswerable) {  // a body the wall cannot read (say, messages not a list)
      answered = Future.succeededFuture(false);
    }
    answered.onComplete(keep -> {
      busy = false;
      if (keep.succeeded() && keep.result() && !closed) {
        next();
      } else {
        close();
      }
    });
  }

  String peer() {
    return socket.remoteAddress().toString();
  }

  Future<Void> write(Buffer bytes) {
    return closed ? Future.succeededFuture() : socket.write(bytes);
  }

  /** Closes after what was written: a FIN, which in the middle of a chunked body leaves it unterminated. */
  void close() {
    if (!closed) {
      socket.close();
    }
  }

  /**
   * Aborts with a TCP reset instead of a FIN, as a crashed or overloaded server does. Vert.x has no public way
   * to reset a plain socket, so the channel underneath gets SO_LINGER 0, with which a close sends RST.
   */
  void reset() {
    ((NetSocketInternal) socket).channelHandlerContext().channel().config().setOption(ChannelOption.SO_LINGER, 0);
    socket.close();
  }

  boolean closed() {
    return closed;
  }

  /** Runs {@code action} when the client hangs up (or the wall closes the connection). */
  void onClose(Runnable action) {
    onClose.add(action);
  }
}
