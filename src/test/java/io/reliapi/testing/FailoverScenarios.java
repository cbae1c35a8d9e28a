package io.reliapi.testing;

import io.reliapi.testing.FailoverScenario.Check;
import io.reliapi.testing.FailoverScenario.Sequence;
import java.util.List;

/**
 * failoverbench's sixteen scenarios (catalogue {@code 2b80bfc9}, methodology v0.1; S12 as the published
 * scorecard scores it). Under the {@code test} profile the limits that measure the scaled timings are scaled
 * with them (see docs/performance.md); {@code Retry-After} and the gateway's backoff stay real, so S01's and
 * S02's limits do not change.
 */
public final class FailoverScenarios {
  public static final String DEFAULT_FALLBACK = "fb-ok";

  private FailoverScenarios() {}

  public static List<FailoverScenario> all() {
    return List.of(
        single("S01", "429 with Retry-After", "fb-s01-429-retry-after", 20,
            Check.of("retried", "attempts_primary_min", 2).asAdvisory(),
            Check.of("retry_after_honoured", "first_gap_min_s", 1.8).asAdvisory(),
            Check.of("no_hammer", "max_attempts_within", 2).window(1.5)),
        single("S02", "429 without Retry-After, persistent", "fb-s02-429-persistent", 40,
            Check.of("no_hammer", "max_attempts_within", 4).window(3),
            Check.of("bounded_attempts", "attempts_primary_max", 6),
            Check.of("no_hang", "no_hang")),
        single("S03", "500 once, then healthy", "fb-s03-500-then-200", 20,
            Check.of("no_hang", "no_hang"),
            Check.of("same_provider_retry", "attempts_primary_min", 2).asAdvisory()),
        single("S04", "503 persistent", "fb-s04-503-persistent", 40,
            Check.of("bounded_attempts", "attempts_primary_max", 6),
            Check.of("no_hang", "no_hang")),
        single("S05", "TCP reset before headers", "fb-s05-reset", 20,
            Check.of("no_hang", "no_hang")),
        single("S06", "No response at all", "fb-s06-no-response", 130,
            Check.of("within_budget", "wall_max_s", 100).test(6.7),
            Check.of("no_hang", "no_hang"),
            Check.of("silent_route_not_retried", "attempts_primary_max", 1).asAdvisory()),
        single("S07", "Slow first token", "fb-s07-slow-ttft", 60,
            Check.of("no_hang", "no_hang"),
            Check.of("ttft_limit", "wall_max_s", 15).asAdvisory().needing("fallback").test(1.1)),
        single("S08", "Stream cut mid-answer", "fb-s08-stream-cut", 40,
            Check.of("no_truncated_success", "no_truncated_success"),
            Check.of("no_hang", "no_hang")),
        single("S09", "Stream stalls", "fb-s09-stream-stall", 70,
            Check.of("bounded", "wall_max_s", 45).test(3),
            Check.of("no_truncated_success", "no_truncated_success"),
            Check.of("alive_after", "alive_after"),
            Check.of("no_hang", "no_hang")),
        single("S10", "Malformed chunk in the stream", "fb-s10-malformed-chunk", 30,
            Check.of("alive_after", "alive_after"),
            Check.of("no_garbage", "no_truncated_success"),
            Check.of("no_hang", "no_hang"),
            Check.of("recovered_in_place", "complete").asAdvisory()),
        single("S11", "Stream ends without [DONE]", "fb-s11-no-done", 30,
            Check.of("prompt_finalise", "wall_max_s", 8).test(1),
            Check.of("usage_reported", "usage_present").asAdvisory()),
        single("S12", "Context length exceeded", "fb-s12-context-length", 20,
            Check.of("no_blind_retry", "context_retry_discipline"),
            Check.of("bounded_attempts", "attempts_primary_max", 2),
            Check.of("no_hang", "no_hang")),
        new FailoverScenario("S13", "Content-filter rejection", "fb-s13-content-filter", DEFAULT_FALLBACK, "error",
            20, null, null, null, List.of(
            Check.of("no_same_model_retry", "attempts_primary_eq", 1),
            Check.of("no_hang", "no_hang"),
            Check.of("fallback_attempted", "fallback_used").asAdvisory().asInformational())),
        new FailoverScenario("S14", "Fallback target rejects prefill", "fb-s14-stream-cut", "fb-ok-noprefill",
            "success", 40, null, null, null, List.of(
            Check.of("no_prefill_masking", "no_prefill_masking"),
            Check.of("no_truncated_success", "no_truncated_success"))),
        new FailoverScenario("S15", "Primary flaps: down, then healthy", "fb-s15-flap", DEFAULT_FALLBACK, "success",
            200, new Sequence(20, 4, 30), new Sequence(10, 1.2, 10), new Sequence(12, 0.5, 5), List.of(
            Check.of("no_hang", "seq_no_hang"),
            Check.of("served_during_outage", "seq_served_during_outage").needing("fallback"),
            Check.of("recovered", "seq_recovered_within_s", 30).needing("fallback").test(1.5),
            Check.of("probe_discipline", "seq_probe_discipline").asAdvisory().asInformational())),
        single("S16", "Fail-over accounting", "fb-s16-503-persistent", 40,
            Check.of("reports_fallback_model", "reported_model_is_fallback").needing("fallback"),
            Check.of("usage_present", "usage_present").needing("fallback").asAdvisory(),
            Check.of("bounded_attempts", "attempts_primary_max", 6)));
  }

  /** The scenario {@code id} ({@code S08}). */
  public static FailoverScenario byId(String id) {
    return all().stream().filter(s -> s.id().equalsIgnoreCase(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no scenario " + id));
  }

  private static FailoverScenario single(String id, String title, String model, double maxWallS, Check... checks) {
    return new FailoverScenario(id, title, model, DEFAULT_FALLBACK, "success", maxWallS, null, null, null,
        List.of(checks));
  }
}
