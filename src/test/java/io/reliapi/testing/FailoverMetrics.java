package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What one scenario measured, from the caller's result and the wall's log (failoverbench's
 * {@code base_metrics}): the outcome and answer, the attempts the wall saw on the primary and on the fallback
 * model, prefill rejections, S15's sequence, and whether a healthy call went through afterwards.
 */
public record FailoverMetrics(String outcome, boolean complete, String content, String error, Integer status,
    double elapsedS, Double ttftS, String reportedModel, JsonNode usage, String fallbackModel,
    List<WallAttempt> primary, List<WallAttempt> fallback, int prefillRejections, List<WallAttempt> wall,
    SequenceMetrics sequence, boolean aliveAfter, String aliveError) {

  /** S15's view of its requests: how many fell in the outage, were served, and when the primary came back. */
  public record SequenceMetrics(List<SequenceItem> items, int requestsDuringDown, int servedDuringDown,
      int primaryAttemptsDuringDown, Double recoveredAfterS, double flapDownS) {
    public int hangs() {
      return (int) items.stream().filter(i -> i.outcome().equals("hang")).count();
    }
  }

  /** One request of the sequence: when it was sent (since the reset) and how it ended. */
  public record SequenceItem(int i, double tSent, String outcome, boolean complete, double elapsedS,
      String reportedModel, String error) {}

  public static FailoverMetrics of(FailoverScenario scenario, FailoverCall call, List<WallAttempt> log) {
    String primaryTag = WallFault.lastSegment(scenario.model());
    String fallbackTag = WallFault.lastSegment(scenario.fallbackModel());
    List<WallAttempt> primary = attemptsOf(log, primaryTag);
    List<WallAttempt> fallback = attemptsOf(log, fallbackTag);
    int prefill = (int) log.stream().filter(e -> e.action() != null && e.action().startsWith("400 prefill")).count();
    return new FailoverMetrics(call.outcome(), call.complete(), call.content(), call.error(), call.status(),
        call.elapsedS(), call.ttftS(), call.reportedModel(), call.usage(), scenario.fallbackModel(), primary, fallback,
        prefill, log, null, false, null);
  }

  private static List<WallAttempt> attemptsOf(List<WallAttempt> log, String tag) {
    return log.stream().filter(e -> WallFault.lastSegment(e.model()).equals(tag)).toList();
  }

  /** These metrics (of the last request) with the whole sequence's outcome, from its items and the wall's log. */
  public FailoverMetrics withSequence(List<SequenceItem> items, double elapsedS, double flapDownS) {
    String outcome = items.stream().anyMatch(i -> i.outcome().equals("hang")) ? "hang"
        : items.stream().allMatch(i -> i.outcome().equals("success")) ? "success" : "error";
    List<SequenceItem> during = items.stream().filter(i -> i.tSent() < flapDownS).toList();
    OptionalDouble answered = primary.stream().filter(e -> e.action() != null && e.action().startsWith("200"))
        .mapToDouble(WallAttempt::t).min();
    Double recovered = answered.isPresent() ? Math.round((answered.getAsDouble() - flapDownS) * 1000) / 1000.0 : null;
    var sequence = new SequenceMetrics(items, during.size(),
        (int) during.stream().filter(i -> i.outcome().equals("success")).count(),
        (int) primary.stream().filter(e -> e.t() < flapDownS).count(), recovered, flapDownS);
    String firstError = items.stream().filter(i -> !i.outcome().equals("success")).map(SequenceItem::error)
        .findFirst().orElse(null);
    return new FailoverMetrics(outcome, items.stream().allMatch(SequenceItem::complete), content, firstError, status,
        elapsedS, ttftS, reportedModel, usage, fallbackModel, primary, fallback, prefillRejections, wall, sequence,
        aliveAfter, aliveError);
  }

  /** These metrics with the alive probe's result. */
  public FailoverMetrics withAlive(boolean alive, String why) {
    return new FailoverMetrics(outcome, complete, content, error, status, elapsedS, ttftS, reportedModel, usage,
        fallbackModel, primary, fallback, prefillRejections, wall, sequence, alive, why);
  }

  public int attemptsPrimary() {
    return primary.size();
  }

  public int attemptsFallback() {
    return fallback.size();
  }

  public List<Double> primaryTimes() {
    return primary.stream().map(WallAttempt::t).toList();
  }

  /** The prompt size of each primary attempt (null where the wall did not measure it). */
  public List<Integer> primaryPromptTokens() {
    return primary.stream().map(WallAttempt::promptTokens).toList();
  }

  /** Seconds between the first two primary attempts, or null without a second one. */
  public Double firstGapS() {
    return primary.size() < 2 ? null : Math.round((primary.get(1).t() - primary.get(0).t()) * 1000) / 1000.0;
  }

  public int contentWords() {
    return CanonicalAnswer.words(content).size();
  }
}
