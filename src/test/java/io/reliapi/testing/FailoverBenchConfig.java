package io.reliapi.testing;

/**
 * A ReliAPI configuration in the spirit of failoverbench's baseline (up to two retries, one fallback model,
 * caching off, vendor defaults otherwise): one target per wall model, named by its fault tag ({@code s01} …
 * {@code s16}, {@code ok}, {@code ok-noprefill}) so {@link FailoverRunner#targetPrefixed} routes to it, each
 * scenario's target falling back to {@code ok} (S14's to {@code ok-noprefill}), also as its context fallback. A
 * timeout is not retried on the same target (the benchmark's reference client fails over at once after one);
 * every other class gets two retries. Every target commits its streams as the run's {@code stream_commit} says.
 */
public final class FailoverBenchConfig {
  /**
   * The gateway's time budget. {@code full}: the benchmark's baseline 30 s attempt timeout with ReliAPI's default
   * 60 s deadline and 60 s breaker cooldown, and the reference client's 10 s limits on the first token and on a
   * stream's silence. {@code fast}: the same timeouts (the benchmark keeps its baseline for the fast wall) with a
   * 5 s cooldown, so the primary can come back inside S15's 6 s outage and 12 s sequence. {@code test}: all
   * scaled for the test wall: 2 s timeout, 4 s deadline, 1 s cooldown, 0.5 s first-token and idle limits.
   */
  public record Budget(int timeoutMs, int deadlineMs, int cooldownS, int firstTokenMs, int streamIdleMs) {
    public static final Budget FULL = new Budget(30_000, 60_000, 60, 10_000, 10_000);
    public static final Budget FAST = new Budget(30_000, 60_000, 5, 10_000, 10_000);
    public static final Budget TEST = new Budget(2_000, 4_000, 1, 500, 500);

    /** The budget that goes with a wall profile. */
    public static Budget forProfile(String profile) {
      return switch (profile) {
        case "test" -> TEST;
        case "fast" -> FAST;
        default -> FULL;
      };
    }
  }

  private FailoverBenchConfig() {}

  /** The YAML for a wall at {@code wallBaseUrl} (its {@code /v1} URL) and {@code budget}, streams committed at the first token. */
  public static String yaml(String wallBaseUrl, Budget budget) {
    return yaml(wallBaseUrl, budget, "first_token");
  }

  /** The YAML for a wall at {@code wallBaseUrl} and {@code budget}, streams committed as {@code commit} says. */
  public static String yaml(String wallBaseUrl, Budget budget, String commit) {
    StringBuilder yaml = new StringBuilder("server: {deadline_ms: ").append(budget.deadlineMs())
        .append("}\ntargets:\n");
    for (FailoverScenario scenario : FailoverScenarios.all()) {
      target(yaml, wallBaseUrl, budget, commit, scenario.model(), tag(scenario.fallbackModel()));
    }
    target(yaml, wallBaseUrl, budget, commit, "fb-ok", null);
    target(yaml, wallBaseUrl, budget, commit, "fb-ok-noprefill", null);
    return yaml.toString();
  }

  private static void target(StringBuilder yaml, String wallBaseUrl, Budget budget, String commit, String model,
      String fallback) {
    yaml.append("  ").append(tag(model)).append(":\n")
        .append("    base_url: \"").append(wallBaseUrl).append("\"\n")
        .append("    timeout_ms: ").append(budget.timeoutMs()).append('\n')
        .append("    retry_matrix: {\"429\": {attempts: 3}, \"5xx\": {attempts: 3}, net: {attempts: 3}, ")
        .append("timeout: {attempts: 1}}\n")
        .append("    circuit: {cooldown_s: ").append(budget.cooldownS()).append("}\n")
        .append("    llm: {provider: openai, default_model: ").append(model)
        .append(", stream_commit: ").append(commit)
        .append(", first_token_timeout_ms: ").append(budget.firstTokenMs())
        .append(", stream_idle_timeout_ms: ").append(budget.streamIdleMs());
    if (fallback != null) {
      yaml.append(", context_fallback: [").append(fallback).append(']');
    }
    yaml.append("}\n");
    if (fallback != null) {
      yaml.append("    fallback_targets: [").append(fallback).append("]\n");
    }
  }

  private static String tag(String model) {
    return WallFault.forModel(model).orElseThrow().tag;
  }
}
