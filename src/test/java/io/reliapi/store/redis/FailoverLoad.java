package io.reliapi.store.redis;

import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Closed-loop load for failover tests: each of a few users sends one step (one or more requests), waits for
 * its answers and a short pause, and sends the next, until stopped. Every answer is kept with the time its
 * request was sent, so a test can check each one and see when the errors stopped.
 */
final class FailoverLoad {
  /** One answer: what was asked ({@code order} names a keyed request's key), when, and what came back. */
  record Answer(String kind, String order, long sentAtNanos, int status, String code, String body) {

    static Answer of(String kind, String order, long sentAtNanos, Res res) {
      return new Answer(kind, order, sentAtNanos, res.status(), code(res), res.body());
    }

    /** Returns the error code of the route's error shape (problem+json or the envelope), or "". */
    private static String code(Res res) {
      if (res.status() < 400 || res.body().isEmpty() || res.body().charAt(0) != '{') {
        return "";
      }
      var json = res.json();
      var error = json.has("error") ? json.get("error") : json;
      return error.has("code") ? error.get("code").asText() : "";
    }
  }

  private static final long PAUSE_MS = 15;

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final Queue<CompletableFuture<Void>> users = new ConcurrentLinkedQueue<>();

  /** Starts {@code users} users each repeating {@code step}. */
  FailoverLoad run(int count, Supplier<CompletableFuture<List<Answer>>> step) {
    for (int i = 0; i < count; i++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      users.add(done);
      loop(step, done);
    }
    return this;
  }

  private void loop(Supplier<CompletableFuture<List<Answer>>> step, CompletableFuture<Void> done) {
    if (!running.get()) {
      done.complete(null);
      return;
    }
    step.get().whenComplete((got, failure) -> {
      if (got != null) {
        answers.addAll(got);
      }
      CompletableFuture.delayedExecutor(PAUSE_MS, TimeUnit.MILLISECONDS).execute(() -> loop(step, done));
    });
  }

  /** Stops every user after its current step and returns every answer. */
  List<Answer> stop() {
    running.set(false);
    CompletableFuture.allOf(users.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    return List.copyOf(answers);
  }

  List<Answer> answersSoFar() {
    return List.copyOf(answers);
  }
}
