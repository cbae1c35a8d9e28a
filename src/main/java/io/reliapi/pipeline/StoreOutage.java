package io.reliapi.pipeline;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.store.Guarded;
import io.reliapi.store.StoreUnavailableException;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * What a request that needs the shared store for a guarantee does when the store cannot be reached
 * (SPEC §7): fail closed with 503 {@code STORE_UNAVAILABLE}, or, under {@code on_unavailable: degrade},
 * run on this instance's local state and say so ({@code X-ReliAPI-Degraded}, the degraded counter).
 */
public final class StoreOutage {
  /** How long a client is asked to wait before retrying while the store is unreachable. */
  public static final long RETRY_AFTER_S = 1;

  private StoreOutage() {}

  /**
   * Runs {@code operation} on the shared store, and on the local one if the shared store is unavailable
   * and the rule is to degrade. The result comes back on the caller's context.
   */
  public static <S, T> Future<T> run(Guarded<S> store, Trace trace, Function<S, Future<T>> operation) {
    return BackOnContext.of(operation.apply(store.shared())).recover(failure -> {
      if (!(failure instanceof StoreUnavailableException)) {
        return Future.failedFuture(failure);
      }
      if (!store.degrade()) {
        return Future.failedFuture(unavailable());
      }
      trace.degraded(true);
      return BackOnContext.of(operation.apply(store.local()));
    });
  }

  /** Maps an unavailable store to the client's 503, leaving other failures as they are. */
  public static <T> Future<T> failClosed(Future<T> operation) {
    return BackOnContext.of(operation).recover(failure -> Future.failedFuture(
        failure instanceof StoreUnavailableException ? unavailable() : failure));
  }

  /** Returns the client's error for a guarantee that cannot be given while the store is unreachable. */
  public static GatewayException unavailable() {
    return GatewayException.of(ErrorCode.STORE_UNAVAILABLE,
        "The shared state store is unavailable; retry shortly.").withRetryAfter(RETRY_AFTER_S);
  }
}
