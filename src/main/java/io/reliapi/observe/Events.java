package io.reliapi.observe;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Sends every event to each listener in turn; a listener that throws cannot break a request. */
public final class Events implements GatewayEvents {
  private final List<GatewayEvents> listeners;

  public Events(List<GatewayEvents> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void attempt(String target, String deployment, String result) {
    each(l -> l.attempt(target, deployment, result));
  }

  @Override
  public void deploymentEjected(String target, String deployment, String reason) {
    each(l -> l.deploymentEjected(target, deployment, reason));
  }

  @Override
  public void deploymentCooledDown(String target, String deployment) {
    each(l -> l.deploymentCooledDown(target, deployment));
  }

  @Override
  public void deploymentMoved(String target, String reason) {
    each(l -> l.deploymentMoved(target, reason));
  }

  @Override
  public void hedge(String target, String outcome) {
    each(l -> l.hedge(target, outcome));
  }

  @Override
  public void cacheHit(String target) {
    each(l -> l.cacheHit(target));
  }

  @Override
  public void cacheMiss(String target) {
    each(l -> l.cacheMiss(target));
  }

  @Override
  public void idempotentReplay(String target) {
    each(l -> l.idempotentReplay(target));
  }

  @Override
  public void idempotencyClaimLost(String target) {
    each(l -> l.idempotencyClaimLost(target));
  }

  @Override
  public void coalesced(String target) {
    each(l -> l.coalesced(target));
  }

  @Override
  public void llmUsage(String target, String model, long promptTokens, long completionTokens, double costUsd) {
    each(l -> l.llmUsage(target, model, promptTokens, completionTokens, costUsd));
  }

  @Override
  public void llmTokenDetails(String target, String model, long cacheReadTokens, long cacheWriteTokens,
      long reasoningTokens, long audioPromptTokens, long audioCompletionTokens) {
    each(l -> l.llmTokenDetails(target, model, cacheReadTokens, cacheWriteTokens, reasoningTokens, audioPromptTokens,
        audioCompletionTokens));
  }

  @Override
  public void budgetEvent(String target, String event) {
    each(l -> l.budgetEvent(target, event));
  }

  @Override
  public void requestFinished(CompletedRequest request) {
    each(l -> l.requestFinished(request));
  }

  @Override
  public void retry(String target, String errorClass) {
    each(l -> l.retry(target, errorClass));
  }

  @Override
  public void streamResumed(String target, String errorClass) {
    each(l -> l.streamResumed(target, errorClass));
  }

  @Override
  public void retryBudgetExhausted(String target) {
    each(l -> l.retryBudgetExhausted(target));
  }

  @Override
  public void concurrencyLimiterCreated(String target, IntSupplier limit, IntSupplier inFlight, IntSupplier queued) {
    each(l -> l.concurrencyLimiterCreated(target, limit, inFlight, queued));
  }

  @Override
  public void queued(String target, String priority) {
    each(l -> l.queued(target, priority));
  }

  @Override
  public void shed(String target, String priority, String reason) {
    each(l -> l.shed(target, priority, reason));
  }

  @Override
  public void llmLimitRefused(String target, String limit, String kind) {
    each(l -> l.llmLimitRefused(target, limit, kind));
  }

  @Override
  public void circuitCreated(String target, String deployment, Supplier<String> state) {
    each(l -> l.circuitCreated(target, deployment, state));
  }

  @Override
  public void circuitTransition(String target, String deployment, String from, String to) {
    each(l -> l.circuitTransition(target, deployment, from, to));
  }

  @Override
  public void fallback(String from, String to) {
    each(l -> l.fallback(from, to));
  }

  @Override
  public void configReload(String result) {
    each(l -> l.configReload(result));
  }

  @Override
  public void telemetryExportFailed(int spans) {
    each(l -> l.telemetryExportFailed(spans));
  }

  @Override
  public void internalError(String step, String requestId, Throwable failure) {
    each(l -> l.internalError(step, requestId, failure));
  }

  private void each(Consumer<GatewayEvents> event) {
    for (GatewayEvents listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException ignored) {
        // Observability must never fail a request.
      }
    }
  }
}
