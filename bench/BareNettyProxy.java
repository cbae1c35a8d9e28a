import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;

/**
 * A reverse proxy straight on Netty's HTTP/1.1 codecs, without Vert.x: each client connection gets its own
 * upstream connection on the same event loop, requests and answers are copied across whole. It answers
 * "what would an HTTP layer of our own below Vert.x save?" beside {@code BareProxy} (docs/performance.md).
 * Paths {@code /t/up/...} are forwarded as {@code /...}.
 *   java -cp target/reliapi.jar bench/BareNettyProxy.java LISTEN_PORT UPSTREAM_PORT
 */
public class BareNettyProxy {
  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    var loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), EpollIoHandler.newFactory());
    new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Front(upstreamPort));
          }
        }).bind("127.0.0.1", port).sync();
    Thread.currentThread().join();
  }

  /** The client's side: forwards each request to this connection's own upstream connection. */
  static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final int upstreamPort;
    private final ArrayDeque<FullHttpRequest> beforeConnected = new ArrayDeque<>();
    private Channel upstream;

    Front(int upstreamPort) {
      this.upstreamPort = upstreamPort;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel client = ctx.channel();
      new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new Back(client));
            }
          }).connect("127.0.0.1", upstreamPort).addListener((ChannelFutureListener) connected -> {
            if (!connected.isSuccess()) {
              ctx.close();
              return;
            }
            upstream = connected.channel();
            for (FullHttpRequest waiting; (waiting = beforeConnected.poll()) != null; ) {
              upstream.writeAndFlush(waiting);
            }
          });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      var forwarded = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(),
          request.uri().substring("/t/up".length()), request.content().retain());
      forwarded.headers().set(request.headers()).set(HttpHeaderNames.HOST, "127.0.0.1:" + upstreamPort);
      if (upstream == null) {
        beforeConnected.add(forwarded);
      } else {
        upstream.writeAndFlush(forwarded);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (upstream != null) {
        upstream.close();
      }
    }
  }

  /** The upstream's side: copies each answer back to the client. */
  static final class Back extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Channel client;

    Back(Channel client) {
      this.client = client;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse answer) {
      var copy = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(), answer.content().retain());
      copy.headers().set(answer.headers());
      client.writeAndFlush(copy);
    }
  }
}
