package io.reliapi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A result that completes on another event loop (a request coalesced with one on another loop, a limiter slot
 * handed over by another loop) is heard on the caller's own loop, so a request's trace and response are only
 * ever touched by its own event loop; a result that is already there is handed on as it is.
 */
class BackOnContextTest {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  // Event-loop contexts are handed out round robin over the two loops.
  private final Context caller = ((VertxInternal) vertx).createEventLoopContext();
  private final Context other = ((VertxInternal) vertx).createEventLoopContext();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void theTwoContextsRunOnDifferentLoops() throws Exception {
    assertThat(threadOf(caller)).isNotEqualTo(threadOf(other));
  }

  @Test
  void aResultCompletedOnAnotherLoopIsHeardOnTheCallersLoop() throws Exception {
    Promise<String> elsewhere = Promise.promise();
    CompletableFuture<String> heard = new CompletableFuture<>();
    caller.runOnContext(v -> BackOnContext.of(elsewhere.future())
        .onComplete(done -> heard.complete(done.result() + " on " + Thread.currentThread().getName())));
    completeFrom(other, elsewhere);

    assertThat(heard.get(5, TimeUnit.SECONDS)).isEqualTo("done on " + threadOf(caller));
  }

  @Test
  void aFailureCompletedOnAnotherLoopIsHeardOnTheCallersLoopToo() throws Exception {
    Promise<String> elsewhere = Promise.promise();
    CompletableFuture<String> heard = new CompletableFuture<>();
    caller.runOnContext(v -> BackOnContext.of(elsewhere.future())
        .onComplete(done -> heard.complete(done.cause().getMessage() + " on " + Thread.currentThread().getName())));
    threadOf(caller);
    other.runOnContext(v -> elsewhere.fail("store down"));

    assertThat(heard.get(5, TimeUnit.SECONDS)).isEqualTo("store down on " + threadOf(caller));
  }

  @Test
  void aResultAlreadyThereIsHandedOnAsItIs() throws Exception {
    CompletableFuture<Boolean> same = new CompletableFuture<>();
    caller.runOnContext(v -> {
      Future<String> done = Future.succeededFuture("now");
      same.complete(BackOnContext.of(done) == done);
    });
    assertThat(same.get(5, TimeUnit.SECONDS)).isTrue();
  }

  /** Completes {@code promise} on {@code context}'s loop once the caller's loop has run what was queued on it. */
  private void completeFrom(Context context, Promise<String> promise) throws Exception {
    threadOf(caller);
    context.runOnContext(v -> promise.complete("done"));
  }

  private static String threadOf(Context context) throws Exception {
    CompletableFuture<String> name = new CompletableFuture<>();
    context.runOnContext(v -> name.complete(Thread.currentThread().getName()));
    return name.get(5, TimeUnit.SECONDS);
  }
}
