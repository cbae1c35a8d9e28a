package io.reliapi.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * The lingering close of RFC 9112 §9.6 for a connection that ends after an answer saying {@code Connection: close}.
 * Closing a socket whose receive buffer still holds bytes (a request the client pipelined behind the refused one, the
 * rest of a body) makes Linux send a reset instead of an orderly end, and a reset can destroy the answer before the
 * client has read it. So the close is held back: once everything written is on the wire, the write side is shut (the
 * client reads the answer and then the end), every byte still arriving is dropped before any decoder sees it, and the
 * socket closes when the client's FIN arrives or when {@link #end} is called (the linger's deadline). Nothing sets
 * {@code ALLOW_HALF_CLOSURE}, so the transport itself closes the socket on the client's FIN; the
 * {@link ChannelInputShutdownEvent} branch is a fallback for a channel that does allow half-closure.
 *
 * <p>It sits nearest the socket, so the close it holds back is the last step of every close: over TLS the close has
 * passed the TLS handler, which has sent its {@code close_notify} by then, and the raw bytes still arriving (the
 * client's records, its own {@code close_notify}) are dropped undecrypted. Vert.x stops reading a connection whose
 * pipelined request waits behind one never served, so the dropping turns reading back on. The socket stays open, and
 * counted in {@code server.max_connections}, until it really closes.
 */
final class LingeringClose extends ChannelDuplexHandler {
  private ChannelHandlerContext context;
  private boolean lingering;
  private Runnable onWritten = () -> {};

  private LingeringClose() {}

  /** Makes the connection's next close linger; null for a connection that is no Vert.x HTTP server one. */
  static LingeringClose install(HttpConnection connection) {
    if (!(connection instanceof HttpServerConnection server)) {
      return null;
    }
    LingeringClose handler = new LingeringClose();
    server.channelHandlerContext().pipeline().addFirst("reliapi-lingering-close", handler);
    return handler;
  }

  /** Closes the socket now, lingering or not: the linger's deadline. Called on the connection's event loop. */
  void end() {
    if (context != null && context.channel().isOpen()) {
      context.close();
    }
  }

  /** Runs {@code then} on the connection's event loop once the answer is on the wire and the output shut. */
  void whenWritten(Runnable then) {
    onWritten = then;
  }

  /** Runs {@code then} on the connection's event loop once the socket has closed. */
  void whenClosed(Runnable then) {
    context.channel().closeFuture().addListener(closed -> then.run());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.channel().closeFuture().addListener(closed -> promise.trySuccess());
    if (lingering) {
      return;
    }
    lingering = true;
    // Shutting the output fails whatever is not written yet: it waits until the answer is on the wire.
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
      if (!written.isSuccess() || !(ctx.channel() instanceof DuplexChannel duplex)) {
        ctx.close();
        return;
      }
      duplex.shutdownOutput().addListener(shut -> {
        if (!shut.isSuccess()) {
          ctx.close();
        }
      });
      onWritten.run();
      ctx.channel().config().setAutoRead(true);
      ctx.read();
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      ReferenceCountUtil.release(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!lingering) {
      ctx.fireChannelReadComplete();
    } else if (!ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (lingering && event instanceof ChannelInputShutdownEvent) {
      ctx.close();  // fallback (half-closure allowed): the client has closed its side, nothing more to drop
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (lingering) {
      ctx.close();
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }
}
