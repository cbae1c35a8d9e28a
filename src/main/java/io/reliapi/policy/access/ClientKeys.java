package io.reliapi.policy.access;

import io.reliapi.config.ClientConfig;
import io.reliapi.pipeline.Caller;
import java.util.List;
import java.util.Optional;

/**
 * Finds the client a presented key belongs to. The presented key is compared with every client's
 * {@link AccessKey}, always all of them, so the time taken says nothing about which client came close.
 */
public final class ClientKeys {
  private final List<ClientConfig> clients;
  private final AccessKey[] keys;

  public ClientKeys(List<ClientConfig> clients) {
    this.clients = List.copyOf(clients);
    this.keys = new AccessKey[clients.size()];
    for (int i = 0; i < clients.size(); i++) {
      keys[i] = AccessKey.of(clients.get(i).key().value());
    }
  }

  /** Returns whether the gateway has no keys and lets every caller in. */
  public boolean open() {
    return clients.isEmpty();
  }

  /**
   * Returns the caller for the credentials of a request: {@code X-API-Key}, else a bearer token in
   * {@code Authorization}. Empty means unauthorized; an open gateway returns the anonymous caller.
   */
  public Optional<Caller> authenticate(String apiKeyHeader, String authorizationHeader) {
    if (open()) {
      return Optional.of(Caller.anonymous());
    }
    String presented = AccessKey.presented(apiKeyHeader, authorizationHeader);
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = AccessKey.sha256(presented);
    int found = -1;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].matches(digest) && found < 0) {
        found = i;
      }
    }
    return found < 0 ? Optional.empty() : Optional.of(Caller.of(clients.get(found)));
  }
}
