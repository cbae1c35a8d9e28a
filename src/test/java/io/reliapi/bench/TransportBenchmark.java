package io.reliapi.bench;

import io.reliapi.config.ServerConfig;
import io.reliapi.server.EventLoopTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code server.transport} decision: 32 keep-alive requests in flight over loopback between a Vert.x HTTP
 * client and server (a 342-byte answer, as in the benchmark of record), both on the transport named; the time
 * of one batch of 32. Most of it is the kernel's, which is what the transports differ in. Run with
 * {@code bench/jmh.sh Transport}; not a test.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TransportBenchmark {
  static final int IN_FLIGHT = 32;

  @Param({"io_uring", "epoll", "nio"})
  public String transport;

  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;

  @Setup(Level.Trial)
  public void start() throws Exception {
    ServerConfig.Transport chosen = ServerConfig.Transport.valueOf(transport.toUpperCase(java.util.Locale.ROOT));
    if (!EventLoopTransport.availableHere(chosen)) {
      throw new IllegalStateException(transport + " is not available on this host");
    }
    vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(2))
        .withTransport(EventLoopTransport.vertx(chosen)).build();
    Buffer answer = Buffer.buffer("{\"data\":\"" + "x".repeat(330) + "\"}");
    server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(answer))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()), new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public int batchOf32() throws Exception {
    List<Future<Buffer>> answers = new ArrayList<>(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      answers.add(client.request(HttpMethod.GET, "/x")
          .compose(req -> req.send().compose(res -> res.body())));
    }
    return Future.all(answers).await(10, TimeUnit.SECONDS).size();
  }
}
