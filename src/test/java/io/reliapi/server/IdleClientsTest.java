package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.RawConnection;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link IdleClients} keeps of a connection between its requests: nothing of the answered exchange. A server of
 * its own (real sockets) reads each body as the routes do ({@link InboundBody}) and answers it.
 */
class IdleClientsTest {
  private Vertx vertx;
  private HttpServer server;
  private final AtomicReference<WeakReference<Buffer>> lastBody = new AtomicReference<>();
  /** What the server does with each request it is to serve: by default, reads the body whole and answers "ok". */
  private volatile Handler<HttpServerRequest> serve = request -> {
    request.pause();
    InboundBody.read(request, 4 << 20).onSuccess(body -> {
      lastBody.set(new WeakReference<>(body));
      request.response().end("ok");
    });
  };

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Context context = vertx.getOrCreateContext();
    CompletableFuture<HttpServer> listening = new CompletableFuture<>();
    context.runOnContext(v -> {
      IdleClients idle = new IdleClients(vertx, 60_000);
      vertx.createHttpServer()
          .connectionHandler(idle::connected)
          .requestHandler(request -> {
            if (idle.requestArrived(request)) {
              serve.handle(request);
            }
          })
          .listen(0, "127.0.0.1").onComplete(result -> listening.complete(result.result()));
    });
    server = listening.get();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void anAnsweredBodyIsNotKeptWhileTheConnectionWaitsForItsNextRequest() {
    String body = "x".repeat(1 << 20);
    try (RawConnection connection = RawConnection.open(server.actualPort(), 3_000)) {
      connection.write("POST /a HTTP/1.1\r\nHost: gw\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
      assertThat(connection.readAnswer().body()).isEqualTo("ok");
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        System.gc();
        return lastBody.get().get() == null;
      });
      connection.write("GET /b HTTP/1.1\r\nHost: gw\r\n\r\n");
      assertThat(connection.readAnswer().body()).as("the connection stayed open").isEqualTo("ok");
    }
  }

  /**
   * An answer that says {@code Connection: close} written before the body was read, by code that never drains it
   * (the last-resort 500): the connection is drained and closed within the linger, not left open with no idle limit.
   */
  @Test
  void anAnswerThatSaysCloseBeforeTheBodyEndsTheConnectionWithinTheLinger() {
    serve = request -> Unrouted.lastResort(request.response(), "r-1");
    try (RawConnection connection = RawConnection.open(server.actualPort(), 3 * (int) UnreadBody.LINGER_MS)) {
      connection.write("POST /a HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\n{\"a\":");
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(500);
      assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(connection.closedByServer()).isTrue();
    }
  }
}
