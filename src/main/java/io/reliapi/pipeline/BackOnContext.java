package io.reliapi.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;

/**
 * Brings the result of a future that may complete on another thread (a shared store, a request on another
 * event loop) back to the calling request's own context, so the request's trace and response are only
 * ever touched by its own event loop.
 */
public final class BackOnContext {
  private BackOnContext() {}

  /** Returns a future with {@code future}'s result whose callbacks run on the caller's context. */
  public static <T> Future<T> of(Future<T> future) {
    if (future.isComplete() || !(Vertx.currentContext() instanceof ContextInternal context)) {
      return future;
    }
    PromiseInternal<T> promise = context.promise();
    future.onComplete(promise);
    return promise.future();
  }
}
