package io.reliapi.config;

import java.net.URI;
import java.util.Optional;

/**
 * OpenTelemetry trace export: off unless {@code otlp_endpoint} (the collector's full OTLP/HTTP traces URL)
 * is set; {@code sampleRatio} of the traces that start here are kept (a caller's sampled flag is followed). An
 * {@code https} collector is trusted through the JVM's CAs, or {@code tls.ca_file}, and may be shown a client
 * certificate ({@code tls.cert_file}, {@code tls.key_file}).
 */
public record TelemetryConfig(Optional<URI> otlpEndpoint, double sampleRatio, String serviceName,
    Optional<TlsFiles> tls) {
  public static final double DEFAULT_SAMPLE_RATIO = 1.0;
  public static final String DEFAULT_SERVICE_NAME = "reliapi";

  public static TelemetryConfig off() {
    return new TelemetryConfig(Optional.empty(), DEFAULT_SAMPLE_RATIO, DEFAULT_SERVICE_NAME, Optional.empty());
  }

  public boolean enabled() {
    return otlpEndpoint.isPresent();
  }
}
