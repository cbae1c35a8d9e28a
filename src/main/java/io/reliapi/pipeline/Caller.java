package io.reliapi.pipeline;

import io.reliapi.config.ClientConfig;
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
}
