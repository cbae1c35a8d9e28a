package io.reliapi.config;

import java.util.Map;

/** Retry rules per error class; classes a target does not write keep the documented defaults. */
public record RetryMatrix(Map<ErrorClass, RetryRule> rules) {

  public RetryMatrix {
    rules = Map.copyOf(rules);
  }

  public RetryRule rule(ErrorClass errorClass) {
    return rules.get(errorClass);
  }

  /** The failure classes that may be retried, with their config-file names. */
  public enum ErrorClass {
    RATE_LIMITED("429"), SERVER_ERROR("5xx"), NETWORK("net"), TIMEOUT("timeout");

    private final String label;

    ErrorClass(String label) {
      this.label = label;
    }

    /** Returns the name used in config keys and metric labels. */
    public String label() {
      return label;
    }
  }

  public enum Backoff { EXP_JITTER, EXP, LINEAR, CONSTANT }

  /** {@code attempts} counts every try including the first; delays are in seconds. */
  public record RetryRule(int attempts, Backoff backoff, double baseS, double maxS) {}

  /** The defaults: modest retries that fit well inside the default deadline. */
  public static RetryMatrix defaults() {
    return new RetryMatrix(Map.of(
        ErrorClass.RATE_LIMITED, defaultRule(ErrorClass.RATE_LIMITED),
        ErrorClass.SERVER_ERROR, defaultRule(ErrorClass.SERVER_ERROR),
        ErrorClass.NETWORK, defaultRule(ErrorClass.NETWORK),
        ErrorClass.TIMEOUT, defaultRule(ErrorClass.TIMEOUT)));
  }

  public static RetryRule defaultRule(ErrorClass errorClass) {
    return switch (errorClass) {
      case RATE_LIMITED -> new RetryRule(3, Backoff.EXP_JITTER, 1.0, 20.0);
      case SERVER_ERROR -> new RetryRule(3, Backoff.EXP_JITTER, 0.2, 5.0);
      case NETWORK -> new RetryRule(3, Backoff.EXP_JITTER, 0.1, 2.0);
      case TIMEOUT -> new RetryRule(2, Backoff.EXP_JITTER, 0.2, 5.0);
    };
  }
}
