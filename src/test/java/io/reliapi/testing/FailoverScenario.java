package io.reliapi.testing;

import java.util.List;

/**
 * One scenario of failoverbench's catalogue: the model whose fault it injects, the fallback model, the ideal
 * outcome ({@code success}, or {@code error} for the content filter), the time after which the call counts as
 * hung, the request sequence of the flapping primary, and the checks it is scored on. Limits measured in time
 * have a value for the {@code test} profile, where the wall and the gateway's timeouts are scaled down.
 */
public record FailoverScenario(String id, String title, String model, String fallbackModel, String ideal,
    double maxWallS, Sequence sequence, Sequence fastSequence, Sequence testSequence, List<Check> checks) {

  /** Every scenario's hang limit under the {@code test} profile, where the gateway's deadline is 4 s. */
  public static final double TEST_MAX_WALL_S = 10;

  /** S15's requests: {@code count} of them, {@code intervalS} apart, each with its own hang limit. */
  public record Sequence(int count, double intervalS, double perRequestMaxWallS) {}

  /**
   * One machine check: its id, kind and limit ({@code testValue} replaces {@code value} under the {@code test}
   * profile), whether failing it only makes the verdict partial ({@code advisory}), whether it never counts
   * ({@code informational}), and the capability it needs ({@code fallback}) or null.
   */
  public record Check(String id, String kind, Double value, Double windowS, boolean advisory, boolean informational,
      String requires, Double testValue) {

    static Check of(String id, String kind) {
      return new Check(id, kind, null, null, false, false, null, null);
    }

    static Check of(String id, String kind, double value) {
      return new Check(id, kind, value, null, false, false, null, null);
    }

    Check asAdvisory() {
      return new Check(id, kind, value, windowS, true, informational, requires, testValue);
    }

    Check asInformational() {
      return new Check(id, kind, value, windowS, advisory, true, requires, testValue);
    }

    Check needing(String capability) {
      return new Check(id, kind, value, windowS, advisory, informational, capability, testValue);
    }

    Check window(double seconds) {
      return new Check(id, kind, value, seconds, advisory, informational, requires, testValue);
    }

    /** The limit under the {@code test} profile, scaled as the timings it measures are. */
    Check test(double limit) {
      return new Check(id, kind, value, windowS, advisory, informational, requires, limit);
    }

    /** The limit under {@code profile}. */
    public Double value(String profile) {
      return profile.equals("test") && testValue != null ? testValue : value;
    }
  }

  public boolean isSequence() {
    return sequence != null;
  }

  public double maxWallS(String profile) {
    return profile.equals("test") ? TEST_MAX_WALL_S : maxWallS;
  }

  public Sequence sequence(String profile) {
    return switch (profile) {
      case "fast" -> fastSequence;
      case "test" -> testSequence;
      default -> sequence;
    };
  }

  public String label() {
    return id + " " + title;
  }

  @Override
  public String toString() {
    return label();
  }
}
