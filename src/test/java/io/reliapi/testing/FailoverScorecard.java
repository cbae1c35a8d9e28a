package io.reliapi.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * failoverbench's scoring of a system (its {@code runner.verdict_for}) and a scorecard of the results:
 * <ul>
 *   <li><b>pass</b>: rescued (the ideal outcome: the complete answer, or for S13 a clean error), every check clean;
 *   <li><b>partial</b>: rescued with an advisory check failed, or S13 answered by routing around the rejection;
 *   <li><b>safe</b>: not rescued, but a bounded clean error and every required check clean;
 *   <li><b>fail</b>: a hang, a truncated answer presented as success, or a required check failed.
 * </ul>
 */
public final class FailoverScorecard {
  public static final List<String> VERDICTS = List.of("pass", "partial", "safe", "fail");

  private final String system;
  private final String profile;
  private final List<ScenarioResult> results = new ArrayList<>();

  public FailoverScorecard(String system, String profile) {
    this.system = system;
    this.profile = profile;
  }

  /** A scenario's verdict and why. */
  public record Verdict(String verdict, String reason) {}

  /** One scored scenario. */
  public record ScenarioResult(FailoverScenario scenario, Verdict verdict, List<FailoverChecks.Result> checks,
      FailoverMetrics metrics) {
    public String verdictName() {
      return verdict.verdict();
    }
  }

  public static Verdict verdictFor(FailoverScenario scenario, List<FailoverChecks.Result> checks, FailoverMetrics m) {
    String oc = m.outcome();
    boolean idealSuccess = scenario.ideal().equals("success");
    if (oc.equals("hang")) {
      return new Verdict("fail", "hang");
    }
    if (oc.equals("success") && !m.complete() && idealSuccess) {
      return new Verdict("fail", "truncated answer presented as success");
    }
    String failedRequired = failed(checks, false);
    if (!failedRequired.isEmpty()) {
      return new Verdict("fail", "failed: " + failedRequired);
    }
    String failedAdvisory = failed(checks, true);
    boolean rescued;
    if (idealSuccess) {
      rescued = oc.equals("success") && m.complete();
    } else {
      if (oc.equals("success")) {
        return new Verdict("partial", "answered by routing around the rejection");
      }
      rescued = oc.equals("error");
    }
    if (rescued) {
      return failedAdvisory.isEmpty() ? new Verdict("pass", "rescued")
          : new Verdict("partial", "rescued; advisory: " + failedAdvisory);
    }
    String error = String.valueOf(m.error());
    return new Verdict("safe", "not rescued — clean error: " + error.substring(0, Math.min(80, error.length())));
  }

  private static String failed(List<FailoverChecks.Result> checks, boolean advisory) {
    return checks.stream().filter(c -> c.failed() && c.advisory() == advisory).map(FailoverChecks.Result::id)
        .collect(Collectors.joining(", "));
  }

  public void add(ScenarioResult result) {
    results.add(result);
  }

  public List<ScenarioResult> results() {
    return List.copyOf(results);
  }

  /** How many scenarios got each verdict, in the order pass, partial, safe, fail. */
  public Map<String, Long> summary() {
    Map<String, Long> counts = new LinkedHashMap<>();
    VERDICTS.forEach(v -> counts.put(v, results.stream().filter(r -> r.verdictName().equals(v)).count()));
    return counts;
  }

  /** The scorecard as Markdown: a table of the scenarios, the totals, then each scenario's checks and wall log. */
  public String markdown() {
    StringBuilder md = new StringBuilder("# failoverbench scorecard — ").append(system).append("\n\nProfile **")
        .append(profile).append("** · ").append(results.size()).append(" scenario(s) · ")
        .append(summary().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(" · ")))
        .append("\n\n| Scenario | Verdict | Outcome | Attempts (primary/fallback) | Elapsed | Reason |\n")
        .append("|---|---|---|---|---:|---|\n");
    for (ScenarioResult r : results) {
      FailoverMetrics m = r.metrics();
      md.append("| **").append(r.scenario().id()).append("** ").append(r.scenario().title()).append(" | ")
          .append(r.verdictName()).append(" | ").append(m.outcome()).append(" | ").append(m.attemptsPrimary())
          .append("p/").append(m.attemptsFallback()).append('f').append(gap(m)).append(" | ")
          .append("%.2fs".formatted(m.elapsedS())).append(" | ").append(cell(r.verdict().reason())).append(" |\n");
    }
    md.append("\n## Check-level detail\n");
    for (ScenarioResult r : results) {
      md.append("\n**").append(r.scenario().label()).append("** — ").append(r.verdictName()).append(" — ")
          .append(r.verdict().reason()).append('\n');
      for (FailoverChecks.Result c : r.checks()) {
        md.append("- `").append(c.id()).append("` ").append(c.status().equals("fail") ? "FAIL" : c.status())
            .append(c.advisory() ? " (advisory)" : "").append(": ").append(c.detail()).append('\n');
      }
      List<WallAttempt> wall = r.metrics().wall();
      md.append("- wall log: ").append(wall.stream().limit(12).map(WallAttempt::toString)
          .collect(Collectors.joining("; "))).append(wall.size() > 12 ? " … (+" + (wall.size() - 12) + " more)" : "")
          .append('\n');
    }
    return md.toString();
  }

  private static String gap(FailoverMetrics m) {
    return m.firstGapS() == null ? "" : " · gap %.2fs".formatted(m.firstGapS());
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
