package io.reliapi.policy.access;

import io.reliapi.config.ClientConfig;
import io.reliapi.pipeline.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Finds the client a presented key belongs to. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual} against every client, so the time taken says nothing about how close a
 * wrong key came; the keys themselves are kept only as digests.
 */
public final class ClientKeys {
  private final List<ClientConfig> clients;
  private final byte[][] digests;

  public ClientKeys(List<ClientConfig> clients) {
    this.clients = List.copyOf(clients);
    this.digests = new byte[clients.size()][];
    for (int i = 0; i < clients.size(); i++) {
      digests[i] = sha256(clients.get(i).key().value());
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
    String presented = apiKeyHeader != null ? apiKeyHeader.trim() : bearer(authorizationHeader);
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    int found = -1;
    for (int i = 0; i < digests.length; i++) {
      if (MessageDigest.isEqual(digest, digests[i]) && found < 0) {
        found = i;
      }
    }
    return found < 0 ? Optional.empty() : Optional.of(Caller.of(clients.get(found)));
  }

  private static String bearer(String authorization) {
    if (authorization == null || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
