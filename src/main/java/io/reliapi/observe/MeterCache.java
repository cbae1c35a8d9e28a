package io.reliapi.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The meters of one registry by name and label values, each registered the first time it is asked for. Meters are
 * kept by name, then by each label value in turn: a lookup builds no key, so it allocates nothing.
 */
final class MeterCache {
  private final MeterRegistry registry;
  private final Map<String, Object> meters = new ConcurrentHashMap<>();

  MeterCache(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Returns the counter {@code name} (exposed with a {@code _total} suffix) for the label pairs; a metric
   * always uses the same label names in the same order.
   */
  Counter counter(String name, String... labels) {
    Counter known = known(name, labels);
    return known != null ? known : meter(name, labels, () -> Counter.builder(name).tags(labels).register(registry));
  }

  /** Returns the timer {@code name} for the label pairs, with a histogram bucket at each of {@code buckets}. */
  Timer timer(String name, String description, Duration[] buckets, String... labels) {
    Timer known = known(name, labels);
    return known != null ? known : meter(name, labels, () -> Timer.builder(name).description(description)
        .tags(labels).serviceLevelObjectives(buckets).register(registry));
  }

  /**
   * Returns the meter {@code name} for the label pairs if it was made, else null: a look-up that allocates nothing,
   * so callers make the function that would create one only on a miss (a meter is looked up several times a
   * request, and is made once).
   */
  @SuppressWarnings("unchecked")
  <M> M known(String name, String[] labels) {
    Object node = meters.get(name);
    for (int i = 1; i < labels.length && node != null; i += 2) {
      node = ((Map<String, Object>) node).get(labels[i]);
    }
    if (labels.length == 0 && node != null) {
      node = ((Map<String, Object>) node).get("");
    }
    return (M) node;
  }

  /** Returns the meter {@code name} for the label pairs, made by {@code create} the first time. */
  @SuppressWarnings("unchecked")
  <M> M meter(String name, String[] labels, Supplier<M> create) {
    Object node = meters.computeIfAbsent(name, k -> new ConcurrentHashMap<String, Object>());
    for (int i = 1; i < labels.length; i += 2) {
      boolean last = i + 2 >= labels.length;
      Map<String, Object> level = (Map<String, Object>) node;
      node = level.get(labels[i]);
      if (node == null) {
        node = level.computeIfAbsent(labels[i], k -> last ? create.get() : new ConcurrentHashMap<String, Object>());
      }
    }
    if (labels.length == 0) {
      Map<String, Object> level = (Map<String, Object>) node;
      node = level.computeIfAbsent("", k -> create.get());
    }
    return (M) node;
  }
}
