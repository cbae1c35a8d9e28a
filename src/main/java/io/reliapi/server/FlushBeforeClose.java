package io.reliapi.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * Flushes what was written to a client connection before it closes. Vert.x holds back the flush of what is written
 * while it reads (it flushes once the read ends), and closes a connection whose request body its parser refuses (a
 * bad chunk size) in the middle of that read: the answer the gateway wrote for it, 400 {@code INVALID_REQUEST} for the
 * unreadable body or a 401 written before the body was read, was dropped unsent, and the client saw the connection
 * close without a word.
 */
@ChannelHandler.Sharable
final class FlushBeforeClose extends ChannelOutboundHandlerAdapter {
  private static final FlushBeforeClose INSTANCE = new FlushBeforeClose();

  private FlushBeforeClose() {}

  /**
   * Puts the handler right in front of Vert.x's own, which every close of the connection passes: nearer the socket
   * would be too late over TLS, whose handler, once asked to close, seals the connection before it sends what it
   * holds.
   */
  static void install(HttpConnection connection) {
    if (connection instanceof HttpServerConnection server) {
      ChannelHandlerContext vertx = server.channelHandlerContext();
      vertx.pipeline().addBefore(vertx.name(), "reliapi-flush-before-close", INSTANCE);
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.flush();
    ctx.close(promise);
  }
}
