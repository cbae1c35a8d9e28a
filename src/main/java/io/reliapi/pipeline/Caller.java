package io.reliapi.pipeline;

import io.reliapi.config.ClientConfig;
import io.reliapi.config.QuotaConfig;
import java.util.Optional;

/** Who sent the request: a configured client, or the anonymous caller of an open gateway. */
public record Caller(String name, Optional<ClientConfig> client) {
  private static final Caller ANONYMOUS = new Caller("anonymous", Optional.empty());

  public static Caller anonymous() {
    return ANONYMOUS;
  }

  public static Caller of(ClientConfig client) {
    return new Caller(client.name(), Optional.of(client));
  }

  public boolean allows(String target) {
    return client.map(c -> c.allows(target)).orElse(true);
  }

  /** Returns what this caller may hold in the shared stores (the anonymous caller: the default). */
  public QuotaConfig quota() {
    return client.map(ClientConfig::quota).orElse(QuotaConfig.DEFAULT);
  }
}
