package io.reliapi.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployments a request's attempts on its current target went to, oldest first, so a retry or a hedged
 * attempt goes to another one when there is one, and how many attempts were made there. Every attempt on one
 * target shares it (a fallback target starts a new one). Written and read on the request's event loop only.
 * It also keeps what this request alone learnt on the target: which deployments asked it to wait (a 503 or 529 with
 * {@code Retry-After}) and which retry the retry budget refused, so neither is decided twice.
 */
public final class TriedDeployments {
  private List<String> names;
  private boolean lastMayHaveActed;
  private int attempts;
  private Map<String, Long> waits;
  private int budgetRefused;
  private long allWaitUntil;

  /** Notes that an attempt went to {@code deployment}. */
  public void add(String deployment) {
    if (names == null) {
      names = new ArrayList<>(2);
    }
    names.add(deployment);
  }

  /** Returns whether an attempt went to {@code deployment}. */
  public boolean contains(String deployment) {
    return names != null && names.contains(deployment);
  }

  /** Notes whether the latest attempt's deployment may have acted on the request (it was sent, and not refused). */
  public void lastMayHaveActed(boolean mayHaveActed) {
    lastMayHaveActed = mayHaveActed;
  }

  /** Returns whether the deployment of the latest attempt may have acted on the request. */
  public boolean lastMayHaveActed() {
    return lastMayHaveActed;
  }

  /** Notes that attempt {@code number} on the target started (a continuation of its stream numbers on from it). */
  public void attempted(int number) {
    attempts = Math.max(attempts, number);
  }

  /** Returns the number of the latest attempt on the target, 0 before the first. */
  public int attempts() {
    return attempts;
  }

  /** Returns the deployment the latest attempt went to, or null before the first. */
  public String last() {
    return names == null ? null : names.get(names.size() - 1);
  }

  /** Notes that {@code deployment} asked this request to wait until {@code untilEpochMillis}. */
  public void askedToWait(String deployment, long untilEpochMillis) {
    if (waits == null) {
      waits = new HashMap<>(2);
    }
    waits.merge(deployment, untilEpochMillis, Math::max);
  }

  /** Returns until when {@code deployment} asked this request to wait, 0 when it did not. */
  public long waitsUntil(String deployment) {
    return waits == null ? 0 : waits.getOrDefault(deployment, 0L);
  }

  /**
   * Notes, after an attempt, that every deployment its next attempt could go to asked this request to wait (or is
   * kept out for everyone meanwhile), the first until {@code untilEpochMillis}; 0 when one can take it now.
   */
  public void allAskedToWaitUntil(long untilEpochMillis) {
    allWaitUntil = untilEpochMillis;
  }

  /**
   * Returns when the target can take this request's next attempt, when every deployment left asked it to wait; 0 when
   * one can now. The retry stage waits for it as for a {@code Retry-After}: a retry before it would go nowhere.
   */
  public long allAskedToWaitUntil() {
    return allWaitUntil;
  }

  /** Notes that the retry budget refused retry number {@code attempt} (the attempt that was not made). */
  public void budgetRefused(int attempt) {
    budgetRefused = attempt;
  }

  /** Returns the number of the attempt the retry budget refused last, 0 when it refused none. */
  public int budgetRefused() {
    return budgetRefused;
  }
}
