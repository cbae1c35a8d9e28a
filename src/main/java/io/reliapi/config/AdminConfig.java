package io.reliapi.config;

import java.util.List;

/**
 * The operator's side: the admin API and status page, on only when {@code keys_env} names a variable
 * holding one or more admin keys (comma-separated), and how many finished requests keep their trail.
 */
public record AdminConfig(List<Secret> keys, int trailSize) {
  public static final int DEFAULT_TRAIL_SIZE = 1000;

  public AdminConfig {
    keys = List.copyOf(keys);
  }

  public static AdminConfig off() {
    return new AdminConfig(List.of(), DEFAULT_TRAIL_SIZE);
  }

  /** Returns whether the admin API and status page answer at all. */
  public boolean enabled() {
    return !keys.isEmpty();
  }
}
