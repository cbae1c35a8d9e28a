package io.reliapi.testing;

import java.util.Arrays;
import java.util.List;

/** Reads sample values out of a Prometheus text exposition, for assertions on {@code /metrics}. */
public final class MetricSamples {
  private final List<String> lines;

  private MetricSamples(String text) {
    this.lines = text.lines().filter(l -> !l.startsWith("#")).toList();
  }

  /** Scrapes {@code /metrics} of a running gateway. */
  public static MetricSamples scrape(GatewayHarness gateway) {
    return scrape(gateway.http);
  }

  /** Scrapes {@code /metrics} through {@code http} (a gateway's HTTPS listener, say) with {@code headers}. */
  public static MetricSamples scrape(TestHttp http, String... headers) {
    return new MetricSamples(http.get("/metrics", headers).body());
  }

  /**
   * Returns the sum of the samples {@code name} whose labels include every {@code label, value} pair given
   * (e.g. {@code value("reliapi_retries_total", "target", "api", "class", "5xx")}); 0 when there are none.
   */
  public double value(String name, String... labels) {
    return lines.stream()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> Arrays.stream(pairs(labels)).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String[] pairs(String[] labels) {
    String[] out = new String[labels.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = labels[2 * i] + "=\"" + labels[2 * i + 1] + "\"";
    }
    return out;
  }
}
