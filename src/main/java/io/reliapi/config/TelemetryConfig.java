package io.reliapi.config;

import java.net.URI;
import java.util.Optional;

/**
 * OpenTelemetry trace export: off unless {@code otlp_endpoint} (the collector's full OTLP/HTTP traces URL)
 * is set; {@code sampleRatio} of the traces that start here are kept (a caller's sampled flag is followed).
 */
public record TelemetryConfig(Optional<URI> otlpEndpoint, double sampleRatio, String serviceName) {
  public static final double DEFAULT_SAMPLE_RATIO = 1.0;
  public static final String DEFAULT_SERVICE_NAME = "reliapi";

  public static TelemetryConfig off() {
    return new TelemetryConfig(Optional.empty(), DEFAULT_SAMPLE_RATIO, DEFAULT_SERVICE_NAME);
  }

  public boolean enabled() {
    return otlpEndpoint.isPresent();
  }
}
