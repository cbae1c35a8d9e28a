package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.MockUpstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reload that raises {@code max_connections} while an old client's attempt waits for a place: the old client's
 * own pool (Vert.x's) is still of the old size, so a place handed to that waiter could only be spent waiting in
 * Vert.x's queue for the old pool's busy connection (up to the connect timeout, then failing as if the target did
 * not answer), while the new client's attempt, which its pool could serve at once, is refused. The raised room goes
 * to the attempt that can use it; the old waiter still waits only briefly. Everything on one event loop.
 */
class PoolPlacesAcrossClientsTest {
  private final MockUpstream up = MockUpstream.start();
  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();
  private final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();

  @AfterEach
  void stop() {
    held.forEach(call -> call.request().connection().close());
    vertx.close();
    up.close();
  }

  private TargetConfig target(int connectTimeoutMs) {
    return ConfigLoader.parse("targets: {api: {base_url: '" + up.baseUrl() + "', connect_timeout_ms: "
        + connectTimeoutMs + "}}", n -> null).target("api").orElseThrow();
  }

  private static Attempt attempt() {
    return new Attempt(new AttemptLimit(60_000, false), 60_000, true, 1 << 20, new Cancellation(), "req_pool");
  }

  private static Future<Reply> send(UpstreamClient client) {
    return client.send(new HttpCall("GET", "/work", Headers.empty(), Body.EMPTY), attempt());
  }

  /** Runs {@code action} on the event loop and returns what it returned. */
  private <T> T onLoop(Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.runOnContext(v -> result.complete(action.get()));
    return result.get(5, TimeUnit.SECONDS);
  }

  private static Reply replyOf(Future<Reply> sent) throws Exception {
    return sent.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRaisedBoundGoesToTheNewClientsAttemptNotToAnOldWaiterWhosePoolIsFull() throws Exception {
    up.otherwise("GET /work", held::add);
    PoolPlaces places = new PoolPlaces();
    TargetConfig target = target(30_000);
    UpstreamClient old = onLoop(() -> new UpstreamClient(vertx, target, 1, Headers.empty(), places, "api"));
    Future<Reply> first = onLoop(() -> send(old));
    await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 1);

    // In one turn of the loop: an old attempt starts waiting, then the reload's new client raises the bound to 2.
    Future<Reply>[] sent = onLoop(() -> {
      Future<Reply> waiting = send(old);
      UpstreamClient raised = new UpstreamClient(vertx, target, 2, Headers.empty(), places, "api");
      @SuppressWarnings("unchecked")
      Future<Reply>[] both = new Future[] {waiting, send(raised)};
      return both;
    });
    Future<Reply> waiting = sent[0];
    Future<Reply> fresh = sent[1];

    await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 2 || fresh.isComplete());
    assertThat(fresh.isComplete()).as("the new client's attempt reaches the upstream, not refused").isFalse();
    assertThat(up.connectionsOpened()).isEqualTo(2);
    // The old waiter's own pool is busy: it is refused as overloaded after its brief wait, not after the connect
    // timeout as if the target had not answered.
    GatewayException refused = failureOf(waiting);
    assertThat(refused.code()).isEqualTo(ErrorCode.OVERLOADED);

    while (!held.isEmpty()) {
      Behavior.json(200, "{}").respond(held.poll());
    }
    assertThat(replyOf(first).status()).isEqualTo(200);
    assertThat(replyOf(fresh).status()).isEqualTo(200);
  }

  private static GatewayException failureOf(Future<Reply> sent) throws Exception {
    try {
      sent.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (GatewayException) e.getCause();
    }
    throw new AssertionError("the attempt should have been refused");
  }
}
