package io.reliapi.testing;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The timings the {@link FaultWall} and the failover scorecard agree on (failoverbench's
 * {@code wall.TIMING_PROFILES}): {@code full} is the published profile, {@code fast} the benchmark's local
 * one, and {@code test} ours, scaled down so the whole scenario set runs in the test suite in seconds. The
 * token counts are the same in every profile; {@code Retry-After} stays 2 s because the gateway reads it.
 */
public record WallTiming(String name, double retryAfterS, double slowTtftS, double stallS, double noResponseS,
    double flapDownS, int tokenIntervalMs, int cutAfterTokens, int stallAfterTokens, int malformedAtToken) {

  public static final WallTiming FULL = new WallTiming("full", 2, 20, 30, 120, 60, 15, 40, 20, 10);
  public static final WallTiming FAST = new WallTiming("fast", 2, 3, 4, 15, 6, 5, 40, 20, 10);
  public static final WallTiming TEST = new WallTiming("test", 2, 1.5, 2, 4, 3, 2, 40, 20, 10);

  /** Returns the profile called {@code name} ({@code full}, {@code fast} or {@code test}). */
  public static WallTiming named(String name) {
    return switch (name) {
      case "full" -> FULL;
      case "fast" -> FAST;
      case "test" -> TEST;
      default -> throw new IllegalArgumentException("unknown timing profile: " + name);
    };
  }

  public static boolean exists(String name) {
    return name.equals("full") || name.equals("fast") || name.equals("test");
  }

  public long slowTtftMs() {
    return millis(slowTtftS);
  }

  public long stallMs() {
    return millis(stallS);
  }

  public long noResponseMs() {
    return millis(noResponseS);
  }

  /** This profile with the keys of {@code overrides} (the wall's key names) changed, as {@code /control/config}. */
  public WallTiming with(Map<String, Object> overrides) {
    Map<String, Object> keys = asMap();
    overrides.forEach((key, value) -> {
      if (keys.containsKey(key) && value instanceof Number number) {
        keys.put(key, keys.get(key) instanceof Integer ? (Object) number.intValue() : (Object) number.doubleValue());
      }
    });
    return new WallTiming(name, (double) keys.get("retry_after_s"), (double) keys.get("slow_ttft_s"),
        (double) keys.get("stall_s"), (double) keys.get("no_response_s"), (double) keys.get("flap_down_s"),
        (int) keys.get("token_interval_ms"), (int) keys.get("cut_after_tokens"), (int) keys.get("stall_after_tokens"),
        (int) keys.get("malformed_at_token"));
  }

  /** The timings under the wall's key names, as {@code /control/log} reports them. */
  public Map<String, Object> asMap() {
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("retry_after_s", retryAfterS);
    keys.put("slow_ttft_s", slowTtftS);
    keys.put("stall_s", stallS);
    keys.put("no_response_s", noResponseS);
    keys.put("flap_down_s", flapDownS);
    keys.put("token_interval_ms", tokenIntervalMs);
    keys.put("cut_after_tokens", cutAfterTokens);
    keys.put("stall_after_tokens", stallAfterTokens);
    keys.put("malformed_at_token", malformedAtToken);
    return keys;
  }

  /** Formats seconds as Python's {@code :g} does for these values: {@code 2}, {@code 1.5}. */
  public static String seconds(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static long millis(double seconds) {
    return Math.round(seconds * 1000);
  }
}
