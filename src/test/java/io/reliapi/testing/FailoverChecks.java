package io.reliapi.testing;

import io.reliapi.testing.FailoverMetrics.SequenceMetrics;
import io.reliapi.testing.FailoverScenario.Check;
import java.util.List;
import java.util.Set;

/** Evaluates one catalogue check against a scenario's metrics (failoverbench's {@code runner.evaluate_check}). */
public final class FailoverChecks {
  private FailoverChecks() {}

  /** A check's status ({@code pass}, {@code fail}, {@code info} for a failed informational one, {@code na}). */
  public record Result(String id, String kind, String status, String detail, boolean advisory, boolean informational) {
    public boolean failed() {
      return status.equals("fail");
    }
  }

  public static Result evaluate(Check check, FailoverMetrics m, Set<String> capabilities, String profile) {
    if (check.requires() != null && !capabilities.contains(check.requires())) {
      return result(check, null, "n/a — system declares no " + check.requires());
    }
    String oc = m.outcome();
    Double value = check.value(profile);
    return switch (check.kind()) {
      case "no_hang" -> result(check, !oc.equals("hang"),
          oc.equals("hang") ? "HANG: " + m.error() : "ended in %.1fs (%s)".formatted(m.elapsedS(), oc));
      case "complete" -> {
        boolean ok = oc.equals("success") && m.complete();
        yield result(check, ok, ok ? "complete answer" : oc.equals("success") ? "truncated/altered answer" : oc);
      }
      case "no_truncated_success" -> {
        boolean bad = oc.equals("success") && !m.complete();
        yield result(check, !bad, bad ? "success with " + m.contentWords() + "/60 words"
            : oc.equals("success") ? "complete answer" : "no success claimed (" + oc + ")");
      }
      case "attempts_primary_min" -> result(check, m.attemptsPrimary() >= value, primary(m));
      case "attempts_primary_max" -> result(check, m.attemptsPrimary() <= value, primary(m));
      case "attempts_primary_eq" -> result(check, m.attemptsPrimary() == value, primary(m));
      case "context_retry_discipline" -> contextRetryDiscipline(check, m);
      case "attempts_fallback_min", "fallback_used" -> result(check,
          m.attemptsFallback() >= (value == null ? 1 : value), m.attemptsFallback() + " fallback attempt(s)");
      case "attempts_fallback_max" -> result(check, m.attemptsFallback() <= value,
          m.attemptsFallback() + " fallback attempt(s)");
      case "first_gap_min_s" -> result(check, m.firstGapS() != null && m.firstGapS() >= value,
          m.firstGapS() == null ? "no second attempt" : "gap %.2fs".formatted(m.firstGapS()));
      case "max_attempts_within" -> {
        List<Double> times = m.primaryTimes();
        long n = times.isEmpty() ? 0 : times.stream().filter(t -> t - times.getFirst() < check.windowS()).count();
        yield result(check, n <= value, n + " attempt(s) in first " + WallTiming.seconds(check.windowS()) + "s");
      }
      case "wall_max_s" -> result(check, !oc.equals("hang") && m.elapsedS() <= value, "%.1fs".formatted(m.elapsedS()));
      case "alive_after" -> result(check, m.aliveAfter(), m.aliveAfter() ? "healthy call succeeded afterwards"
          : "healthy call failed afterwards: " + m.aliveError());
      case "reported_model_is_fallback" -> reportedModel(check, m);
      case "usage_present" ->
          result(check, m.usage() != null, m.usage() != null ? "usage = " + m.usage() : "no usage block");
      case "no_prefill_masking" -> result(check, !(oc.equals("error") && m.prefillRejections() > 0),
          m.prefillRejections() + " prefill rejection(s) at the fallback; final outcome " + oc);
      default -> sequenceCheck(check, m.sequence(), value);
    };
  }

  /** One attempt is ideal; a retry counts only when each is strictly smaller than the one before (compacted). */
  private static Result contextRetryDiscipline(Check check, FailoverMetrics m) {
    int n = m.attemptsPrimary();
    List<Integer> sizes = m.primaryPromptTokens();
    if (n <= 1) {
      return result(check, true, primary(m));
    }
    if (sizes.size() < n || sizes.contains(null)) {
      return result(check, false, n + " primary attempts, prompt sizes not recorded — counted as a resend");
    }
    boolean shrinking = true;
    for (int i = 1; i < sizes.size(); i++) {
      shrinking &= sizes.get(i) < sizes.get(i - 1);
    }
    return result(check, shrinking, n + " primary attempts, prompt sizes " + sizes + " — "
        + (shrinking ? "each retry smaller (compacted)" : "resent at the same or larger size"));
  }

  private static Result reportedModel(Check check, FailoverMetrics m) {
    if (m.attemptsFallback() == 0) {
      return result(check, null, "n/a — the fallback was never used");
    }
    String reported = WallFault.lastSegment(m.reportedModel());
    String fallback = WallFault.lastSegment(m.fallbackModel());
    return result(check, !reported.isEmpty() && reported.contains(fallback), "response.model = " + m.reportedModel());
  }

  private static Result sequenceCheck(Check check, SequenceMetrics seq, Double value) {
    if (seq == null) {
      return result(check, false, "unknown check kind " + check.kind());
    }
    return switch (check.kind()) {
      case "seq_no_hang" -> result(check, seq.hangs() == 0, seq.hangs() + " hung request(s) of " + seq.items().size());
      case "seq_served_during_outage" -> result(check, seq.requestsDuringDown() > 0
          && seq.servedDuringDown() == seq.requestsDuringDown(),
          seq.servedDuringDown() + "/" + seq.requestsDuringDown() + " requests answered while primary was down");
      case "seq_recovered_within_s" -> result(check, seq.recoveredAfterS() != null && seq.recoveredAfterS() <= value,
          seq.recoveredAfterS() == null ? "primary never used again after recovery"
              : "primary answered again %+.1fs after recovery".formatted(seq.recoveredAfterS()));
      case "seq_probe_discipline" -> result(check, seq.primaryAttemptsDuringDown() <= seq.requestsDuringDown(),
          seq.primaryAttemptsDuringDown() + " primary attempt(s) for " + seq.requestsDuringDown()
              + " request(s) during the outage");
      default -> result(check, false, "unknown check kind " + check.kind());
    };
  }

  private static String primary(FailoverMetrics m) {
    return m.attemptsPrimary() + " primary attempt(s)";
  }

  private static Result result(Check check, Boolean ok, String detail) {
    String status = ok == null ? "na" : ok ? "pass" : check.informational() ? "info" : "fail";
    return new Result(check.id(), check.kind(), status, detail, check.advisory(), check.informational());
  }
}
