package io.reliapi.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads the operator-facing sections: {@code telemetry} and {@code admin}. */
final class OpsReader {
  private OpsReader() {}

  static TelemetryConfig telemetry(Node n) {
    if (!n.mapping(ConfigReader.SCHEMA.get("telemetry"))) {
      return TelemetryConfig.off();
    }
    Node endpoint = n.field("otlp_endpoint");
    Optional<URI> url = Optional.empty();
    if (endpoint.present()) {
      url = httpUrl(endpoint);
    }
    double ratio = n.field("sample_ratio").number(TelemetryConfig.DEFAULT_SAMPLE_RATIO, 0, 1);
    Node service = n.field("service_name");
    String name = service.text(TelemetryConfig.DEFAULT_SERVICE_NAME);
    if (service.present() && name.isBlank()) {
      service.problem("must not be empty");
    }
    // The files are checked now, as a target's are; the exporter reads them when it starts (a restart takes up
    // rotated ones: the telemetry block is restart-only, and only its file names count as its contents).
    Optional<TlsFiles> tls = TlsReader.readWithPem(n.field("tls")).map(TargetTls::files);
    if (tls.isPresent() && url.isPresent() && !"https".equals(url.get().getScheme())) {
      n.field("tls").problem("needs an https otlp_endpoint");
    }
    return new TelemetryConfig(url, ratio, name, tls);
  }

  private static Optional<URI> httpUrl(Node endpoint) {
    String text = endpoint.text("");
    try {
      URI uri = new URI(text);
      if (uri.getRawUserInfo() != null) {
        endpoint.problemHidingValue("must not carry credentials");  // not repeated: it holds one
        return Optional.empty();
      }
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException ignored) {
      // reported below
    }
    endpoint.problem("must be an http:// or https:// URL, the collector's full traces URL (…/v1/traces)");
    return Optional.empty();
  }

  static AdminConfig admin(Node n, List<ClientConfig> clients) {
    if (!n.mapping(ConfigReader.SCHEMA.get("admin"))) {
      return AdminConfig.off();
    }
    int trailSize = n.field("trail_size").integer(AdminConfig.DEFAULT_TRAIL_SIZE, 1, 100_000);
    Node keysEnv = n.field("keys_env");
    if (!keysEnv.present()) {
      return new AdminConfig(List.of(), trailSize);
    }
    Secret all = keysEnv.secretFromEnv();
    List<Secret> keys = new ArrayList<>();
    for (String key : all.value().split(",")) {
      if (!key.isBlank()) {
        keys.add(new Secret(all.envVar(), key.trim()));
      }
    }
    if (keys.isEmpty() && !all.value().isEmpty()) {
      keysEnv.problem("names an environment variable that holds no key");
    }
    keys.stream().map(key -> PresentableKey.problem(key.value())).filter(Objects::nonNull).findFirst()
        .ifPresent(keysEnv::problem);
    for (Secret key : keys) {
      if (clients.stream().anyMatch(c -> c.key().value().equals(key.value()))) {
        keysEnv.problem("holds a client's key; admin keys must differ from every client key");
        break;
      }
    }
    return new AdminConfig(keys, trailSize);
  }
}
